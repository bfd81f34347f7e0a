"""Ordering API schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

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


class InstallmentRead(Schema):
    number: int
    due_at: datetime
    amount_minor: int
    currency: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None


class EditLineIn(Schema):
    sku: str = Field(min_length=1, max_length=64)
    quantity: Annotated[int, Field(ge=0, le=999)]


class EditAddressIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    line2: str = Field(default="", max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    phone: str = Field(default="", max_length=30)


class OrderEditIn(Schema):
    """Lines by SKU: a line on the order gets the quantity (0 removes it); another SKU is added."""

    lines: list[EditLineIn] = Field(default_factory=list, max_length=100)
    address: EditAddressIn | None = None
    card_number: str | None = Field(default=None, min_length=12, max_length=23,
                                    description="pays the extra when the order costs more")


class OrderEditRead(Schema):
    order: OrderRead
    old_total_minor: int
    new_total_minor: int
    charged_minor: int
    refunds: list[RefundRead]
    replayed: bool


class ReceiptEmailIn(Schema):
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ReceiptEmailRead(Schema):
    to: str
