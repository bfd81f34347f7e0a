"""Loyalty API schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from omniretail.kernel.schemas import Schema

Percent = Annotated[int, Field(ge=0, le=10000, description="percent: 200 = double points")]


class SummaryRead(Schema):
    customer_id: uuid.UUID
    tier: str | None
    tier_name: str | None
    available: int
    pending: int
    lifetime: int
    spend_12m_minor: int
    point_value_minor: int
    free_shipping: bool


class EntryRead(Schema):
    id: uuid.UUID
    kind: str
    points: int
    available_at: datetime
    expires_at: datetime | None
    order_id: uuid.UUID | None
    variant_id: uuid.UUID | None
    location_id: uuid.UUID | None
    channel_code: str | None
    note: str
    created_at: datetime


class AccountRead(Schema):
    summary: SummaryRead
    entries: list[EntryRead]


class AdjustmentCreate(Schema):
    points: Annotated[int, Field(ge=-10_000_000, le=10_000_000)]
    note: str = Field(min_length=1, max_length=200)


class ProgramRead(Schema):
    points_per_unit: int
    point_value_minor: int
    return_window_days: int
    expiry_months: int
    min_redeem_points: int
    referral_points: int
    channel_multipliers: dict[str, int]


class ProgramUpdate(Schema):
    name: str = Field(default="Members", min_length=1, max_length=120)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    points_per_unit: Annotated[int, Field(ge=0, le=1000)] = 1
    point_value_minor: Annotated[int, Field(ge=1, le=100000)] = 1
    return_window_days: Annotated[int, Field(ge=0, le=365)] = 30
    expiry_months: Annotated[int, Field(ge=0, le=120)] = 12
    min_redeem_points: Annotated[int, Field(ge=0, le=10**7)] = 0
    referral_points: Annotated[int, Field(ge=0, le=10**7)] = 500
    channel_multipliers: dict[Annotated[str, Field(max_length=40)], Percent] = Field(default_factory=dict,
                                                                                      max_length=50)


class TierIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    min_spend_minor: Annotated[int, Field(ge=0, le=10**12)]
    multiplier_percent: Percent = 100
    free_shipping: bool = False
    birthday_points: Annotated[int, Field(ge=0, le=10**7)] = 0
    upgrade_promotion_id: uuid.UUID | None = None


class TierRead(Schema):
    code: str
    name: str
    min_spend_minor: int
    multiplier_percent: int
    free_shipping: bool
    birthday_points: int


class EarnRuleIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    multiplier_percent: Percent = 100
    exclude: bool = False
    brand: str | None = Field(default=None, max_length=120)
    category_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    channel: str | None = Field(default=None, max_length=40)
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class EarnRuleRead(EarnRuleIn):
    id: uuid.UUID


class SettlementRowRead(Schema):
    earned_at: uuid.UUID | None
    redeemed_at: uuid.UUID | None
    points: int
    value_minor: int


class SettlementRead(Schema):
    """Points redeemed in the period, by the store that issued them and the store that honoured them; the
    honouring store is owed ``value_minor`` by the issuing one."""

    start: datetime
    end: datetime
    rows: list[SettlementRowRead]


class RewardIn(Schema):
    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=120)
    points_cost: Annotated[int, Field(ge=1, le=10**7)]
    promotion_id: uuid.UUID


class RewardRead(Schema):
    code: str
    name: str
    points_cost: int


class CouponRead(Schema):
    coupon: str


class ReferralIn(Schema):
    code: str = Field(min_length=4, max_length=20, description="the referral code a member gave you")


class ReferralRead(Schema):
    referrer_id: uuid.UUID
    status: str


class ReferralCodeRead(Schema):
    code: str
