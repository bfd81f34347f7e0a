"""Fulfilment events. Support turns ``ShipmentDelayed`` and ``OrderDispatchLate`` into tickets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class ShipmentDelayed(Event):
    shipment_id: uuid.UUID
    order_id: uuid.UUID
    order_number: str
    status: str
    expected_by: datetime
    reason: str


@dataclass(frozen=True)
class OrderDispatchLate(Event):
    order_id: uuid.UUID
    order_number: str
    location_id: uuid.UUID | None
    due_at: datetime


@dataclass(frozen=True)
class ShipmentTracked(Event):
    shipment_id: uuid.UUID
    order_id: uuid.UUID
    kind: str
    at: datetime


@dataclass(frozen=True)
class NotificationQueued(Event):
    notification_id: uuid.UUID


@dataclass(frozen=True)
class PickupHandedOver(Event):
    order_id: uuid.UUID
    order_number: str
    location_id: uuid.UUID


@dataclass(frozen=True)
class CourierStatusChanged(Event):
    """A delivery-platform order moved on at the store; the platform is told by a signed webhook."""

    job_id: uuid.UUID
    order_id: uuid.UUID
    order_number: str
    platform: str
    external_id: str
    status: str
    at: datetime
