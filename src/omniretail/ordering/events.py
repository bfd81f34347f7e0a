"""Ordering events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class OrderPlaced(Event):
    order_id: uuid.UUID
    number: str
    channel_id: uuid.UUID
    location_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    total_minor: int
    currency: str
    points: int


@dataclass(frozen=True)
class OrderStatusChanged(Event):
    order_id: uuid.UUID
    number: str
    from_status: str
    to_status: str


@dataclass(frozen=True)
class OrderCancelled(Event):
    order_id: uuid.UUID
    number: str
    refunded_minor: int
    currency: str


@dataclass(frozen=True)
class OrderEdited(Event):
    order_id: uuid.UUID
    number: str
    old_total_minor: int
    new_total_minor: int


@dataclass(frozen=True)
class ReceiptEmailRequested(Event):
    """Someone asked for the receipt by e-mail (in ``locale``); a handler sends it."""

    order_id: uuid.UUID
    number: str
    to: str
    locale: str
