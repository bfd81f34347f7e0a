"""Shoppers buy in headless Chromium on a 390 px phone: a guest has a lipstick delivered and pays with the test
card (cart and checkout are screenshotted in every language); a signed-in shopper picks one up in the store
nearest to them and follows the order in their account."""

from __future__ import annotations

import pytest

from tests.integration.web.storefront_helpers import PASSWORD, shopper
from tests.integration.web.test_storefront_shop import build

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LOCALES = ("en", "ru", "pl", "lv", "zh")
TALLINN = {"latitude": 59.4370, "longitude": 24.7536}


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


@pytest.fixture
def shop(db, settings):
    return build(db, settings.data_dir)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, geolocation=TALLINN, permissions=["geolocation"])
    yield context.new_page()
    context.close()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_guest_finds_a_lipstick_and_checks_out_for_delivery_with_the_test_card(shop, live_server, phone, artifacts):
    page = phone
    page.goto(f"{live_server.url}/")
    page.fill("#home-q", "velvet")
    page.press("#home-q", "Enter")
    page.locator(".product-card a", has_text="Velvet matte lipstick").click()
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart?notice=added")
    overflowing = []
    for locale in LOCALES:
        for name in ("cart", "checkout"):
            page.goto(f"{live_server.url}/{name}?lang={locale}")
            if not _fits(page):
                overflowing.append((name, locale))
            page.screenshot(path=str(artifacts / f"storefront-{name}-{locale}.png"), full_page=True)
    page.goto(f"{live_server.url}/cart?lang=en")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout")
    page.fill("input[name=email]", "guest@shop.example.com")
    page.fill("input[name=name]", "Līga Kalniņa")
    page.fill("input[name=line1]", "Brīvības iela 50")
    page.fill("input[name=postal_code]", "LV-1011")
    page.fill("input[name=city]", "Rīga")
    page.fill("input[name=card_number]", "4242 4242 4242 4242")
    page.get_by_role("button", name="Place the order").click()
    page.wait_for_url("**/checkout/confirmation/**")

    assert page.locator("h1").inner_text() == "Thank you for your order"
    assert page.locator("#order-number").inner_text().strip() != ""
    assert overflowing == [] and _fits(page)


def test_a_signed_in_shopper_picks_up_in_the_nearest_store_and_follows_the_order(db, shop, live_server, phone):
    page = phone
    email = shopper(db)
    page.goto(f"{live_server.url}/account/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/p/{shop.slug('LIP-VELVET')}")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart?notice=added")
    page.get_by_role("link", name="Check out").click()
    page.get_by_role("radio", name="Pick up in a store").check()
    page.get_by_role("button", name="Sort stores by my location").click()
    page.wait_for_url("**/checkout?lat=**")
    page.get_by_role("radio", name="Pick up in a store").check()
    stores = page.locator("#store-picker li strong").all_inner_texts()
    page.locator("#store-picker label", has_text="Tallinn Viru").click()
    page.fill("input[name=card_number]", "4242424242424242")
    page.get_by_role("button", name="Place the order").click()
    page.wait_for_url("**/checkout/confirmation/**")
    number = page.locator("#order-number").inner_text().strip()
    page.get_by_role("link", name="Follow this order in your account").click()
    timeline = page.locator(".timeline").inner_text()
    page.goto(f"{live_server.url}/account")

    assert stores == ["Tallinn Viru", "Rīga Centrs", "Warszawa Złote Tarasy"]
    assert "Order placed" in timeline and "Paid" in timeline
    assert page.locator(".order-row", has_text=number).count() == 1


def _till_sale(db, email: str) -> str:
    """An in-store purchase at Rīga Centrs by the shopper's account, already handed over at the counter."""
    import uuid

    from omniretail.catalog import service as catalog_service
    from omniretail.identity import service as identity_service
    from omniretail.inventory import service as inventory_service
    from omniretail.ordering import service as ordering_service
    from omniretail.ordering.rules import OrderStatus

    with db.transaction() as s:
        riga = next(loc.id for loc in inventory_service.list_locations(session=s) if loc.code == "RIGA-CENTRS")
        ref = next(r for r in catalog_service.variant_refs(session=s) if r.sku == "LIP-VELVET-07")
        customer = identity_service.customer_account_id(session=s, email=email)
        line = ordering_service.NewLine(ref.id, ref.sku, ref.name, 2, 1999, 3998, 694, 2100, riga)
        order = ordering_service.create_order(session=s, actor="till", new=ordering_service.NewOrder(
            channel_id=uuid.uuid4(), channel_code="pos-riga", channel_kind="store", location_id=riga,
            customer_id=customer, cart_id=None, checkout_key=None, hold_ref="till:1", currency="EUR",
            subtotal_minor=3998, tax_minor=694, shipping_minor=0, discount_minor=0, total_minor=3998, points=39,
            email=None, phone=None, delivery={"method": "carry_out", "location_id": str(riga)}, sourcing={},
            lines=(line,)), steps=[(OrderStatus.PAID, {}), (OrderStatus.ALLOCATED, {})])
        ordering_service.move(session=s, order=order, to=OrderStatus.PICKED_UP, actor="till")
        return order.number


def test_a_shopper_finds_an_in_store_purchase_in_the_account_and_starts_a_return(db, shop, live_server, phone):
    page = phone
    email = shopper(db)
    number = _till_sale(db, email)
    page.goto(f"{live_server.url}/account/signin?next=/account")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/account")
    row = page.locator(".order-row", has_text=number)
    where = row.inner_text()
    row.get_by_role("link", name=number).click()
    page.locator("tr[data-sku='LIP-VELVET-07'] select[name^=qty-]").select_option("1")
    page.locator("tr[data-sku='LIP-VELVET-07'] select[name^=reason-]").select_option("wrong_shade")
    page.get_by_role("button", name="Start the return").click()
    page.wait_for_url("**/account/returns?started=RMA-**")
    notice = page.locator("[role=status]").inner_text()

    assert "In store" in where and "Rīga Centrs" in where
    assert "is open" in notice and page.locator(".order-row", has_text=number).count() == 1
    assert _fits(page)
