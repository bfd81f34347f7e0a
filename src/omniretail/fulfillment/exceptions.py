"""Fulfilment errors. All are anticipated (safe to show) unless said otherwise."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, DomainError, InvalidInput, NotFound


class ShipmentNotFound(NotFound):
    type = "fulfillment/shipment-not-found"
    title = "No such shipment"


class PickupNotFound(NotFound):
    """No order waits under this pickup code (a typo, or another store's code)."""

    type = "fulfillment/pickup-not-found"
    title = "No order waits under this code"


class PickupNotReady(Conflict):
    """The code was already handed over, or the order was cancelled."""

    type = "fulfillment/pickup-not-ready"
    title = "This pickup cannot be handed over"


class NameMismatch(InvalidInput):
    type = "fulfillment/name-mismatch"
    title = "The name does not match the order"


class CannotPack(InvalidInput):
    """No box or no carrier service fits the parcel."""

    type = "fulfillment/cannot-pack"
    title = "The shipment cannot be packed"


class TrackingRefused(Conflict):
    type = "fulfillment/tracking-refused"
    title = "This tracking step does not follow the shipment's state"


class BadSignature(DomainError):
    """A carrier webhook whose HMAC signature does not match (operational: someone or something is wrong)."""

    type = "fulfillment/bad-signature"
    title = "The webhook signature does not match"
    status = 400


class NothingToShip(Conflict):
    type = "fulfillment/nothing-to-ship"
    title = "The order has nothing left to ship from here"
