"""Returns errors. All are anticipated (safe to show the shopper)."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound


class ReturnNotFound(NotFound):
    """No such return, or the caller may not see it."""

    type = "returns/not-found"
    title = "No such return"


class ReturnRefused(InvalidInput):
    """The return policy says no; ``reasons`` says why, item by item."""

    type = "returns/refused"
    title = "The return policy does not allow this return"


class ReturnAlreadyReceived(Conflict):
    """The parcel of this return was already received and inspected."""

    type = "returns/already-received"
    title = "This return was already received"
