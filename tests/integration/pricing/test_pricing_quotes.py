"""Prices per channel, scheduled sales, VAT and the consistency report."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "catalog"))

from catalog_factories import lipstick, shop
from sqlalchemy import select

from omniretail.channels import service as channels_service
from omniretail.kernel import clock
from omniretail.kernel.money import Money
from omniretail.pricing import service as pricing_service


def test_a_scheduled_sale_price_applies_only_inside_its_window(db):
    now = clock.now()
    with db.transaction() as s:
        sh = shop(s)
        variant = lipstick(s, sh).variants[0]
        pricing_service.schedule_sale(session=s, actor=None, price_list_id=sh.eur.id, variant_id=variant.id,
                                      amount_minor=999, starts_at=now + timedelta(days=1),
                                      ends_at=now + timedelta(days=3))

    with db.transaction(read_only=True) as s:
        before = pricing_service.price_for(session=s, channel_id=sh.web.id, variant_id=variant.id)
        during = pricing_service.prices_for(session=s, channel_id=sh.web.id, variant_ids=[variant.id],
                                            at=now + timedelta(days=2))[variant.id]
        after = pricing_service.price_for(session=s, channel_id=sh.web.id, variant_id=variant.id,
                                          at=now + timedelta(days=3))

    assert before == Money(1499, "EUR") == after
    assert during.current == Money(999, "EUR") and during.on_sale and during.regular == Money(1499, "EUR")
    assert during.tax_inclusive and during.tax == Money(173, "EUR")


def test_the_consistency_report_names_variants_whose_store_and_web_prices_differ(db):
    with db.transaction() as s:
        sh = shop(s)
        lip = lipstick(s, sh)
        store = channels_service.create_channel(session=s, actor=None, code="pos-riga", name="POS Rīga",
                                                kind="store", currency="EUR", country="LV", locales=["lv"],
                                                default_locale="lv")
        store_list = pricing_service.create_price_list(session=s, actor=None, code="eur-store", name="Store",
                                                       currency="EUR", country="LV")
        pricing_service.assign_price_list(session=s, actor=None, channel_id=store.id, price_list_id=store_list.id)
        pricing_service.set_prices(session=s, actor=None, price_list_id=store_list.id,
                                   amounts={lip.variants[0].id: 1499, lip.variants[1].id: 1599})
        pricing_service.create_rule(session=s, actor=None, code="store-equals-web", name="Store = web",
                                    channel_ids=[sh.web.id, store.id])

    with db.transaction(read_only=True) as s:
        report = pricing_service.consistency_report(session=s)

    assert [(r.variant_id, r.prices) for r in report] == [
        (lip.variants[1].id, {"web-eu": Money(1499, "EUR"), "pos-riga": Money(1599, "EUR")})]


def test_a_variant_without_a_price_in_the_channel_has_no_price(db):
    with db.transaction() as s:
        sh = shop(s)
        variant = lipstick(s, sh).variants[0]
        channel = channels_service.create_channel(session=s, actor=None, code="bolt-food", name="Bolt Food",
                                                  kind="delivery", currency="EUR", country="LV", locales=["lv"],
                                                  default_locale="lv")

    with db.transaction(read_only=True) as s:
        assert pricing_service.price_for(session=s, channel_id=channel.id, variant_id=variant.id) is None


def test_the_sql_current_price_agrees_with_the_quote_inside_and_outside_overlapping_sales(db):
    now = clock.now()
    with db.transaction() as s:
        sh = shop(s)
        variant = lipstick(s, sh).variants[0]
        for amount, starts, ends in ((1199, -2, 2), (999, 1, 3), (1799, -5, None)):
            pricing_service.schedule_sale(session=s, actor=None, price_list_id=sh.eur.id, variant_id=variant.id,
                                          amount_minor=amount, starts_at=now + timedelta(days=starts),
                                          ends_at=now + timedelta(days=ends) if ends is not None else None)

    with db.transaction(read_only=True) as s:
        seen = {}
        for day in (-3, 0, 1.5, 2.5, 4):
            at = now + timedelta(days=day)
            in_sql = s.scalar(select(pricing_service.current_amount_of(price_list_id=sh.eur.id,
                                                                       variant_id=variant.id, at=at)))
            quoted = pricing_service.price_for(session=s, channel_id=sh.web.id, variant_id=variant.id, at=at)
            seen[day] = (in_sql, quoted.amount_minor)

    assert seen == {-3: (1499, 1499), 0: (1199, 1199), 1.5: (999, 999), 2.5: (999, 999), 4: (1499, 1499)}
