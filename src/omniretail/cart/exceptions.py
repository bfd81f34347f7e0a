"""Cart errors. All are anticipated: safe to show the shopper."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound


class CartNotFound(NotFound):
    """No such cart, or the caller may not see it (a wrong token looks the same as none)."""

    type = "cart/not-found"
    title = "No such cart"


class CartClosed(Conflict):
    """The cart was already turned into an order or merged into another cart."""

    type = "cart/closed"
    title = "This cart is closed"


class LineNotFound(NotFound):
    type = "cart/line-not-found"
    title = "No such line in this cart"


class InvalidCartInput(InvalidInput):
    type = "cart/invalid"
    title = "The cart change is not valid"
