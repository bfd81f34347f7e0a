"""Featured collections: hand-picked shelves in order, and rule shelves (newest, on sale, best-selling)."""

from __future__ import annotations

from datetime import timedelta

from catalog_factories import cream, lipstick, product, shop

from omniretail.catalog.collections import service as collections_service
from omniretail.catalog.collections.service import NO_BEST_SELLERS
from omniretail.kernel import clock
from omniretail.pricing import service as pricing_service


def _three_products(s):
    sh = shop(s)
    lip, day_cream = lipstick(s, sh), cream(s, sh)
    hidden = product(s, sh, code="MASCARA-NOIR", brand="Velvetine", names={"en": "Noir mascara"},
                     skus=["MASCARA-NOIR-01"], category=sh.makeup, publish=False)
    return sh, lip, day_cream, hidden


def test_a_manual_collection_shows_the_picked_products_in_order_and_hides_unpublished_ones(db):
    with db.transaction() as s:
        _, lip, day_cream, hidden = _three_products(s)
        collections_service.create_collection(session=s, actor=None, code="home-picks",
                                              titles={"en": "Our picks", "pl": "Polecamy"},
                                              product_ids=[day_cream.id, hidden.id, lip.id])

    with db.transaction(read_only=True) as s:
        shelves = collections_service.shelves(session=s, channel_ref="web-eu", locale="pl")

    assert [(shelf.code, shelf.title) for shelf in shelves] == [("home-picks", "Polecamy")]
    assert [c.name for c in shelves[0].items] == ["Nawilżający krem na dzień", "Szminka matująca Velvet"]
    assert shelves[0].items[0].price is not None


def test_an_on_sale_collection_holds_only_products_with_a_current_sale_price(db):
    now = clock.now()
    with db.transaction() as s:
        sh, _, day_cream, _ = _three_products(s)
        pricing_service.schedule_sale(session=s, actor=None, price_list_id=sh.eur.id,
                                      variant_id=day_cream.variants[0].id, amount_minor=1990,
                                      starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=7))
        collections_service.create_collection(session=s, actor=None, code="sale", titles={"en": "On sale"},
                                              rule="on_sale")

    with db.transaction(read_only=True) as s:
        shelf = collections_service.shelves(session=s, channel_ref="web-eu", locale="en")[0]

    assert [c.id for c in shelf.items] == [day_cream.id]
    assert shelf.items[0].price.on_sale


def test_best_selling_without_sales_figures_shows_the_newest_and_says_so(db):
    with db.transaction() as s:
        sh, lip, _, _ = _three_products(s)
        collections_service.create_collection(session=s, actor=None, code="makeup-best", titles={"en": "Best"},
                                              rule="best_selling", category_id=sh.makeup.id, size=4)

    with db.transaction(read_only=True) as s:
        home = collections_service.shelves(session=s, channel_ref="web-eu", locale="en")
        makeup = collections_service.shelves(session=s, channel_ref="web-eu", locale="en",
                                             category_id=sh.makeup.id)

    assert home == []
    assert makeup[0].rule_note == NO_BEST_SELLERS
    assert [c.id for c in makeup[0].items] == [lip.id]


def test_best_selling_asks_the_sales_port_when_one_is_given(db):
    with db.transaction() as s:
        _, lip, day_cream, _ = _three_products(s)
        collections_service.create_collection(session=s, actor=None, code="best", titles={"en": "Best"},
                                              rule="best_selling")

    class Sales:
        def best_selling(self, *, session, channel_id, among, limit):
            return [day_cream.id, lip.id][:limit]

    with db.transaction(read_only=True) as s:
        shelf = collections_service.shelves(session=s, channel_ref="web-eu", locale="en", best_sellers=Sales())[0]

    assert shelf.rule_note is None
    assert [c.id for c in shelf.items] == [day_cream.id, lip.id]
