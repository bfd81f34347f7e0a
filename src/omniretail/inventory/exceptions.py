"""Inventory errors. ``InsufficientStock`` is anticipated and safe to show a shopper; the rest are for staff."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound


class InsufficientStock(Conflict):
    """Not enough available stock to hold, sell, ship or remove: an expected outcome ("out of stock")."""

    type = "inventory/insufficient-stock"
    title = "Out of stock"


class LocationNotFound(NotFound):
    type = "inventory/location-not-found"
    title = "No such location"


class DuplicateLocationCode(Conflict):
    type = "inventory/duplicate-location-code"
    title = "A location with this code already exists"


class ReservationNotFound(NotFound):
    """No open hold or allocation has this reference (already released, expired or sold)."""

    type = "inventory/reservation-not-found"
    title = "No open reservation with this reference"


class DocumentNotFound(NotFound):
    type = "inventory/document-not-found"
    title = "No such document"


class InvalidStep(Conflict):
    """A transfer, count or purchase order cannot take this step in its current status."""

    type = "inventory/invalid-step"
    title = "This step is not possible now"


class StockBelowReserved(Conflict):
    """A removal would leave less on hand than is already promised to orders; release them first."""

    type = "inventory/below-reserved"
    title = "That would remove stock promised to orders"


class InvalidStockFile(InvalidInput):
    """A CSV file has bad rows; the errors name the line and field of each one."""

    type = "inventory/invalid-file"
    title = "The file has rows that are not valid"


class DuplicateSupplierCode(Conflict):
    type = "inventory/duplicate-supplier-code"
    title = "A supplier with this code already exists"
