"""Promotions API schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from omniretail.cart.schemas import TotalsRead
from omniretail.kernel.schemas import Schema

Kind = Literal["percent_off", "amount_off", "fixed_price", "buy_x_get_y", "bundle_price", "free_shipping", "gift"]
Count = Annotated[int, Field(ge=0, le=1_000_000)]


class ScopeIn(Schema):
    product_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    variant_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    category_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    brands: list[Annotated[str, Field(max_length=120)]] = Field(default_factory=list, max_length=200)
    exclude_product_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    exclude_category_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    exclude_brands: list[Annotated[str, Field(max_length=120)]] = Field(default_factory=list, max_length=200)


class ConditionsIn(Schema):
    channels: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=50, description="channel codes or kinds (web, app, store, franchise...)")
    location_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    segments: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list, max_length=100)
    tiers: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=20)
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(default_factory=list, max_length=7)
    hours: tuple[Annotated[int, Field(ge=0, le=24)], Annotated[int, Field(ge=0, le=24)]] | None = None
    min_quantity: Count = 0
    min_spend_minor: Annotated[int, Field(ge=0, le=10**10)] = 0


class PromotionCreate(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=500)
    kind: Kind
    percent_bp: Annotated[int, Field(ge=0, le=10000, description="hundredths of a percent: 1000 = 10%")] = 0
    amount_minor: Annotated[int, Field(ge=0, le=10**10)] = 0
    buy: Annotated[int, Field(ge=0, le=1000)] = 0
    get: Annotated[int, Field(ge=0, le=1000)] = 0
    gift_variant_id: uuid.UUID | None = None
    priority: Annotated[int, Field(ge=0, le=10000)] = 100
    exclusive: bool = False
    group_code: str | None = Field(default=None, max_length=40)
    scope: ScopeIn = Field(default_factory=ScopeIn)
    conditions: ConditionsIn = Field(default_factory=ConditionsIn)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    active: bool = True
    requires_coupon: bool = False
    usage_limit: Annotated[int, Field(ge=1)] | None = None
    per_customer_limit: Annotated[int, Field(ge=1)] | None = None
    first_order_only: bool = False


class PromotionUpdate(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=500)
    percent_bp: Annotated[int, Field(ge=0, le=10000)] | None = None
    amount_minor: Annotated[int, Field(ge=0, le=10**10)] | None = None
    priority: Annotated[int, Field(ge=0, le=10000)] | None = None
    exclusive: bool | None = None
    group_code: str | None = Field(default=None, max_length=40)
    scope: ScopeIn | None = None
    conditions: ConditionsIn | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    active: bool | None = None
    usage_limit: Annotated[int, Field(ge=1)] | None = None
    per_customer_limit: Annotated[int, Field(ge=1)] | None = None
    first_order_only: bool | None = None


class PromotionRead(Schema):
    id: uuid.UUID
    name: str
    description: str
    kind: str
    percent_bp: int
    amount_minor: int
    buy: int
    get: int
    gift_variant_id: uuid.UUID | None
    priority: int
    exclusive: bool
    group_code: str | None
    scope: dict[str, Any]
    conditions: dict[str, Any]
    starts_at: datetime | None
    ends_at: datetime | None
    active: bool
    requires_coupon: bool
    usage_limit: int | None
    per_customer_limit: int | None
    first_order_only: bool
    uses: int = 0


class CouponsCreate(Schema):
    code: str | None = Field(default=None, min_length=3, max_length=40, description="one code, or give count")
    count: Annotated[int, Field(ge=1, le=100_000)] | None = None
    prefix: str = Field(default="", max_length=16)
    usage_limit: Annotated[int, Field(ge=1)] | None = None


class CouponsRead(Schema):
    promotion_id: uuid.UUID
    codes: list[str]


class CouponApply(Schema):
    code: str = Field(min_length=1, max_length=40)
    customer_id: uuid.UUID | None = Field(default=None, description="the member, for a cashier at the till")


class PointsChoice(Schema):
    points: Annotated[int, Field(ge=0, le=10_000_000)]
    customer_id: uuid.UUID | None = Field(default=None, description="the member, for a cashier at the till")


class LineShareRead(Schema):
    variant_id: uuid.UUID
    amount_minor: int


class AdjustmentRead(Schema):
    label: str
    reason: str
    source: str
    amount_minor: int
    shipping: bool
    points: int
    lines: list[LineShareRead]


class NoteRead(Schema):
    label: str
    reason: str


class CartOffersRead(Schema):
    """What the cart's promotions, coupons and points do, each explained."""

    cart_id: uuid.UUID
    coupons: list[str]
    member_id: uuid.UUID | None
    points_chosen: int
    adjustments: list[AdjustmentRead]
    notes: list[NoteRead]
    totals: TotalsRead
