"""`omniretail pricing consistency-report`: a table of the prices that break the merchant's rules."""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "catalog"))

from catalog_factories import lipstick, shop

from omniretail import cli
from omniretail.channels import service as channels_service
from omniretail.pricing import service as pricing_service

runner = CliRunner()


def _store_at_a_different_price(db) -> None:
    with db.transaction() as s:
        sh = shop(s)
        made = lipstick(s, sh)
        store = channels_service.create_channel(session=s, actor=None, code="pos-riga-centrs", name="POS Riga",
                                                kind="store", currency="EUR", country="LV", locales=["lv", "en"],
                                                default_locale="lv")
        shelf = pricing_service.create_price_list(session=s, actor=None, code="eur-store", name="Store shelf",
                                                  currency="EUR", country="LV")
        pricing_service.assign_price_list(session=s, actor=None, channel_id=store.id, price_list_id=shelf.id)
        pricing_service.set_prices(session=s, actor=None, price_list_id=shelf.id,
                                   amounts={made.variants[0].id: 1499, made.variants[1].id: 1599})
        pricing_service.create_rule(session=s, actor=None, code="store-equals-web", name="Store equals web",
                                    channel_ids=[sh.web.id, store.id])


def test_the_report_lists_the_sku_priced_differently_in_the_store_and_on_the_web(env):
    _store_at_a_different_price(env)

    result = runner.invoke(cli.app, ["pricing", "consistency-report", "--rule", "store-equals-web"])

    assert result.exit_code == 0, result.output
    assert "LIP-VELVET-12" in result.output
    assert "15.99" in result.output and "14.99" in result.output
    assert "LIP-VELVET-07" not in result.output


def test_an_unknown_rule_is_an_error(env):
    _store_at_a_different_price(env)

    result = runner.invoke(cli.app, ["pricing", "consistency-report", "--rule", "no-such-rule"])

    assert result.exit_code == 1
    assert "no-such-rule" in result.output
