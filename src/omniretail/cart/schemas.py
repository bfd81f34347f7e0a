"""Cart API schemas."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import Field

from omniretail.kernel.schemas import Schema

Quantity = Annotated[int, Field(ge=0, le=999)]


class CartCreate(Schema):
    channel: str = Field(min_length=1, max_length=64, description="channel id or code")
    location_id: uuid.UUID | None = Field(default=None, description="the store, for a POS sale")
    email: str | None = Field(default=None, max_length=254)


class LineCreate(Schema):
    variant_id: uuid.UUID | None = None
    sku: str | None = Field(default=None, min_length=1, max_length=64)
    quantity: Annotated[int, Field(ge=1, le=999)] = 1


class LineUpdate(Schema):
    quantity: Quantity


class LineRead(Schema):
    id: uuid.UUID
    variant_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price_minor: int | None
    regular_price_minor: int | None
    tax_rate_bp: int
    problem: str | None
    problem_detail: str | None
    override_price_minor: int | None = None
    override_reason: str | None = None


class PriceOverrideIn(Schema):
    """A price set by hand at the till (``amount_minor`` null gives the shelf price back)."""

    amount_minor: int | None = Field(ge=0, le=100_000_000)
    reason: str = Field(default="", max_length=200)


class TotalsRead(Schema):
    subtotal_minor: int
    tax_minor: int
    shipping_minor: int
    discount_minor: int
    total_minor: int
    points: int
    weight_grams: int


class AdjustmentRead(Schema):
    label: str
    reason: str
    amount_minor: int
    points: int = Field(description="points this adjustment spends (a points redemption)")


class MemberIn(Schema):
    customer_id: uuid.UUID | None = Field(description="the member's customer id, or null to serve nobody")


class CartRead(Schema):
    id: uuid.UUID
    channel_id: uuid.UUID
    currency: str
    status: str
    customer_id: uuid.UUID | None
    location_id: uuid.UUID | None
    email: str | None
    phone: str | None
    delivery: dict[str, Any] | None
    order_id: uuid.UUID | None
    lines: list[LineRead]
    totals: TotalsRead
    purchasable: bool
    adjustments: list[AdjustmentRead] = Field(default_factory=list, description="discounts and redemptions, explained")
    notes: list[str] = Field(default_factory=list, description="offers that did not apply, and why")
    token: str | None = Field(default=None, description="the guest token; shown only when the cart is created")
