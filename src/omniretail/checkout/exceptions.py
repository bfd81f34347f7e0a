"""Checkout errors. All are anticipated (safe to show the shopper)."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput


class CartNotPurchasable(Conflict):
    """Some lines cannot be bought (see ``lines``), or the cart is empty."""

    type = "checkout/cart-not-purchasable"
    title = "Some items cannot be bought"


class DeliveryRequired(InvalidInput):
    type = "checkout/delivery-required"
    title = "Choose how to get the order"


class InvalidDelivery(InvalidInput):
    """The address, store, method or window cannot be used."""

    type = "checkout/invalid-delivery"
    title = "The delivery choice is not valid"


class CannotSource(Conflict):
    """No location (or set of locations) can fill the order now."""

    type = "checkout/cannot-source"
    title = "The order cannot be filled now"


class CheckoutInProgress(Conflict):
    """The same idempotency key is being placed by another request; retry shortly for its result."""

    type = "checkout/in-progress"
    title = "This checkout is already being placed"


class IdempotencyKeyReused(Conflict):
    type = "checkout/idempotency-key-reused"
    title = "This idempotency key belongs to another cart"


class HoldExpired(Conflict):
    """The stock hold ran out before payment finished; any payment was given back."""

    type = "checkout/hold-expired"
    title = "The reservation expired; please try again"
