"""Payments errors. Declines and balances are anticipated (safe to show the shopper); a gateway that cannot be
reached is operational."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, DomainError, InvalidInput, NotFound
from omniretail.kernel.i18n import N_


class PaymentDeclined(DomainError):
    """The card issuer or the gateway said no; nothing was charged and no stock stays held."""

    type = "payments/declined"
    title = "The payment was declined"
    status = 402


class PaymentNeedsAction(DomainError):
    """The card needs the shopper to confirm (3-D Secure); retry after confirming. Nothing was charged."""

    type = "payments/needs-action"
    title = "The payment needs your confirmation"
    status = 402


class GatewayUnavailable(DomainError):
    """The gateway could not be reached (operational); nothing was charged."""

    type = "payments/gateway-unavailable"
    title = "The payment service is not reachable"
    status = 503
    anticipated = False


class InsufficientBalance(Conflict):
    """A gift card or store credit holds less than asked."""

    type = "payments/insufficient-balance"
    title = "Not enough balance"


class GiftCardNotFound(NotFound):
    type = "payments/gift-card-not-found"
    title = "No such gift card"


class PaymentNotFound(NotFound):
    type = "payments/not-found"
    title = "No such payment"


class InvalidTender(InvalidInput):
    """The tenders do not add up to what is due, or one is not accepted in this channel."""

    type = "payments/invalid-tender"
    title = "The payment is not valid"


class RefundRefused(Conflict):
    """More than what is left to refund was asked for."""

    type = "payments/refund-refused"
    title = "The refund is not possible"


class CashSessionNotFound(NotFound):
    type = "payments/cash-session-not-found"
    title = "No such cash drawer session"


class CashSessionState(Conflict):
    """A drawer is already open at this register, or this one is closed."""

    type = "payments/cash-session-state"
    title = "The cash drawer is not in the right state"


class BadWebhookSignature(DomainError):
    """A webhook whose HMAC signature does not match its raw body, or that is not a gateway event."""

    type = "payments/bad-signature"
    title = "The webhook signature does not match"
    status = 400


class QrRequestNotFound(NotFound):
    """The QR payment link is unknown or its signature does not match (anticipated)."""

    type = "payments/qr-not-found"
    title = N_("No such payment request")


class QrRequestExpired(Conflict):
    """The QR payment request was not confirmed before the held stock was given back (anticipated)."""

    type = "payments/qr-expired"
    title = N_("This payment request has expired")
