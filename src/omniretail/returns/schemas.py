"""Returns API schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from omniretail.kernel.schemas import Schema
from omniretail.returns.rules import Condition, Reason, RefundMethod

Quantity = Annotated[int, Field(ge=1, le=10_000)]


class ReturnLineIn(Schema):
    variant_id: uuid.UUID
    quantity: Quantity
    reason: Reason
    note: str = Field(default="", max_length=500)
    condition: Condition = Condition.RESELLABLE
    exchange_variant_id: uuid.UUID | None = None


class MyReturnCreate(Schema):
    """A shopper's own return request."""

    order_id: uuid.UUID
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=100)
    refund_method: RefundMethod = RefundMethod.ORIGINAL


class ReturnCreate(MyReturnCreate):
    """A return opened by staff at a store, or by support for the shopper."""

    via: Literal["store", "support", "post"]
    location_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    has_receipt: bool = True


class InspectedLine(Schema):
    variant_id: uuid.UUID
    condition: Condition


class ReceiveIn(Schema):
    location_id: uuid.UUID
    lines: list[InspectedLine] = Field(default_factory=list, max_length=100)


class ReturnLineRead(Schema):
    variant_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    reason: str
    condition: str | None
    outcome: str | None
    refund_minor: int
    exchange_variant_id: uuid.UUID | None
    exchange_price_minor: int


class ReturnRead(Schema):
    id: uuid.UUID
    rma: str
    order_id: uuid.UUID
    order_number: str
    customer_id: uuid.UUID | None
    via: str
    status: str
    refund_method: str
    currency: str
    location_id: uuid.UUID | None
    received_location_id: uuid.UUID | None
    refund_minor: int
    collected_minor: int
    created_at: datetime
    completed_at: datetime | None
    lines: list[ReturnLineRead]


class ReturnPage(Schema):
    items: list[ReturnRead]
    next_cursor: str | None


class PolicyIO(Schema):
    window_days: int = Field(default=30, ge=0, le=3650)
    category_windows: dict[str, Annotated[int, Field(ge=0, le=3650)]] = Field(default_factory=dict)
    final_sale_skus: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=10_000)
    exchange_only_skus: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=10_000)
    accepted_conditions: list[Condition] = Field(default_factory=lambda: [Condition.RESELLABLE, Condition.OPENED])
    receipt_required_for_store_sales: bool = True
    cash_by_post_to_store_credit: bool = True
