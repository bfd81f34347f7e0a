"""Cached storefront reads: every committed write, and every sale or publication window that opens, shows on the
next request, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from catalog_factories import cream, lipstick, product, shop

from omniretail.catalog import service as catalog_service
from omniretail.catalog.search import service as search_service
from omniretail.catalog.storefront import service as storefront
from omniretail.kernel import clock
from omniretail.pricing import service as pricing_service


def _ids(result: search_service.SearchResult) -> list:
    return [h.product_id for h in result.hits]


def _cheapest_first(db, sh) -> search_service.SearchResult:
    with db.transaction(read_only=True) as s:
        return search_service.search(session=s, channel_id=sh.web.id, sort="price_asc")


def test_a_price_change_committed_after_a_page_was_served_shows_on_the_next_page(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, cr = lipstick(s, sh), cream(s, sh)
    before = _cheapest_first(db, sh)
    hits_before = search_service._RANKED.hits

    with db.transaction() as s:
        pricing_service.set_prices(session=s, actor=None, price_list_id=sh.eur.id,
                                   amounts={v.id: 999 for v in cr.variants})
    after = _cheapest_first(db, sh)
    again = _cheapest_first(db, sh)

    assert _ids(before) == [lip.id, cr.id]
    assert _ids(after) == [cr.id, lip.id]
    assert after.hits[0].price.current.amount_minor == 999
    assert _ids(again) == _ids(after) and search_service._RANKED.hits == hits_before + 1


def test_a_product_published_after_a_search_was_served_is_found_by_the_same_search(db):
    with db.transaction() as s:
        sh = shop(s)
        lip = lipstick(s, sh)
        hidden = product(s, sh, code="LIP-LATER", brand="Velvetine", names={"en": "Later lipstick"},
                         skus=["LIP-LATER-01"], category=sh.lips, publish=False)
    with db.transaction(read_only=True) as s:
        first = _ids(search_service.search(session=s, query="lipstick", channel_id=sh.web.id))

    with db.transaction() as s:
        catalog_service.publish(session=s, actor=None, product_id=hidden.id, channel_id=sh.web.id)
    with db.transaction(read_only=True) as s:
        second = _ids(search_service.search(session=s, query="lipstick", channel_id=sh.web.id))

    assert first == [lip.id]
    assert set(second) == {lip.id, hidden.id}


def test_a_sale_that_begins_later_reorders_the_cached_page_when_it_begins_without_any_write(db):
    clock.freeze(clock.now())
    with db.transaction() as s:
        sh = shop(s)
        lip, cr = lipstick(s, sh), cream(s, sh)
        pricing_service.schedule_sale(session=s, actor=None, price_list_id=sh.eur.id, variant_id=cr.variants[0].id,
                                      amount_minor=650, starts_at=clock.now() + timedelta(hours=2))
    before = _cheapest_first(db, sh)

    clock.advance(timedelta(hours=2, seconds=1))
    after = _cheapest_first(db, sh)

    assert _ids(before) == [lip.id, cr.id]
    assert _ids(after) == [cr.id, lip.id]
    assert after.hits[0].price.current.amount_minor == 650


def test_a_search_inside_the_writing_transaction_sees_its_own_change(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, cr = lipstick(s, sh), cream(s, sh)
    _cheapest_first(db, sh)

    with db.transaction() as s:
        pricing_service.set_prices(session=s, actor=None, price_list_id=sh.eur.id,
                                   amounts={v.id: 100 for v in cr.variants})
        inside = _ids(search_service.search(session=s, channel_id=sh.web.id, sort="price_asc"))

    assert inside == [cr.id, lip.id]


def test_changing_a_served_result_does_not_change_the_next_one(db):
    with db.transaction() as s:
        sh = shop(s)
        lipstick(s, sh)
    with db.transaction(read_only=True) as s:
        first = search_service.search(session=s, channel_id=sh.web.id, filters=search_service.Filters(
            category_id=sh.lips.id))
        first.facets["brand"]["Velvetine"] = 99
        first.facets.pop("category", None)
        second = search_service.search(session=s, channel_id=sh.web.id, filters=search_service.Filters(
            category_id=sh.lips.id))

    assert second.facets["brand"] == {"Velvetine": 1}
    assert "category" in second.facets


def test_a_served_category_page_shows_a_new_price_and_a_started_sale_on_the_next_visit(db):
    clock.freeze(clock.now())
    with db.transaction() as s:
        sh = shop(s)
        lip = lipstick(s, sh)
        pricing_service.schedule_sale(session=s, actor=None, price_list_id=sh.eur.id,
                                      variant_id=lip.variants[0].id, amount_minor=999,
                                      starts_at=clock.now() + timedelta(days=1))

    def visit() -> list:
        with db.transaction(read_only=True) as s:
            page = storefront.browse(session=s, channel_ref="web-eu", locale="en",
                                     filters=search_service.Filters(category_id=sh.lips.id))
        return [(card.id, card.price.amount_minor) for card in page.items]

    first, again = visit(), visit()
    with db.transaction() as s:
        pricing_service.set_prices(session=s, actor=None, price_list_id=sh.eur.id,
                                   amounts={v.id: 1599 for v in lip.variants})
    repriced = visit()
    clock.advance(timedelta(days=1))
    on_sale = visit()

    assert first == again == [(lip.id, 1499)]
    assert repriced == [(lip.id, 1599)]
    assert on_sale == [(lip.id, 999)]
