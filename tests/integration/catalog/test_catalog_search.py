"""Search across five languages on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from catalog_factories import cream, lipstick, product, shop

from omniretail.catalog.search import service as search_service
from omniretail.catalog.search.service import Filters
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.pricing import service as pricing_service


def _ids(result: search_service.SearchResult) -> list:
    return [h.product_id for h in result.hits]


def test_search_finds_a_lipstick_by_a_word_from_any_locale(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, _ = lipstick(s, sh), cream(s, sh)

    with db.transaction(read_only=True) as s:
        found = {q: _ids(search_service.search(session=s, query=q, channel_id=sh.web.id))
                 for q in ("lipstick", "Szminka", "помада", "lūpu", "口红")}

    assert all(ids == [lip.id] for ids in found.values()), found


def test_search_finds_a_lipstick_by_a_misspelled_polish_word(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, _ = lipstick(s, sh), cream(s, sh)

    with db.transaction(read_only=True) as s:
        result = search_service.search(session=s, query="szmnika matujaca ", channel_id=sh.web.id)

    assert _ids(result) == [lip.id]
    assert result.corrected == {"szmnika": "szminka"}


def test_search_folds_accents_so_latvian_krems_finds_kremas(db):
    with db.transaction() as s:
        sh = shop(s)
        cr = cream(s, sh)

    with db.transaction(read_only=True) as s:
        ids = _ids(search_service.search(session=s, query="kremss dienas", channel_id=sh.web.id))

    assert ids == [cr.id]


def test_search_finds_a_chinese_phrase_typed_without_spaces(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, _ = lipstick(s, sh), cream(s, sh)

    with db.transaction(read_only=True) as s:
        phrase = _ids(search_service.search(session=s, query="哑光口红", channel_id=sh.app_cn.id))
        other_split = _ids(search_service.search(session=s, query="绒哑光", channel_id=sh.app_cn.id))

    assert phrase == [lip.id]
    assert other_split == [lip.id]


def test_search_completes_the_word_being_typed_and_suggests_it(db):
    with db.transaction() as s:
        sh = shop(s)
        lip = lipstick(s, sh)

    with db.transaction(read_only=True) as s:
        ids = _ids(search_service.search(session=s, query="velv", channel_id=sh.web.id))
        suggestions = search_service.suggest(session=s, prefix="lipst", channel_id=sh.web.id)

    assert ids == [lip.id]
    assert suggestions == ["lipstick"]


def test_search_finds_a_variant_by_its_sku(db):
    with db.transaction() as s:
        sh = shop(s)
        lip = lipstick(s, sh)

    with db.transaction(read_only=True) as s:
        ids = _ids(search_service.search(session=s, query="LIP-VELVET-12", channel_id=sh.web.id))

    assert ids == [lip.id]


def test_search_filters_by_category_brand_attribute_and_price_band_with_counts(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, cr = lipstick(s, sh), cream(s, sh)
        cheap = product(s, sh, code="LIP-BALM", brand="Aqualis", names={"en": "Lip balm"}, skus=["LIP-BALM-01"],
                        category=sh.lips, eur=450, attributes={"shade": "nude"})

    with db.transaction(read_only=True) as s:
        makeup = search_service.search(session=s, channel_id=sh.web.id, filters=Filters(category_id=sh.makeup.id))
        aqualis_lips = search_service.search(session=s, channel_id=sh.web.id,
                                             filters=Filters(brands=["Aqualis"], category_id=sh.lips.id))
        ruby = search_service.search(session=s, channel_id=sh.web.id, filters=Filters(attributes={"shade": ["ruby"]}))
        band = search_service.search(session=s, channel_id=sh.web.id, filters=Filters(price_band="20-50"))

    assert set(_ids(makeup)) == {lip.id, cheap.id}
    assert makeup.facets["brand"] == {"Velvetine": 1, "Aqualis": 1}
    assert makeup.facets["attr.shade"] == {"ruby": 1, "nude": 1}
    assert _ids(aqualis_lips) == [cheap.id]
    assert _ids(ruby) == [lip.id]
    assert _ids(band) == [cr.id]
    assert band.facets["price_band"] == {"20-50": 1}


def test_search_sorts_by_price_and_shows_the_channel_price(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, cr = lipstick(s, sh), cream(s, sh)

    with db.transaction(read_only=True) as s:
        cheapest_first = search_service.search(session=s, channel_id=sh.web.id, sort="price_asc")
        dearest_first = search_service.search(session=s, channel_id=sh.app_cn.id, sort="price_desc")

    assert _ids(cheapest_first) == [lip.id, cr.id]
    assert cheapest_first.hits[0].price.current.amount_minor == 1499
    assert _ids(dearest_first) == [cr.id, lip.id]
    assert dearest_first.hits[0].price.current.currency == "CNY"


def test_search_shows_only_products_published_in_the_channel(db):
    with db.transaction() as s:
        sh = shop(s)
        lip = lipstick(s, sh)
        product(s, sh, code="LIP-HIDDEN", brand="Velvetine", names={"en": "Hidden lipstick"}, skus=["LIP-HID-01"],
                category=sh.lips, publish=False)

    with db.transaction(read_only=True) as s:
        ids = _ids(search_service.search(session=s, query="lipstick", channel_id=sh.web.id))

    assert ids == [lip.id]


def test_search_filters_to_products_in_stock_at_a_store(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, _ = lipstick(s, sh), cream(s, sh)
        store = inventory_service.create_location(session=s, actor=None, code="RIGA-CENTRS", name="Rīga Centrs",
                                                  kind="store", city="Rīga", country="LV", latitude=56.95,
                                                  longitude=24.1, timezone="Europe/Riga")
        inventory_service.adjust(session=s, actor=None, variant_id=lip.variants[0].id, location_id=store.id,
                                 delta=3, reason="opening count")

    with db.transaction(read_only=True) as s:
        ids = _ids(search_service.search(session=s, channel_id=sh.web.id, filters=Filters(in_stock_at=store.id)))

    assert ids == [lip.id]


def test_a_sale_that_has_started_reorders_price_sorting_and_bands_on_the_next_search(db):
    with db.transaction() as s:
        sh = shop(s)
        lip, cr = lipstick(s, sh), cream(s, sh)
    with db.transaction() as s:
        pricing_service.schedule_sale(session=s, actor=None, price_list_id=sh.eur.id, variant_id=cr.variants[0].id,
                                      amount_minor=650, starts_at=clock.now() - timedelta(minutes=1))
        pricing_service.schedule_sale(session=s, actor=None, price_list_id=sh.eur.id, variant_id=lip.variants[0].id,
                                      amount_minor=2000, starts_at=clock.now() - timedelta(minutes=1))

    with db.transaction(read_only=True) as s:
        cheapest_first = search_service.search(session=s, channel_id=sh.web.id, sort="price_asc")
        band = search_service.search(session=s, channel_id=sh.web.id, filters=Filters(price_band="5-10"))

    assert _ids(cheapest_first) == [cr.id, lip.id]
    assert cheapest_first.hits[0].price.current.amount_minor == 650
    assert _ids(band) == [cr.id]
    assert band.facets["price_band"] == {"5-10": 1}
