"""Ordering errors. All are anticipated (safe to show) unless said otherwise."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound


class OrderNotFound(NotFound):
    """No such order, or the caller may not see it."""

    type = "ordering/not-found"
    title = "No such order"


class TransitionNotAllowed(Conflict):
    """The order's state does not allow this step (cancel after shipping, edit after picking...)."""

    type = "ordering/transition-not-allowed"
    title = "The order cannot do that in its current state"


class InvalidOrderEdit(InvalidInput):
    type = "ordering/invalid-edit"
    title = "The order change is not valid"
