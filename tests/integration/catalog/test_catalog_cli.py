"""`omniretail catalog import|export`: a report of every bad row, all or nothing unless --partial."""

from __future__ import annotations

import json

import pytest
from catalog_factories import shop
from sqlalchemy import func, select
from typer.testing import CliRunner

from omniretail import cli, config
from omniretail.catalog.models import Variant

runner = CliRunner()
HEADER = "sku,product_code,brand,status,categories,barcode,attr.shade,name.en,name.pl,price.eur\n"
GOOD = ("LIP-VELVET-07,LIP-VELVET,Velvetine,active,lips,5901234123457,ruby,Velvet lipstick,Szminka,14.99\n"
        "LIP-VELVET-12,LIP-VELVET,Velvetine,active,lips,,nude,Velvet lipstick,Szminka,14.99\n")
BAD = ("CREAM-HYDRA-50,CREAM-HYDRA,Aqualis,active,skincare,5901234123458,,Day cream,Krem,24.50\n"
       "SERUM-GLOW-30,SERUM-GLOW,Aqualis,active,no-such-shelf,,,Glow serum,Serum,abc\n")


@pytest.fixture
def env(db, monkeypatch, tmp_path):
    monkeypatch.setenv("OMNIRETAIL_DATABASE_URL", db.url)
    monkeypatch.setenv("OMNIRETAIL_DATA_DIR", str(tmp_path))
    config.get_settings.cache_clear()
    with db.transaction() as session:
        shop(session)
    yield db
    config.get_settings.cache_clear()


def _variants(db) -> int:
    with db.transaction(read_only=True) as session:
        return int(session.scalar(select(func.count()).select_from(Variant)) or 0)


def test_an_invalid_file_prints_every_bad_row_exits_1_and_writes_nothing(env, tmp_path):
    file = tmp_path / "catalog.csv"
    file.write_text(HEADER + GOOD + BAD, encoding="utf-8")

    result = runner.invoke(cli.app, ["catalog", "import", str(file)])

    assert result.exit_code == 1
    assert "line 4, field barcode: check digit should be 7" in result.output
    assert "line 5, field categories:" in result.output
    assert "line 5, field price.eur:" in result.output
    assert "nothing written" in result.output
    assert _variants(env) == 0


def test_partial_import_writes_the_good_products_and_still_reports_the_bad_rows(env, tmp_path):
    file = tmp_path / "catalog.csv"
    file.write_text(HEADER + GOOD + BAD, encoding="utf-8")

    result = runner.invoke(cli.app, ["catalog", "import", str(file), "--partial"])

    assert result.exit_code == 0, result.output
    assert "line 4, field barcode" in result.output
    assert "2 variants created" in result.output
    assert _variants(env) == 2


def test_an_export_reimports_unchanged_in_json(env, tmp_path):
    source = tmp_path / "catalog.csv"
    source.write_text(HEADER + GOOD, encoding="utf-8")
    runner.invoke(cli.app, ["catalog", "import", str(source)])
    exported = tmp_path / "export.data"

    export = runner.invoke(cli.app, ["catalog", "export", str(exported), "--format", "json"])
    again = runner.invoke(cli.app, ["catalog", "import", str(exported), "--format", "json"])

    assert export.exit_code == 0, export.output
    rows = json.loads(exported.read_text(encoding="utf-8"))
    assert [(r["sku"], r["price.eur"], r["name.pl"]) for r in rows] == [
        ("LIP-VELVET-07", "14.99", "Szminka"), ("LIP-VELVET-12", "14.99", "Szminka")]
    assert again.exit_code == 0, again.output
    assert "0 variants created, 2 updated" in again.output
    assert _variants(env) == 2
