"""The checkout page takes every online payment method: pay later in installments on a card, and a QR code
confirmed on the phone, after which the same form (same key) places exactly one order."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from omniretail.ordering import service as ordering_service
from omniretail.payments import service as payments_service
from tests.integration.web.storefront_helpers import add, courier_form, form_key, post
from tests.integration.web.test_storefront_shop import BeautyShop, build


@pytest.fixture
def shop(db, settings) -> BeautyShop:
    return build(db, settings.data_dir)


def _orders(db) -> int:
    with db.transaction(read_only=True) as session:
        return int(session.scalar(select(func.count()).select_from(ordering_service.Order)) or 0)


def test_pay_later_splits_the_order_into_the_chosen_number_of_installments(client, db, shop):
    add(client, "LIP-VELVET-07", 2)
    page = client.get("/checkout")

    placed = post(client, "/checkout", courier_form(form_key(page.text), pay="pay_later", installments="3"))

    assert 'value="pay_later"' in page.text and '<select name="installments"' in page.text
    assert placed.status_code == 303, placed.text
    order_id = uuid.UUID(placed.headers["location"].rsplit("/", 1)[1])
    with db.transaction(read_only=True) as session:
        order = ordering_service.get_order(session=session, order_id=order_id)
        parts = payments_service.installments_of(session=session, order_id=order_id)
    assert len(parts) == 3 and sum(p.amount_minor for p in parts) == order.total_minor


def test_an_unknown_number_of_installments_is_shown_next_to_the_field(client, db, shop):
    add(client, "LIP-VELVET-07")
    form = courier_form(form_key(client.get("/checkout").text), pay="pay_later", installments="24")

    response = post(client, "/checkout", form)

    assert response.status_code == 422 and 'id="installments-error"' in response.text
    assert _orders(db) == 0


def test_a_qr_payment_is_confirmed_on_the_phone_and_the_same_form_places_one_order(client, db, shop):
    add(client, "LIP-VELVET-07")
    form = courier_form(form_key(client.get("/checkout").text), pay="qr")

    waiting = post(client, "/checkout", form)
    code_url = re.search(r'<img src="([^"]+/code\.svg)"', waiting.text).group(1)
    confirm_url = re.search(r'id="qr-link"[^>]*href="([^"]+)"|href="([^"]+)" id="qr-link"', waiting.text)
    confirm_url = confirm_url.group(1) or confirm_url.group(2)
    kept = dict(re.findall(r'<input type="hidden" name="([a-z_0-9]+)" value="([^"]*)">', waiting.text))
    too_early = post(client, "/checkout", {k: v for k, v in kept.items() if k != "csrf_token"})
    svg = client.get(code_url)
    confirmed = client.post(f"{confirm_url}/confirm", data={})
    placed = post(client, "/checkout", {k: v for k, v in kept.items() if k != "csrf_token"})
    again = post(client, "/checkout", {k: v for k, v in kept.items() if k != "csrf_token"})

    assert waiting.status_code == 402 and "Scan this code" in waiting.text
    assert kept["key"] == form["key"] and kept["pay"] == "qr" and "card_number" not in kept
    assert too_early.status_code == 402 and "not confirmed yet" in too_early.text
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert confirmed.status_code == 200
    assert placed.status_code == 303 and placed.headers["location"].startswith("/checkout/confirmation/")
    assert again.status_code == 303 and again.headers["location"] == placed.headers["location"]
    assert _orders(db) == 1
