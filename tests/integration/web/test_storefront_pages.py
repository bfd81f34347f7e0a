"""Storefront browsing pages through the app: home, category, search, product and store locator."""

from __future__ import annotations

import re
import uuid

import pytest

from omniretail.kernel import i18n
from tests.integration.web.test_storefront_shop import BeautyShop, build

LOCALES = ("en", "ru", "pl", "lv", "zh")


@pytest.fixture
def shop(db, settings) -> BeautyShop:
    return build(db, settings.data_dir)


def _names(html: str) -> list[str]:
    return re.findall(r'class="product-name">([^<]+)<', html)


def test_home_shows_new_products_top_categories_and_a_search_box(client, shop):
    response = client.get("/")

    assert response.status_code == 200
    assert 'action="/search"' in response.text
    assert 'href="/c/makeup"' in response.text and 'href="/c/skincare"' in response.text
    assert "Velvet matte lipstick" in _names(response.text)


def test_category_page_shows_breadcrumbs_subcategories_and_only_its_products(client, shop):
    makeup = client.get("/c/makeup")
    lips = client.get(f"/c/{shop.lips_slug}")

    assert makeup.status_code == 200 and 'href="/c/lips"' in makeup.text
    assert lips.status_code == 200
    assert re.search(r'<li><a href="/c/makeup">Makeup</a></li>', lips.text)
    assert sorted(_names(lips.text)) == ["Honey lip balm", "Mirror shine lip gloss", "Velvet matte lipstick"]


def test_category_page_filters_by_brand_and_sorts_by_price(client, shop):
    response = client.get(f"/c/{shop.lips_slug}", params={"brand": "Velvetine", "sort": "price_desc"})

    assert response.status_code == 200
    assert _names(response.text) == ["Velvet matte lipstick", "Honey lip balm"]
    assert re.search(r'value="Velvetine"\s+checked', response.text)


def test_category_filter_in_stock_at_a_store_keeps_what_that_store_holds(client, shop):
    response = client.get(f"/c/{shop.lips_slug}", params={"store": "WARSAW-ZLOTE"})

    assert _names(response.text) == ["Velvet matte lipstick"]


def test_search_forgives_a_typo_and_finds_the_lipstick_in_polish(client, shop):
    response = client.get("/search", params={"q": "szminak", "lang": "pl"})

    assert response.status_code == 200
    assert "Szminka matująca Velvet" in _names(response.text)
    assert "Pokazujemy wyniki dla" in response.text


def test_product_page_shows_the_sale_price_beside_the_struck_regular_price(client, shop):
    response = client.get(f"/p/{shop.slug('LIP-BALM')}")

    assert response.status_code == 200
    assert re.search(r'<strong class="sale">€6.99</strong>.*<s>€8.99</s>', response.text, re.S)


def test_product_page_lists_stores_near_riga_that_have_the_chosen_shade(client, shop):
    ruby = client.get(f"/p/{shop.slug('LIP-VELVET')}", params={"lat": "56.95", "lon": "24.11"})
    plum = client.get(f"/p/{shop.slug('LIP-VELVET')}", params={"variant": "LIP-VELVET-08"})

    assert "Stores near you with this product: 1" in ruby.text
    assert "Rīga Centrs" in ruby.text and "Available: 5" in ruby.text
    assert "Distances from your location." in ruby.text
    assert "Not available in stores near you" in plum.text and "Distances from Riga." in plum.text
    assert "Warszawa Złote Tarasy" in plum.text


def test_product_page_shows_gallery_swatches_description_and_related_products(client, shop):
    response = client.get(f"/p/{shop.slug('LIP-VELVET', 'pl')}", params={"lang": "pl"})

    assert response.status_code == 200
    assert '<img src="/media/catalog/LIP-VELVET.jpg" alt="Szminka Velvet, rubin"' in response.text
    assert re.search(r'name="variant" value="LIP-VELVET-07"\s+checked', response.text)
    assert "velvet" in response.text.split('class="rich"')[1]
    assert client.get("/media/catalog/LIP-VELVET.jpg").status_code == 200
    assert "Błyszczyk lustrzany" in _names(response.text)


def test_store_locator_orders_stores_by_distance_and_shows_hours_and_services(client, shop):
    response = client.get("/stores", params={"lat": "59.43", "lon": "24.75", "lang": "ru"})

    assert response.status_code == 200
    order = [m for m in re.findall(r"<h2>([^<]+)</h2>", response.text)]
    assert order == ["Tallinn Viru", "Rīga Centrs", "Warszawa Złote Tarasy"]
    assert "Понедельник — пятница" in response.text and "10:00–21:00" in response.text  # noqa: RUF001
    assert "Самовывоз" in response.text and "Возврат" in response.text


def test_unknown_addresses_show_the_not_found_page(client, shop):
    paths = ["/c/no-such-category", "/p/no-such-product", f"/p/{uuid.uuid4()}", "/p/%00%ff", "/c/%E2%80%AE"]

    responses = [client.get(path) for path in paths]

    assert [r.status_code for r in responses] == [404] * len(paths)
    assert all("We could not find this page" in r.text for r in responses)


NONSENSE = ["page=-3&sort=cheapest", "page=99999999999999999999", "page=abc", "price=1-2&brand=",
            "attr=shade&attr=:x", "store=NOWHERE", "lat=nan&lon=inf", "lat=999&lon=-999", "lat=abc", "variant=NOPE",
            "q=" + "x" * 5000, "near=Atlantis&service=teleport", "lang=xx",
            "q=%00lip&brand=%00&attr=shade:%00&store=%00"]


def test_nonsense_query_parameters_still_show_every_page(client, shop):
    paths = ["/", f"/c/{shop.lips_slug}", "/search?q=lip", f"/p/{shop.slug('LIP-VELVET')}", "/stores"]

    statuses = {(p, q): client.get(f"{p}{'&' if '?' in p else '?'}{q}").status_code
                for p in paths for q in NONSENSE}

    assert {key: status for key, status in statuses.items() if status != 200} == {}


@pytest.fixture
def untranslated(monkeypatch) -> set[str]:
    """Messages looked up during rendering that the locale's catalog lacks."""
    misses: set[str] = set()
    real = i18n.translations

    class Recording:
        def __init__(self, inner):
            self.inner = inner

        def ugettext(self, message):
            if message not in getattr(self.inner, "_catalog", {}):
                misses.add(message)
            return self.inner.ugettext(message)

        def ungettext(self, singular, plural, n):
            if (singular, 0) not in getattr(self.inner, "_catalog", {}):
                misses.add(singular)
            return self.inner.ungettext(singular, plural, n)

    monkeypatch.setattr(i18n, "translations",
                        lambda locale: real(locale) if locale == "en" else Recording(real(locale)))
    return misses


def test_every_page_in_every_language_has_no_untranslated_text(client, shop, untranslated):
    paths = ["/", f"/c/{shop.lips_slug}", "/search?q=lip", "/search", f"/p/{shop.slug('LIP-VELVET')}",
             f"/p/{shop.slug('LIP-BALM')}?lat=56.95&lon=24.1", "/stores", "/stores?near=Riga", "/p/missing"]

    pages = {(path, locale): client.get(path, params={"lang": locale}) for locale in LOCALES for path in paths}

    assert {key for key, page in pages.items() if page.status_code != 200} == {("/p/missing", loc) for loc in LOCALES}
    assert untranslated == set()
    assert all(f'<html lang="{locale}">' in page.text for (_, locale), page in pages.items())


def test_pages_weigh_under_150_kb_and_the_shell_is_installable(client, shop):
    paths = ["/", f"/c/{shop.lips_slug}", "/search?q=lip", f"/p/{shop.slug('LIP-VELVET')}", "/stores"]

    sizes = {path: len(client.get(path).content) for path in paths}
    worker = client.get("/sw.js")
    manifest = client.get("/static/manifest.webmanifest").json()

    assert max(sizes.values()) < 150_000, sizes
    assert worker.status_code == 200 and worker.headers["service-worker-allowed"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert all(client.get(icon["src"]).status_code == 200 for icon in manifest["icons"])


def test_cart_checkout_and_account_pages_in_every_language_have_no_untranslated_text(client, db, shop, untranslated):
    from tests.integration.web.storefront_helpers import add, courier_form, form_key, post, shopper, sign_in

    sign_in(client, shopper(db))
    add(client, "LIP-VELVET-07")
    add(client, "LIP-GLOSS-07", 3)
    blocked_cart = {locale: client.get("/cart", params={"lang": locale}) for locale in LOCALES}
    post(client, f"/cart/lines/{re.findall(r'id=.line-([0-9a-f-]{36})', blocked_cart['en'].text)[1]}",
         {"action": "remove"})
    declined = post(client, "/checkout", courier_form(form_key(client.get("/checkout").text),
                                                       card_number="4000000000000002", postal_code="1"))
    placed = post(client, "/checkout", courier_form(form_key(client.get("/checkout").text)))
    order = re.search(r'href="(/account/orders/[0-9a-f-]{36})"', client.get("/account").text).group(1)
    paths = ["/cart", "/checkout", "/checkout?lat=56.95&lon=24.1", "/account", order, placed.headers["location"],
             "/cart?notice=removed"]
    add(client, "LIP-VELVET-07")

    pages = {(path, locale): client.get(path, params={"lang": locale}) for locale in LOCALES for path in paths}
    guest_pages = []
    client.cookies.clear()
    for locale in LOCALES:
        for path in ("/account/signin", "/account/signup", "/account/reset", "/cart", "/scan"):
            guest_pages.append(client.get(path, params={"lang": locale}))

    assert declined.status_code == 422
    assert {key: page.status_code for key, page in pages.items() if page.status_code != 200} == {}
    assert all(page.status_code == 200 for page in [*guest_pages, *blocked_cart.values()])
    assert untranslated == set()
    assert max(len(page.content) for page in pages.values()) < 150_000
