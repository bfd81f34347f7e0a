"""Loyalty errors. All are anticipated: safe to show the shopper or the cashier."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound
from omniretail.kernel.i18n import N_


class NotEnoughPoints(Conflict):
    """The member's available points (pending ones do not count) are fewer than asked, possibly because another
    checkout just held them."""

    type = "loyalty/not-enough-points"
    title = N_("Not enough points")


class InvalidLoyaltyInput(InvalidInput):
    type = "loyalty/invalid"
    title = N_("The loyalty change is not valid")


class MemberNotFound(NotFound):
    type = "loyalty/member-not-found"
    title = N_("No such member")


class ReferralRefused(Conflict):
    """A referral that breaks a rule: the new customer was referred already, or shares the referrer's phone,
    e-mail or address."""

    type = "loyalty/referral-refused"
    title = N_("This referral cannot be accepted")
