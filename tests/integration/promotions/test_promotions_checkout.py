"""Promotions through the real cart and checkout on SQLite and PostgreSQL: coupons claimed at checkout, given
back when it fails, and every order's discount allocated to its lines to the cent."""

from __future__ import annotations

import uuid

import pytest
from offers_factories import buy_online, retailer, web_cart, welcome10
from sqlalchemy import select

from omniretail.cart import service as cart_service
from omniretail.checkout import placement
from omniretail.ordering import service as ordering_service
from omniretail.payments.exceptions import PaymentDeclined
from omniretail.payments.rules import TEST_CARD_DECLINE, TenderRequest
from omniretail.promotions import service as promotions_service
from omniretail.promotions.exceptions import CouponAlreadyUsed, CouponExhausted, CouponInvalid, OneCouponPerOrder
from omniretail.promotions.models import CouponUse


def _totals(db, cart_id):
    with db.transaction() as s:
        cart = cart_service.get_cart(session=s, cart_id=cart_id)
        return cart_service.cart_totals(session=s, cart=cart), cart_service.offers_for(session=s, cart=cart)


def test_a_coupon_discount_is_explained_and_its_line_shares_add_up_to_the_order_discount(db):
    with db.transaction() as s:
        shop = retailer(s)
        welcome10(s)
    anna = uuid.uuid4()
    cart_id = web_cart(db, shop, customer_id=anna)
    with db.transaction() as s:
        promotions_service.apply_coupon(session=s, cart_id=cart_id, code=" welcome10 ", customer_id=anna)

    totals, offers = _totals(db, cart_id)
    placed = buy_online(db, cart_id, anna)

    assert [(a.label, a.amount.amount_minor) for a in offers.adjustments] == [("WELCOME10", -(2 * 1499 + 2999) // 10)]
    assert offers.adjustments[0].reason == "WELCOME10: 6.00 EUR off"
    with db.transaction() as s:
        order = ordering_service.get_order(session=s, order_id=placed.order_id)
        shares = promotions_service.line_discounts(session=s, order_id=order.id)
        uses = s.scalars(select(CouponUse)).all()
    assert order.discount_minor == totals.discount.amount_minor == 600
    assert sum(shares.values()) == order.discount_minor
    assert shares == {shop.lipstick: 300, shop.serum: 300}
    assert [(u.status, u.order_id, u.customer_id) for u in uses] == [("used", order.id, anna)]


def test_a_declined_payment_gives_the_single_use_coupon_back(db):
    with db.transaction() as s:
        shop = retailer(s)
        promotion_id = welcome10(s)
        [code] = promotions_service.generate_coupons(session=s, promotion_id=promotion_id, count=1, prefix="ONE-")
    cart_id = web_cart(db, shop)
    with db.transaction() as s:
        promotions_service.apply_coupon(session=s, cart_id=cart_id, code=code, customer_id=None)

    with pytest.raises(PaymentDeclined):
        placement.place_order(db=db, cart_id=cart_id, idempotency_key=f"k-{uuid.uuid4()}", actor="test",
                              tenders=[TenderRequest("card", card_number=TEST_CARD_DECLINE)])
    placed = buy_online(db, cart_id)

    with db.transaction() as s:
        statuses = sorted(u.status for u in s.scalars(select(CouponUse)))
        order = ordering_service.get_order(session=s, order_id=placed.order_id)
    other = web_cart(db, shop)
    assert statuses == ["released", "used"] and order.discount_minor == 600
    with db.transaction() as s, pytest.raises(CouponExhausted):
        promotions_service.apply_coupon(session=s, cart_id=other, code=code, customer_id=None)


def test_coupons_say_why_they_cannot_be_used(db):
    with db.transaction() as s:
        shop = retailer(s)
        welcome10(s, per_customer_limit=1, first_order_only=True)
        spring = promotions_service.create_promotion(session=s, data=promotions_service.PromotionInput(
            name="Spring", kind="amount_off", amount_minor=500, requires_coupon=True))
        promotions_service.create_coupon(session=s, promotion_id=spring.id, code="SPRING5")
    ilze = uuid.uuid4()
    cart_id = web_cart(db, shop, customer_id=ilze)

    with db.transaction() as s, pytest.raises(CouponInvalid) as unknown:
        promotions_service.apply_coupon(session=s, cart_id=cart_id, code="NOPE", customer_id=ilze)
    with db.transaction() as s, pytest.raises(CouponInvalid) as guest:
        promotions_service.apply_coupon(session=s, cart_id=cart_id, code="WELCOME10", customer_id=None)
    with db.transaction() as s:
        promotions_service.apply_coupon(session=s, cart_id=cart_id, code="WELCOME10", customer_id=ilze)
    with db.transaction() as s, pytest.raises(OneCouponPerOrder):
        promotions_service.apply_coupon(session=s, cart_id=cart_id, code="SPRING5", customer_id=ilze)
    buy_online(db, cart_id, ilze)
    again = web_cart(db, shop, customer_id=ilze)
    with db.transaction() as s, pytest.raises(CouponAlreadyUsed):
        promotions_service.apply_coupon(session=s, cart_id=again, code="WELCOME10", customer_id=ilze)

    assert unknown.value.detail == "No coupon has this code"
    assert guest.value.detail.startswith("Sign in")


def test_an_automatic_promotion_explains_why_it_does_not_apply_yet(db):
    with db.transaction() as s:
        shop = retailer(s)
        promotions_service.create_promotion(session=s, data=promotions_service.PromotionInput(
            name="5 off 60", kind="amount_off", amount_minor=500, conditions={"min_spend_minor": 6000}))
        promotions_service.create_promotion(session=s, data=promotions_service.PromotionInput(
            name="Free shipping", kind="free_shipping", conditions={"channels": ["web"]}))
    cart_id = web_cart(db, shop, lipsticks=1)

    totals, offers = _totals(db, cart_id)

    assert offers.notes == (("5 off 60", "spend 15.02 EUR more on qualifying items"),)
    assert [a.label for a in offers.adjustments] == ["Free shipping"] and offers.adjustments[0].shipping
    assert totals.shipping.amount_minor == 0 and totals.discount.amount_minor == 0
    assert totals.total.amount_minor == 1499 + 2999
