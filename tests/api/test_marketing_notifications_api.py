"""Notification log over HTTP: staff with customers.read see a customer's messages, a shopper their own, a
marketer sends a test, providers post signed delivery reports."""

from __future__ import annotations

import uuid

from omniretail.customers import service as customers_service
from omniretail.identity.rules import Grant, Role
from omniretail.marketing import service


def _customer_with_message(db, email="anna@shop.example.com"):
    with db.transaction() as session:
        anna = customers_service.create_profile(session=session, actor="test", source="staff", given_name="Anna",
                                                email=email).id
        [queued] = service.notify(session=session, customer_id=anna, template="points_expiring", locale="en",
                                  context={"points": 1200, "expires_on": "2026-12-31", "link": "/account/loyalty"},
                                  purpose="service", ref=f"points:{anna}")
    return anna, queued


def test_staff_read_a_customers_notifications_after_they_are_sent(client, db, sign_in, dispatcher, smtp):
    anna, queued = _customer_with_message(db)
    dispatcher.drain()
    staff = sign_in("cashier@shop.example.com", Grant(Role.CASHIER, uuid.uuid4()))

    response = staff.get(f"/api/v1/customers/{anna}/notifications")

    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert (item["id"], item["status"], item["channel"]) == (str(queued), "sent", "email")
    assert item["subject"] == "Your 1200 points expire on 2026-12-31"


def test_a_shopper_cannot_read_someone_elses_log_and_nobody_signed_in_gets_401(client, db):
    anna, _ = _customer_with_message(db)

    response = client.get(f"/api/v1/customers/{anna}/notifications")

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_marketer_sends_a_test_email_and_bad_input_gets_field_errors(client, db, sign_in, dispatcher, smtp):
    marketer = sign_in("marketer@shop.example.com", Grant(Role.MARKETER))

    sent = marketer.post("/api/v1/notifications/test", json={"template": "newsletter", "locale": "pl",
                                                              "email": "marketer@shop.example.com"})
    bad = marketer.post("/api/v1/notifications/test", json={"template": "nope", "channel": "sms"})
    dispatcher.drain()

    assert sent.status_code == 202, sent.text
    assert smtp.wait_for("marketer@shop.example.com")["Subject"] == "Winter colours are here"
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["errors"]} == {("body", "phone")}


def test_a_cashier_may_not_send_test_messages(client, sign_in):
    cashier = sign_in("cashier@shop.example.com", Grant(Role.CASHIER, uuid.uuid4()))

    response = cashier.post("/api/v1/notifications/test", json={"template": "newsletter",
                                                                "email": "cashier@shop.example.com"})

    assert response.status_code == 403


def test_a_delivery_report_with_a_wrong_signature_is_refused(client):
    body = b'{"message_id": "msg-1", "status": "delivered"}'

    response = client.post("/api/v1/notifications/webhooks/sms", content=body,
                           headers={"x-signature": "sha256=" + "0" * 64, "content-type": "application/json"})

    assert response.status_code == 401
    assert response.json()["type"] == "marketing/webhook-rejected"


def test_the_back_office_lists_notifications_and_exports_csv(client, db, sign_in, dispatcher, smtp):
    _customer_with_message(db, email="maria@shop.example.com")
    dispatcher.drain()
    owner = sign_in("owner@shop.example.com")

    page = owner.get("/admin/notifications?status=sent")
    csv = owner.get("/admin/notifications?format=csv&q=maria")
    none = owner.get("/admin/notifications?status=failed")

    assert page.status_code == 200 and "maria@shop.example.com" in page.text
    assert csv.text.splitlines()[0].startswith("created,channel,purpose")
    assert len(csv.text.splitlines()) == 2 and "points_expiring" in csv.text
    assert "maria@shop.example.com" not in none.text


def test_the_back_office_test_form_queues_a_message_and_shows_field_errors(client, sign_in, dispatcher, smtp):
    owner = sign_in("owner@shop.example.com")

    ok = owner.post("/admin/notifications/test", data={"template": "back_in_stock", "locale": "zh",
                                                       "channel": "email", "to": "owner@shop.example.com"},
                    follow_redirects=False)
    bad = owner.post("/admin/notifications/test", data={"template": "back_in_stock", "locale": "en",
                                                        "channel": "email", "to": "not-an-address"})
    dispatcher.drain()

    assert ok.status_code == 303 and ok.headers["location"].startswith("/admin/notifications?sent=")
    assert smtp.wait_for("owner@shop.example.com")["Subject"] == "Velvet Lipstick 07 已到货"
    assert bad.status_code == 422 and 'id="to-error"' in bad.text


def test_a_shopper_sees_their_own_notifications_only(client, db, dispatcher, smtp):
    from tests.api.conftest import PASSWORD

    _customer_with_message(db, email="other@shop.example.com")
    signed_up = client.post("/api/v1/auth/signup", json={"email": "ilze@shop.example.com", "password": PASSWORD,
                                                         "name": "Ilze Kalniņa"})
    ilze = uuid.UUID(signed_up.json()["id"])
    with db.transaction() as session:
        service.notify(session=session, customer_id=ilze, template="service_message", locale="lv",
                       context={"title": "Veikals slēgts", "message": "Svētdien slēgts."}, purpose="service",
                       ref="hours:ilze")
    dispatcher.drain()
    client.cookies.clear()
    client.post("/api/v1/auth/login", json={"email": "ilze@shop.example.com", "password": PASSWORD,
                                            "kind": "customer"})

    response = client.get("/api/v1/me/notifications")

    assert response.status_code == 200, response.text
    [mine] = response.json()["items"]
    assert (mine["subject"], mine["status"]) == ("Veikals slēgts", "sent")
    assert "recipient" not in mine
