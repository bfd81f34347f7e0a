"""`omniretail customers ...` (import that names bad lines and writes nothing, export, merge, segments) and the
demo customers."""

from __future__ import annotations

import csv
import io
import json

import phonenumbers
from typer.testing import CliRunner

from omniretail import cli
from omniretail.customers import demo as customers_demo
from omniretail.customers import merging, segments, service
from omniretail.identity import demo as identity_demo
from omniretail.identity import service as identity_service
from omniretail.inventory import demo as inventory_demo

runner = CliRunner()
HEADER = "given_name,family_name,email,phone,country,postal_code,city,home_store,tags,consent_email,consent_sms\n"


def test_an_import_with_bad_lines_names_each_one_and_writes_nothing(env, tmp_path):
    file = tmp_path / "customers.csv"
    file.write_text(HEADER + "Ilze,Kalniņa,ilze@shop.example.com,26123456,LV,LV-1050,Rīga,,vip,yes,no\n"
                    "Anna,Bērziņa,anna@,26 12,LV,,,NOWHERE,,maybe,\n"
                    ",Ozols,,,,,,,,,\n", encoding="utf-8")

    result = runner.invoke(cli.app, ["customers", "import", str(file), "--json"])

    assert result.exit_code == 1
    errors = {(e["line"], e["field"]) for e in json.loads(result.stdout)["errors"]}
    assert errors == {(3, "email"), (3, "phone"), (3, "home_store"), (3, "consent_email"), (4, "given_name")}
    with env.transaction(read_only=True) as s:
        assert service.count_profiles(session=s) == 0


def test_a_clean_import_writes_every_line_and_the_export_gives_it_back(env, tmp_path):
    file = tmp_path / "customers.csv"
    file.write_text(HEADER + "Ilze,Kalniņa,Ilze@Shop.Example.com,26123456,LV,LV-1050,Rīga,,vip;makeup-artist,yes,no\n"
                    "Jan,Kowalski,jan@shop.example.com,601 234 567,PL,00-001,Warszawa,,,,yes\n", encoding="utf-8")

    imported = runner.invoke(cli.app, ["customers", "import", str(file)])
    exported = runner.invoke(cli.app, ["customers", "export"])

    assert imported.exit_code == 0, imported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(r["email"], r["phone"], r["postal_code"], r["tags"], r["consent_email"], r["consent_sms"])
            for r in rows] == [("ilze@shop.example.com", "+37126123456", "LV-1050", "makeup-artist;vip", "yes", "no"),
                               ("jan@shop.example.com", "+48601234567", "00-001", "", "", "yes")]


def test_merge_and_segment_recompute_from_the_command_line(env):
    with env.transaction() as s:
        a = service.create_profile(session=s, actor="t", source="pos", given_name="Ilze", tags=["vip"])
        b = service.create_profile(session=s, actor="t", source="pos", given_name="Ilze", phone="26123456")
        segments.create_segment(session=s, code="vip", name="VIP", rule={"tag": "vip"})

    merged = runner.invoke(cli.app, ["customers", "merge", str(a.id), str(b.id), "--reason", "same phone"])
    again = runner.invoke(cli.app, ["customers", "merge", str(a.id), str(b.id)])
    recomputed = runner.invoke(cli.app, ["customers", "segments", "recompute"])
    unknown = runner.invoke(cli.app, ["customers", "segments", "recompute", "nobody"])

    assert merged.exit_code == 0, merged.output
    assert again.exit_code == 1
    assert recomputed.exit_code == 0 and "vip" in recomputed.output
    assert unknown.exit_code == 1
    with env.transaction(read_only=True) as s:
        assert [m.reason for m in merging.merges_of(session=s, customer_id=b.id)] == ["same phone"]
        assert service.segment_codes_of(session=s, customer_id=b.id) == {"vip"}


def test_the_demo_customers_live_near_the_stores_with_valid_phones_and_anna_has_her_profile(db, monkeypatch):
    monkeypatch.setattr(customers_demo, "CUSTOMERS", 1500)

    with db.transaction() as s:
        identity_demo.load(s)
        inventory_demo.load_locations(s)
        customers_demo.load(s)

    with db.transaction(read_only=True) as s:
        anna_id = identity_service.customer_account_id(session=s, email="anna@example.com")
        anna = service.get_profile(session=s, customer_id=anna_id)
        page = service.list_profiles(session=s, cursor=None, limit=200).items
        assert service.lookup(session=s, q=page[50].phone or "")[0].id == page[50].id
        duplicates = merging.find_duplicates(session=s, limit=200)
        near = service.segment_member_ids(session=s, code="near-riga-centrs")
        assert service.count_profiles(session=s) == 1501
    assert anna.id == anna_id and anna.family_name == "Bērziņa" and anna.phone == "+37120000000"
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p.phone)) for p in page if p.phone)
    assert {p.language for p in page} >= {"lv", "pl"}
    assert len(duplicates) >= customers_demo.LOOK_ALIKES
    assert anna.id in near and 0 < len(near) < 1501
