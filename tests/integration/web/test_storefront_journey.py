"""Journey steps recorded server-side under a first-party visitor id: a guest browses, adds to cart, starts the
checkout and signs in, and every earlier step is stitched to the account; a purchase carries its order and value;
the app reports steps over the API; staff read journeys only with analytics.read; erasure forgets them."""

from __future__ import annotations

import uuid

import pytest

from omniretail.analytics import journey
from omniretail.customers.events import CustomerErased
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.kernel.outbox import HandlerContext
from tests.integration.web.storefront_helpers import PASSWORD, add, courier_form, form_key, post, shopper, sign_in
from tests.integration.web.test_storefront_shop import BeautyShop, build


@pytest.fixture
def shop(db, settings) -> BeautyShop:
    return build(db, settings.data_dir)


def _steps(client, db, **who) -> list:
    client.app.state.journey.flush()
    with db.transaction(read_only=True) as session:
        return list(journey.steps_of(session=session, limit=200, **who).items)


def test_a_guests_steps_are_stitched_to_the_account_at_sign_in(client, db, shop):
    email = shopper(db)
    first = client.get("/")
    client.get(f"/p/{shop.slug('LIP-VELVET')}")
    add(client, "LIP-VELVET-07")
    client.get("/checkout")
    visitor = uuid.UUID(client.cookies["or_vid"])
    sign_in(client, email)

    steps = _steps(client, db, visitor_id=visitor)
    with db.transaction(read_only=True) as session:
        account = identity_service.customer_account_id(session=session, email=email)

    assert "or_vid=" in first.headers["set-cookie"] and "HttpOnly" in first.headers["set-cookie"]
    assert [s.kind for s in steps] == ["page_view", "product_view", "add_to_cart", "checkout_start", "sign_in"]
    assert {s.customer_id for s in steps} == {account}
    viewed = steps[1]
    assert viewed.product_id is not None and viewed.variant_id is not None and viewed.path.startswith("/p/")
    assert steps[2].quantity == 1 and steps[2].variant_id is not None
    assert all(s.channel_code == "web-eu" for s in steps if s.kind != "sign_in")


def test_a_purchase_is_recorded_once_with_its_order_and_value(client, db, shop):
    add(client, "LIP-VELVET-07", 2)
    form = courier_form(form_key(client.get("/checkout").text))

    placed = post(client, "/checkout", form)
    post(client, "/checkout", form)  # the same form again: the same order, no second purchase

    visitor = uuid.UUID(client.cookies["or_vid"])
    purchases = [s for s in _steps(client, db, visitor_id=visitor) if s.kind == "purchase"]
    assert len(purchases) == 1
    assert str(purchases[0].order_id) == placed.headers["location"].rsplit("/", 1)[1]
    assert purchases[0].value_minor > 2 * 1499 - 1 and purchases[0].currency == "EUR"


def _staff(db, email: str, *grants: Grant) -> None:
    with db.transaction() as session:
        identity_service.create_staff(session=session, actor=None, email=email, name=email.split("@")[0],
                                      password=PASSWORD, grants=list(grants) or [Grant(Role.OWNER)])


def test_the_app_reports_steps_and_staff_need_analytics_read_to_see_them(client, db):
    reported = client.post("/api/v1/events", json={"kind": "product_view", "channel": "app-eu",
                                                   "product_id": str(uuid.uuid4())})
    again = client.post("/api/v1/events", json={"kind": "add_to_cart", "quantity": 2,
                                                "visitor_id": reported.json()["visitor_id"]})
    bad = client.post("/api/v1/events", json={"kind": "teleport"})
    client.app.state.journey.flush()
    visitor = reported.json()["visitor_id"]

    _staff(db, "kasiere@shop.example.com", Grant(Role.CASHIER, uuid.uuid4()))
    client.post("/api/v1/auth/login", json={"email": "kasiere@shop.example.com", "password": PASSWORD})
    cashier_view = client.get("/api/v1/events", params={"visitor_id": visitor})
    client.cookies.clear()
    _staff(db, "owner@shop.example.com")
    client.post("/api/v1/auth/login", json={"email": "owner@shop.example.com", "password": PASSWORD})
    owner_view = client.get("/api/v1/events", params={"visitor_id": visitor})
    nobody = client.get("/api/v1/events")

    assert reported.status_code == 202 and again.status_code == 202
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert cashier_view.status_code == 403
    assert owner_view.status_code == 200
    assert [s["kind"] for s in owner_view.json()["items"]] == ["product_view", "add_to_cart"]
    assert nobody.status_code == 422


def test_an_erased_customer_s_journey_is_forgotten(client, db, shop):
    from omniretail.analytics.handlers import forget_erased

    email = shopper(db)
    client.get("/")
    sign_in(client, email)
    client.get(f"/p/{shop.slug('LIP-VELVET')}")
    with db.transaction(read_only=True) as session:
        account = identity_service.customer_account_id(session=session, email=email)
    assert len(_steps(client, db, customer_id=account)) == 3

    with db.transaction() as session:
        forget_erased(HandlerContext(session=session, adapters=None, event_id=uuid.uuid4()), CustomerErased(account))

    assert _steps(client, db, customer_id=account) == []
    assert _steps(client, db, visitor_id=uuid.UUID(client.cookies["or_vid"])) == []
