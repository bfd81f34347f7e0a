"""The rest of the shopper's account through the pages: sending items of a collected order back, the returns list,
points with their history, addresses (a bad one keeps what was typed and saves nothing) and message consents."""

from __future__ import annotations

import re
import uuid

import pytest

from omniretail.customers import service as customers_service
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus
from omniretail.returns import service as returns_service
from tests.integration.web.storefront_helpers import add, form_key, post, shopper, sign_in
from tests.integration.web.test_storefront_shop import BeautyShop, build


@pytest.fixture
def shop(db, settings) -> BeautyShop:
    return build(db, settings.data_dir)


def _collected_order(client, db, quantity: int = 2) -> str:
    """A signed-in shopper buys for pickup in Tallinn and collects it; returns the order page path."""
    add(client, "LIP-VELVET-07", quantity)
    page = client.get("/checkout", params={"lat": "59.43", "lon": "24.75"})
    tallinn = re.search(r'value="([0-9a-f-]{36})"[^>]*>\s*<strong>Tallinn Viru', page.text).group(1)
    placed = post(client, "/checkout", {"key": form_key(page.text), "email": "anna@shop.example.com",
                                        "method": "click_and_collect", "store": tallinn, "pay": "card",
                                        "card_number": "4242424242424242"})
    assert placed.status_code == 303, placed.text
    path = re.search(r'href="(/account/orders/[0-9a-f-]{36})"', client.get("/account").text).group(1)
    with db.transaction() as session:
        order = ordering_service.get_order(session=session, order_id=uuid.UUID(path.rsplit("/", 1)[1]))
        for step in (OrderStatus.PICKING, OrderStatus.PACKED, OrderStatus.READY_FOR_PICKUP, OrderStatus.PICKED_UP):
            ordering_service.move(session=session, order=order, to=step, actor="test")
    return path


def _variant(html: str) -> str:
    return re.search(r'name="qty-([0-9a-f-]{36})"', html).group(1)


def _returns(db) -> list:
    with db.transaction(read_only=True) as session:
        return list(returns_service.list_returns(session=session, cursor=None, limit=50).items)


def test_a_shopper_sends_part_of_a_collected_order_back_and_sees_the_return(client, db, shop):
    sign_in(client, shopper(db))
    path = _collected_order(client, db)
    detail = client.get(path)
    variant = _variant(detail.text)

    started = post(client, f"{path}/return", {f"qty-{variant}": "1", f"reason-{variant}": "wrong_shade",
                                              "refund_method": "store_credit"})
    returns_page = client.get(started.headers["location"])
    again = client.get(path)

    assert 'id="start-return"' in detail.text and '<option value="2">2</option>' in detail.text
    assert "<form" not in detail.text.split("</title>")[0]  # the page title holds text only
    assert started.status_code == 303 and started.headers["location"].startswith("/account/returns?started=RMA")
    assert returns_page.status_code == 200 and "1 \u00d7 " in returns_page.text
    assert "Approved: bring or send the items" in returns_page.text
    (ret,) = _returns(db)
    assert ret.refund_method == "store_credit" and ret.lines[0].reason == "wrong_shade"
    assert ret.lines[0].quantity == 1 and ret.via == "online"
    # One is left to send back: the form now offers at most one.
    assert '<option value="2">2</option>' not in again.text and '<option value="1">1</option>' in again.text


def test_nothing_chosen_or_another_shoppers_order_opens_no_return(client, db, shop):
    sign_in(client, shopper(db))
    path = _collected_order(client, db, quantity=1)
    variant = _variant(client.get(path).text)

    empty = post(client, f"{path}/return", {f"qty-{variant}": "0"})
    client.cookies.clear()
    sign_in(client, shopper(db, email="other@shop.example.com"))
    foreign_page = client.get(path)
    foreign_post = post(client, f"{path}/return", {f"qty-{variant}": "1"})

    assert empty.status_code == 422 and "Choose how many of which item" in empty.text
    assert foreign_page.status_code == 404 and foreign_post.status_code == 404
    assert _returns(db) == []


def test_an_order_not_yet_collected_offers_no_return_form(client, db, shop):
    sign_in(client, shopper(db))
    add(client, "LIP-VELVET-07")
    page = client.get("/checkout", params={"lat": "59.43", "lon": "24.75"})
    tallinn = re.search(r'value="([0-9a-f-]{36})"[^>]*>\s*<strong>Tallinn Viru', page.text).group(1)
    post(client, "/checkout", {"key": form_key(page.text), "email": "anna@shop.example.com",
                               "method": "click_and_collect", "store": tallinn, "pay": "card",
                               "card_number": "4242424242424242"})
    path = re.search(r'href="(/account/orders/[0-9a-f-]{36})"', client.get("/account").text).group(1)

    assert 'id="start-return"' not in client.get(path).text


def test_points_page_shows_the_balance_and_history_and_the_account_links_to_it(client, db, shop):
    sign_in(client, shopper(db))

    account = client.get("/account")
    points = client.get("/account/points")

    assert 'href="/account/points"' in account.text and "Points: 0" in account.text
    assert points.status_code == 200 and 'id="points-available">0<' in points.text
    assert "No points yet" in points.text


def test_addresses_are_added_refused_with_what_was_typed_kept_and_removed(client, db, shop):
    sign_in(client, shopper(db))
    good = {"label": "home", "recipient": "Anna Bērziņa", "street": "Brīvības iela 1", "postal_code": "LV-1010",
            "city": "Rīga", "country": "lv", "phone": ""}

    bad = post(client, "/account/addresses", {**good, "country": "Latvia", "street": "Tērbatas iela 2"})
    added = post(client, "/account/addresses", good)
    page = client.get("/account/details")
    address_id = re.search(r'action="/account/addresses/([0-9a-f-]{36})/delete"', page.text).group(1)
    removed = post(client, f"/account/addresses/{address_id}/delete", {})

    assert bad.status_code == 422 and 'value="Tērbatas iela 2"' in bad.text and 'role="alert"' in bad.text
    assert added.status_code == 303 and "Brīvības iela 1" in page.text and "LV-1010 Rīga, LV" in page.text
    assert removed.status_code == 303 and "Brīvības iela 1" not in client.get("/account/details").text


def test_message_consents_record_only_changes(client, db, shop):
    email = shopper(db)
    sign_in(client, email)
    client.get("/account/details")

    post(client, "/account/consents", {"email": "on"})
    post(client, "/account/consents", {"email": "on"})
    post(client, "/account/consents", {"sms": "on"})
    page = client.get("/account/details")

    with db.transaction(read_only=True) as session:
        account_id = next(p.id for p in customers_service.list_profiles(session=session, cursor=None,
                                                                        limit=10).items if p.email == email)
        history = customers_service.consent_history(session=session, profile_id=account_id)
        current = customers_service.consents_of(session=session, customer_id=account_id)
    assert [(c.channel, c.granted) for c in history] == [("email", True), ("email", False), ("sms", True)]
    assert current["sms"].granted and not current["email"].granted
    assert re.search(r'name="sms"\s+checked', page.text) and not re.search(r'name="email"\s+checked', page.text)
