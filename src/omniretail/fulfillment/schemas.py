"""Fulfilment API schemas."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from omniretail.fulfillment.rules import TrackingKind
from omniretail.kernel.schemas import Schema


class ShipmentLineRead(Schema):
    variant_id: uuid.UUID
    sku: str
    quantity: int


class TrackingEventRead(Schema):
    kind: str
    at: datetime
    source: str
    note: str


class ShipmentRead(Schema):
    id: uuid.UUID
    number: str
    order_id: uuid.UUID
    order_number: str
    location_id: uuid.UUID
    status: str
    country: str
    box_code: str | None
    weight_grams: int
    carrier: str | None
    service_code: str | None
    tracking_number: str | None
    price_minor: int
    currency: str
    promised_by: date | None
    rate_reason: str
    expected_by: datetime | None
    delayed_at: datetime | None
    lines: list[ShipmentLineRead]


class TrackedShipment(Schema):
    number: str
    status: str
    carrier: str | None
    tracking_number: str | None
    promised_by: date | None
    events: list[TrackingEventRead]


class OrderTracking(Schema):
    order_id: uuid.UUID
    order_number: str
    status: str
    shipments: list[TrackedShipment]
    pickup_code: str | None = None


class TrackingIn(Schema):
    kind: TrackingKind
    note: str = Field(default="", max_length=500)


class PickLineRead(Schema):
    bin: str
    sku: str
    variant_id: uuid.UUID
    quantity: int
    orders: list[str]


class PickListRead(Schema):
    location_id: uuid.UUID
    shipments: int
    lines: list[PickLineRead]


class HandoverIn(Schema):
    code: str = Field(min_length=4, max_length=32)
    name: str = Field(min_length=1, max_length=200)


class PickupRead(Schema):
    order_id: uuid.UUID
    order_number: str
    location_id: uuid.UUID
    code: str
    status: str
    ready_at: datetime
    expires_at: datetime
    handed_over_at: datetime | None


class DelayRead(Schema):
    id: uuid.UUID
    kind: str
    order_id: uuid.UUID
    order_number: str
    shipment_id: uuid.UUID | None
    location_id: uuid.UUID | None
    detected_at: datetime
    reason: str


class NotificationRead(Schema):
    kind: str
    to: str
    locale: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime


class CarrierServiceRead(Schema):
    carrier: str
    code: str
    name: str
    level: str
    transit_days: int
    cutoff: str
    currency: str


class CourierJobRead(Schema):
    id: uuid.UUID
    order_id: uuid.UUID
    order_number: str
    location_id: uuid.UUID
    platform: str
    external_id: str
    status: str
    created_at: datetime


class CourierStepIn(Schema):
    status: str = Field(pattern=r"^(accepted|ready|picked_up|delivered)$")
