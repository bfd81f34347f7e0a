"""Promotions errors. All are anticipated: safe to show the shopper or the cashier."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound
from omniretail.kernel.i18n import N_


class PromotionNotFound(NotFound):
    type = "promotions/not-found"
    title = N_("No such promotion")


class InvalidPromotion(InvalidInput):
    """A promotion or coupon definition breaks a rule (field errors say which)."""

    type = "promotions/invalid"
    title = N_("The promotion is not valid")


class CouponInvalid(InvalidInput):
    """The code is unknown, expired, not yet valid, someone else's gift, or not for this customer."""

    type = "promotions/coupon-invalid"
    title = N_("This coupon cannot be used")


class CouponExhausted(Conflict):
    """Every allowed use of the coupon (or its promotion) is taken, possibly by a checkout a moment ago."""

    type = "promotions/coupon-exhausted"
    title = N_("This coupon has been used up")


class CouponAlreadyUsed(Conflict):
    """This customer already used the coupon as many times as allowed, in any channel."""

    type = "promotions/coupon-already-used"
    title = N_("You have already used this coupon")


class OneCouponPerOrder(Conflict):
    type = "promotions/one-coupon-per-order"
    title = N_("Only one coupon per order")


class CouponNotOnCart(NotFound):
    type = "promotions/coupon-not-on-cart"
    title = N_("This coupon is not on the cart")
