"""The cart page: plain forms that add, change and remove lines, say why a line cannot be bought, and keep a
guest's cart in a cookie until sign-in claims it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from omniretail.cart import service as cart_service
from tests.integration.web.storefront_helpers import add, post, shopper, sign_in
from tests.integration.web.test_storefront_shop import BeautyShop, build


@pytest.fixture
def shop(db, settings) -> BeautyShop:
    return build(db, settings.data_dir)


def _line_ids(html: str) -> list[str]:
    return re.findall(r'id="line-([0-9a-f-]{36})"', html)


def test_a_guest_adds_a_lipstick_and_sees_it_in_the_cart_with_its_picture_and_total(client, shop):
    added = add(client, "LIP-VELVET-07", 2)
    page = client.get("/cart")

    assert added.status_code == 303 and added.headers["location"] == "/cart?notice=added"
    assert "or_cart" in client.cookies
    assert page.status_code == 200
    assert "Velvet matte lipstick" in page.text and "/media/catalog/LIP-VELVET.thumb.jpg" in page.text
    assert re.search(r'class="grand">€29.98<', page.text)
    assert 'href="/checkout"' in page.text
    assert '<span class="badge">2</span>' in page.text


def test_changing_the_quantity_and_removing_a_line_work_without_javascript(client, shop):
    add(client, "LIP-VELVET-07")
    add(client, "LIP-BALM-07")
    ruby, balm = _line_ids(client.get("/cart").text)

    changed = post(client, f"/cart/lines/{ruby}", {"quantity": "3", "action": "update"})
    removed = post(client, f"/cart/lines/{balm}", {"quantity": "1", "action": "remove"})
    page = client.get("/cart")

    assert changed.status_code == removed.status_code == 303
    assert _line_ids(page.text) == [ruby]
    assert 'name="quantity" value="3"' in page.text
    assert "The item is removed from your cart." in client.get(removed.headers["location"]).text


def test_a_line_with_too_little_stock_says_why_and_blocks_checkout(client, shop):
    add(client, "LIP-GLOSS-07", 3)

    page = client.get("/cart", params={"lang": "pl"})
    checkout = client.get("/checkout", follow_redirects=False)

    assert 'class="problem"' in page.text
    assert 'href="/checkout"' not in page.text
    assert checkout.status_code == 303 and checkout.headers["location"] == "/cart"


def test_an_unknown_item_is_not_added_and_the_cart_says_so(client, shop):
    response = add(client, "NO-SUCH-SKU")

    assert response.headers["location"] == "/cart?notice=unknown-item"
    assert _line_ids(client.get("/cart").text) == []


def test_a_form_post_without_the_csrf_token_is_refused(client, shop):
    client.get("/stores")

    without = client.post("/cart/lines", data={"sku": "LIP-VELVET-07", "quantity": "1"}, follow_redirects=False)
    forged = client.post("/cart/lines", data={"sku": "LIP-VELVET-07", "csrf_token": "x" * 40},
                         follow_redirects=False)
    checkout = client.post("/checkout", data={"email": "a@shop.example.com"}, follow_redirects=False)

    assert without.status_code == forged.status_code == checkout.status_code == 403
    assert "or_cart" not in client.cookies


def test_signing_in_claims_the_guest_cart_and_merges_it_into_the_account_cart(client, db, shop):
    email = shopper(db)
    sign_in(client, email)
    add(client, "LIP-VELVET-07")
    post(client, "/account/signout", {})
    client.cookies.clear()
    add(client, "LIP-BALM-07", 2)

    sign_in(client, email)
    page = client.get("/cart")

    assert "or_cart" not in client.cookies
    assert "Velvet matte lipstick" in page.text and "Honey lip balm" in page.text
    with db.transaction() as session:
        carts = list(session.scalars(select(cart_service.Cart).where(cart_service.Cart.status == "open")))
        assert len(carts) == 1 and {ln.sku: ln.quantity for ln in carts[0].lines} == {
            "LIP-VELVET-07": 1, "LIP-BALM-07": 2}


def _statements(db, action) -> int:
    from sqlalchemy import event

    count = 0

    def seen(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return count


def test_the_cart_page_reads_the_same_number_of_times_for_one_line_or_three(client, db, shop):
    add(client, "LIP-VELVET-07")
    client.get("/cart")
    one = _statements(db, lambda: client.get("/cart"))
    add(client, "LIP-BALM-07")
    add(client, "LIP-GLOSS-07")
    client.get("/cart")

    three = _statements(db, lambda: client.get("/cart"))

    assert three == one
    assert one <= 30


def test_a_coupon_shows_its_discount_in_the_totals_and_can_be_taken_off(client, db, shop):
    from omniretail.promotions import service as promotions_service

    with db.transaction() as session:
        promotion = promotions_service.create_promotion(session=session, data=promotions_service.PromotionInput(
            name="WELCOME10", kind="percent_off", percent_bp=1000, requires_coupon=True))
        promotions_service.create_coupon(session=session, promotion_id=promotion.id, code="WELCOME10")
    add(client, "LIP-VELVET-07", 2)

    applied = post(client, "/cart/coupon", {"code": " welcome10 "})
    with_coupon = client.get("/cart")
    refused = post(client, "/cart/coupon", {"code": "NOPE-2026"})
    removed = post(client, "/cart/coupon", {"code": "WELCOME10", "action": "remove"})
    without = client.get("/cart")

    assert applied.headers["location"] == "/cart?notice=coupon"
    assert '<dt class="discount">WELCOME10</dt><dd class="discount">-€3.00</dd>' in with_coupon.text
    assert 'class="grand">€26.98<' in with_coupon.text and '<span class="tag">WELCOME10</span>' in with_coupon.text
    assert refused.headers["location"] == "/cart?notice=coupon-refused"
    assert removed.headers["location"] == "/cart?notice=coupon-removed"
    assert re.search(r'class="grand">€29.98<', without.text) and 'class="discount"' not in without.text
