"""A guest browses the storefront in headless Chromium: search, filters, stores near Riga, a 390 px phone."""

from __future__ import annotations

import pytest

from tests.integration.web.test_storefront_shop import build

pytestmark = pytest.mark.browser
LOCALES = ("en", "ru", "pl", "lv", "zh")


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


@pytest.fixture
def shop(db, settings):
    return build(db, settings.data_dir)


def test_a_guest_finds_a_lipstick_by_search_and_opens_it_in_polish(shop, live_server, page):
    page.goto(f"{live_server.url}/?lang=pl")
    page.fill("#home-q", "szminka")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?q=szminka")
    page.locator(".product-card a", has_text="Szminka matująca Velvet").click()
    page.wait_for_url("**/p/**")

    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("h1").inner_text() == "Szminka matująca Velvet"
    assert "Wybierz wariant" in page.locator(".variants legend").inner_text()


def test_the_category_page_filters_by_brand_and_sorts_by_price(shop, live_server, page):
    page.goto(f"{live_server.url}/c/{shop.lips_slug}")
    page.check("input[name=brand][value=Velvetine]")
    page.wait_for_url("**brand=Velvetine**")
    page.select_option("select[name=sort]", "price_asc")
    page.wait_for_url("**sort=price_asc**")

    assert page.locator(".results .product-name").all_inner_texts() == ["Honey lip balm", "Velvet matte lipstick"]


def test_the_product_page_lists_stores_near_riga_with_stock(shop, live_server, page):
    page.goto(f"{live_server.url}/p/{shop.slug('LIP-VELVET')}?lat=56.95&lon=24.11")

    stores = page.locator(".storelist li").all_inner_texts()
    assert page.locator("#instore-title").inner_text() == "Stores near you with this product: 1"
    assert len(stores) == 1 and "Rīga Centrs" in stores[0] and "Available: 5" in stores[0]


def test_every_page_works_on_a_390_px_phone_in_every_language(shop, live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    pages = {"home": "/", "category": f"/c/{shop.lips_slug}", "product": f"/p/{shop.slug('LIP-VELVET')}",
             "search": "/search?q=lip", "stores": "/stores"}
    overflowing = []
    try:
        for locale in LOCALES:
            for name, path in pages.items():
                page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={locale}")
                if page.evaluate("document.documentElement.scrollWidth") > 390:
                    overflowing.append((name, locale))
                if name != "stores":
                    page.screenshot(path=str(artifacts / f"storefront-{name}-{locale}.png"), full_page=True)
    finally:
        context.close()

    assert overflowing == []
