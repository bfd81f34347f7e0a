"""Rewards and referrals on SQLite and PostgreSQL: points buy a member-only coupon; a referral pays both sides
once, and is refused to people who share an e-mail."""

from __future__ import annotations

import uuid

import pytest

from omniretail.customers import service as customers_service
from omniretail.loyalty import rewards
from omniretail.loyalty import service as loyalty_service
from omniretail.loyalty.exceptions import NotEnoughPoints, ReferralRefused
from omniretail.promotions import service as promotions_service
from omniretail.promotions.exceptions import CouponInvalid


def test_points_buy_a_coupon_only_the_member_can_use(db):
    anna, stranger = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as s:
        gift = promotions_service.create_promotion(session=s, data=promotions_service.PromotionInput(
            name="5 EUR voucher", kind="amount_off", amount_minor=500, requires_coupon=True))
        rewards.add_reward(session=s, code="VOUCHER-5", name="5 EUR voucher", points_cost=300, promotion_id=gift.id)
        loyalty_service.adjust(session=s, customer_id=anna, points=500, note="welcome")

    with db.transaction() as s:
        coupon = rewards.redeem_reward(session=s, customer_id=anna, code="VOUCHER-5")
    with db.transaction() as s, pytest.raises(NotEnoughPoints):
        rewards.redeem_reward(session=s, customer_id=anna, code="VOUCHER-5")
    with db.transaction() as s, pytest.raises(CouponInvalid):
        promotions_service.apply_coupon(session=s, cart_id=uuid.uuid4(), code=coupon, customer_id=stranger)

    with db.transaction() as s:
        assert loyalty_service.balance(session=s, customer_id=anna).available == 200
        promotions_service.apply_coupon(session=s, cart_id=uuid.uuid4(), code=coupon, customer_id=anna)


def test_a_referral_pays_both_sides_once_and_refuses_a_shared_email(db):
    liga, ilze, twin = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with db.transaction() as s:
        loyalty_service.configure(session=s, referral_points=500)
        customers_service.ensure_profile(session=s, customer_id=liga, email="liga@shop.example.com", name="Liga")
        customers_service.ensure_profile(session=s, customer_id=twin, email="liga@shop.example.com", name="Liga B")
        code = rewards.referral_code_of(session=s, customer_id=liga)
        rewards.refer(session=s, referral_code=code, new_customer_id=ilze)

    with db.transaction() as s, pytest.raises(ReferralRefused) as again:
        rewards.refer(session=s, referral_code=code, new_customer_id=ilze)
    with db.transaction() as s, pytest.raises(ReferralRefused) as shared:
        rewards.refer(session=s, referral_code=code, new_customer_id=twin)
    with db.transaction() as s:
        paid = [rewards.reward_referral(session=s, customer_id=ilze) for _ in range(2)]

    with db.transaction() as s:
        balances = [loyalty_service.balance(session=s, customer_id=c).available for c in (liga, ilze)]
    assert paid == [True, False] and balances == [500, 500]
    assert again.value.detail == "This customer was referred already"
    assert "shares" in shared.value.detail
