"""Ordering API schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from omniretail.kernel.schemas import Schema


class OrderLineRead(Schema):
    variant_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price_minor: int
    line_total_minor: int
    tax_minor: int
    location_id: uuid.UUID | None


class OrderRead(Schema):
    id: uuid.UUID
    number: str
    channel_id: uuid.UUID
    channel_code: str
    channel_kind: str
    location_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    status: str
    currency: str
    subtotal_minor: int
    tax_minor: int
    shipping_minor: int
    discount_minor: int
    total_minor: int
    paid_minor: int
    refunded_minor: int
    delivery: dict[str, Any]
    sourcing: dict[str, Any]
    external_platform: str | None
    external_id: str | None
    created_at: datetime
    lines: list[OrderLineRead]


class OrderPage(Schema):
    items: list[OrderRead]
    next_cursor: str | None


class TimelineRead(Schema):
    at: datetime
    kind: str
    status: str | None
    actor: str
    detail: dict[str, Any]


class CancelIn(Schema):
    reason: str = Field(default="", max_length=500)


class RefundIn(Schema):
    amount_minor: int = Field(ge=1, le=10**10)
    to_store_credit: bool = False


class RefundRead(Schema):
    refund_id: uuid.UUID
    payment_id: uuid.UUID
    method: str
    amount_minor: int
    destination: str
    status: str = "completed"
