"""Checkout through the pages: delivery with the test card, pickup in the nearest store that has the whole cart,
errors next to their fields, one order per form however often it is sent, and the account's order history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from omniretail.ordering import service as ordering_service
from tests.integration.web.storefront_helpers import add, courier_form, form_key, post, shopper, sign_in
from tests.integration.web.test_storefront_shop import BeautyShop, build


@pytest.fixture
def shop(db, settings) -> BeautyShop:
    return build(db, settings.data_dir)


def _orders(db) -> int:
    with db.transaction(read_only=True) as session:
        return int(session.scalar(select(func.count()).select_from(ordering_service.Order)) or 0)


def test_a_guest_checks_out_for_courier_delivery_with_the_test_card(client, db, shop):
    add(client, "LIP-VELVET-07")
    page = client.get("/checkout")

    placed = post(client, "/checkout", courier_form(form_key(page.text)))
    confirmation = client.get(placed.headers["location"])

    assert page.status_code == 200 and "4242424242424242" in page.text
    assert placed.status_code == 303 and placed.headers["location"].startswith("/checkout/confirmation/")
    number = re.search(r'id="order-number">([^<]+)<', confirmation.text)
    assert confirmation.status_code == 200 and number
    assert "Courier to your door" in confirmation.text and "guest@shop.example.com" in confirmation.text
    assert _orders(db) == 1
    assert 'class="badge"' not in client.get("/cart").text


def test_sending_the_same_checkout_form_twice_makes_one_order(client, db, shop):
    add(client, "LIP-VELVET-07")
    form = courier_form(form_key(client.get("/checkout").text))

    first = post(client, "/checkout", form)
    second = post(client, "/checkout", form)

    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == first.headers["location"]
    assert _orders(db) == 1


def test_a_declined_card_shows_the_error_next_to_the_card_number_and_places_nothing(client, db, shop):
    add(client, "LIP-VELVET-07")
    form = courier_form(form_key(client.get("/checkout").text), card_number="4000 0000 0000 0002")

    response = post(client, "/checkout", form)

    assert response.status_code == 422
    assert 'id="card_number-error">The card was declined. Try another card.<' in response.text
    assert form_key(response.text) != form["key"]
    assert 'value="Brīvības iela 50"' in response.text
    assert _orders(db) == 0


def test_a_wrong_postal_code_and_e_mail_are_shown_next_to_their_fields_in_latvian(client, db, shop):
    add(client, "LIP-VELVET-07")
    form = courier_form(form_key(client.get("/checkout").text), postal_code="12", email="not-an-address")

    response = post(client, "/checkout", form, params={"lang": "lv"})

    assert response.status_code == 422
    assert 'id="postal_code-error"' in response.text and 'id="email-error"' in response.text
    assert 'aria-invalid="true" aria-describedby="postal_code-error"' in response.text
    assert '<html lang="lv">' in response.text
    assert _orders(db) == 0


def test_the_store_picker_lists_stores_nearest_first_with_whole_cart_availability(client, shop):
    add(client, "LIP-VELVET-07", 2)
    add(client, "LIP-GLOSS-07")

    page = client.get("/checkout", params={"lat": "59.43", "lon": "24.75"})

    picker = page.text.split('id="store-picker"')[1].split("</fieldset>")[0]
    names = re.findall(r"<strong>([^<]+)</strong>", picker)
    assert names == ["Tallinn Viru", "Rīga Centrs", "Warszawa Złote Tarasy"]
    assert "Has 1 of 2 items" in picker and picker.count("Has all your items") == 1
    assert re.search(r'value="[0-9a-f-]{36}"\s+checked\s*>\s*<strong>Rīga Centrs', picker)


def test_a_signed_in_shopper_picks_up_in_store_and_finds_the_order_with_its_timeline(client, db, shop):
    sign_in(client, shopper(db))
    add(client, "LIP-VELVET-07")
    page = client.get("/checkout", params={"lat": "59.43", "lon": "24.75"})
    tallinn = re.search(r'value="([0-9a-f-]{36})"[^>]*>\s*<strong>Tallinn Viru', page.text).group(1)

    placed = post(client, "/checkout", {"key": form_key(page.text), "email": "anna@shop.example.com",
                                        "method": "click_and_collect", "store": tallinn, "pay": "card",
                                        "card_number": "4242424242424242"})
    account = client.get("/account")
    order_path = re.search(r'href="(/account/orders/[0-9a-f-]{36})"', account.text).group(1)
    detail = client.get(order_path)

    assert placed.status_code == 303
    assert "Pick up in a store" in detail.text and "Tallinn Viru" in detail.text
    assert "Order placed" in detail.text and "Paid" in detail.text
    assert client.get(placed.headers["location"]).status_code == 200


def test_another_browser_cannot_open_the_confirmation_or_the_order(client, db, shop):
    add(client, "LIP-VELVET-07")
    placed = post(client, "/checkout", courier_form(form_key(client.get("/checkout").text)))
    client.cookies.clear()

    assert client.get(placed.headers["location"]).status_code == 404
    assert client.get("/account", follow_redirects=False).headers["location"].startswith("/account/signin")
