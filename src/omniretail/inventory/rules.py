"""Inventory rules: pure, no database, no web.

What "available" means, whether a quantity can be held, which stock movements exist and which documents they
belong to, distance between a shopper and a store, document state machines, and the reorder suggestion (a
min/max rule that later issues replace with forecasts: keep ``suggest_order`` the one place that decides).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

MAX_BATCH_VARIANTS = 200
EARTH_RADIUS_KM = 6371.0088


class LocationKind(StrEnum):
    WAREHOUSE = "warehouse"
    STORE = "store"
    FRANCHISE_STORE = "franchise_store"
    DARK_STORE = "dark_store"


class MovementKind(StrEnum):
    """Every way stock enters or leaves a location; the sign of the quantity says which way."""

    RECEIPT = "receipt"
    SALE = "sale"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    COUNT_CORRECTION = "count_correction"
    WRITE_OFF = "write_off"


class DocumentType(StrEnum):
    ORDER = "order"
    RETURN = "return"
    TRANSFER = "transfer"
    PURCHASE_ORDER = "purchase_order"
    COUNT = "count"
    IMPORT = "import"


class ReservationStatus(StrEnum):
    HELD = "held"
    ALLOCATED = "allocated"
    RELEASED = "released"
    EXPIRED = "expired"
    SOLD = "sold"


OPEN_RESERVATIONS = (ReservationStatus.HELD.value, ReservationStatus.ALLOCATED.value)


class TransferStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class CountScope(StrEnum):
    FULL = "full"
    CYCLE = "cycle"


class CountStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class PurchaseOrderStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


TRANSFER_STEPS: dict[str, tuple[str, ...]] = {
    "approve": (TransferStatus.REQUESTED,),
    "ship": (TransferStatus.APPROVED,),
    "receive": (TransferStatus.IN_TRANSIT,),
    "cancel": (TransferStatus.REQUESTED, TransferStatus.APPROVED),
}
PURCHASE_ORDER_STEPS: dict[str, tuple[str, ...]] = {
    "send": (PurchaseOrderStatus.DRAFT,),
    "receive": (PurchaseOrderStatus.SENT, PurchaseOrderStatus.PARTIALLY_RECEIVED),
    "cancel": (PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.SENT),
}


@dataclass(frozen=True)
class Decision:
    """A yes, or a no with a reason a person can read."""

    allowed: bool
    reason: str = ""

    @classmethod
    def yes(cls) -> Decision:
        return cls(True)

    @classmethod
    def no(cls, reason: str) -> Decision:
        return cls(False, reason)


@dataclass(frozen=True)
class StockSnapshot:
    variant_id: uuid.UUID
    location_id: uuid.UUID
    on_hand: int
    reserved: int
    safety_stock: int = 0

    @property
    def available(self) -> int:
        """What can still be promised: never negative, and the safety stock stays on the shelf."""
        return max(self.on_hand - self.reserved - self.safety_stock, 0)


def can_reserve(stock: StockSnapshot, quantity: int) -> Decision:
    """Say whether ``quantity`` can be held at this location, and why not."""
    if quantity <= 0:
        return Decision.no("quantity must be positive")
    if stock.available < quantity:
        return Decision.no(f"only {stock.available} available")
    return Decision.yes()


def step_allowed(steps: dict[str, tuple[str, ...]], step: str, status: str) -> Decision:
    """Whether a document in ``status`` may take ``step`` (approve, ship, send, receive, cancel)."""
    if status in steps.get(step, ()):
        return Decision.yes()
    return Decision.no(f"cannot {step} a {status.replace('_', ' ')} document")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def valid_coordinates(latitude: float, longitude: float) -> bool:
    return -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0


def count_correction(*, counted: int, on_hand: int) -> int:
    """The ledger quantity that makes ``on_hand`` equal what was counted."""
    return counted - on_hand


def transfer_discrepancy(*, shipped: int, received: int) -> int:
    """Units that left one location and did not arrive at the other (negative: more arrived)."""
    return shipped - received


def crossed_below(*, before: int, after: int, minimum: int) -> bool:
    """True when stock fell to or under the reorder minimum with this change (not every time it stays there)."""
    return before > minimum >= after


@dataclass(frozen=True)
class ReorderInput:
    variant_id: uuid.UUID
    location_id: uuid.UUID
    available: int
    on_order: int
    min_quantity: int
    max_quantity: int
    min_order_quantity: int = 1


def suggest_order(item: ReorderInput) -> int:
    """How many to order: up to max when available plus on order is at or under min, in supplier minimums."""
    position = item.available + item.on_order
    if position > item.min_quantity:
        return 0
    wanted = max(item.max_quantity - position, 0)
    step = max(item.min_order_quantity, 1)
    return max(wanted, step) if wanted else 0


def expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and expires_at <= now


class Availability(NamedTuple):
    """One variant at one location, as every channel should see it.

    A named tuple rather than a frozen dataclass: a batch answer holds up to 200 x 500 of them, and a tuple is
    built three times faster (bench/inventory_bench.py).
    """

    variant_id: uuid.UUID
    location_id: uuid.UUID
    on_hand: int
    reserved: int
    safety_stock: int
    available: int
    last_movement_at: datetime | None


@dataclass(frozen=True)
class NearbyStock:
    """A store near the shopper with its distance and the asked-for variants it has."""

    location_id: uuid.UUID
    code: str
    name: str
    city: str
    distance_km: float
    lines: tuple[Availability, ...]


@dataclass(frozen=True)
class Hold:
    """Stock held for one line of a cart (``expires_at`` set) or an order (no expiry), as ``hold`` answers it."""

    id: uuid.UUID
    ref: str
    variant_id: uuid.UUID
    location_id: uuid.UUID
    quantity: int
    expires_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class ReservationLine:
    variant_id: uuid.UUID
    location_id: uuid.UUID
    quantity: int


def lock_order(lines: list[ReservationLine]) -> list[ReservationLine]:
    """The one order every writer takes stock rows in (variant, then location), so no two writers deadlock."""
    return sorted(lines, key=lambda line: (line.variant_id, line.location_id))
