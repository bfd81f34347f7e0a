"""Promotions: part of the demo retailer. A welcome coupon (WELCOME10: 10% off a first order, once per
customer), free shipping over 50 EUR on the web and the app, an app happy hour, a Gold members' discount, a
Black Friday batch of single-use codes, and the gift coupon loyalty issues on an upgrade to Gold."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from omniretail.loyalty import service as loyalty_service
from omniretail.promotions import service as promotions_service
from omniretail.promotions.service import PromotionInput


def load(session: Session) -> None:
    """Add this context's demo data."""
    welcome = promotions_service.create_promotion(session=session, data=PromotionInput(
        name="WELCOME10", description="10% off your first order", kind="percent_off", percent_bp=1000,
        requires_coupon=True, per_customer_limit=1, first_order_only=True, group_code="welcome"))
    promotions_service.create_coupon(session=session, promotion_id=welcome.id, code="WELCOME10")
    promotions_service.create_promotion(session=session, data=PromotionInput(
        name="Free shipping over 50 EUR", description="on the web shop and the app", kind="free_shipping",
        conditions={"channels": ["web", "app"], "min_spend_minor": 5000}))
    promotions_service.create_promotion(session=session, data=PromotionInput(
        name="App happy hour", description="5% off in the app, 17:00-19:00 UTC", kind="percent_off", percent_bp=500,
        conditions={"channels": ["app"], "hours": [17, 19]}, group_code="welcome"))
    promotions_service.create_promotion(session=session, data=PromotionInput(
        name="Gold members 15%", description="for Gold members, in every channel", kind="percent_off",
        percent_bp=1500, conditions={"tiers": ["gold"]}, priority=50))
    black_friday = promotions_service.create_promotion(session=session, data=PromotionInput(
        name="Black Friday 20%", description="single-use codes", kind="percent_off", percent_bp=2000,
        exclusive=True, starts_at=datetime(2026, 11, 27, tzinfo=UTC), ends_at=datetime(2026, 12, 1, tzinfo=UTC)))
    promotions_service.generate_coupons(session=session, promotion_id=black_friday.id, count=500, prefix="BF26-")
    gift = promotions_service.create_promotion(session=session, data=PromotionInput(
        name="Welcome to Gold", description="10 EUR off, a gift for reaching Gold", kind="amount_off",
        amount_minor=1000, requires_coupon=True, per_customer_limit=1))
    gold = next((t for t in loyalty_service.tiers(session=session) if t.code == "gold"), None)
    if gold is not None:
        loyalty_service.define_tier(session=session, code=gold.code, name=gold.name,
                                    min_spend_minor=gold.min_spend_minor, multiplier_percent=gold.multiplier_percent,
                                    free_shipping=gold.free_shipping, birthday_points=gold.birthday_points,
                                    upgrade_promotion_id=gift.id)
