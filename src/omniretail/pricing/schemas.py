"""Pricing API shapes. Amounts are integer minor units (cents)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from omniretail.kernel.schemas import Name, Schema

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]


class PriceListCreate(Schema):
    code: Code
    name: Name
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
    tax_inclusive: bool = True


class PriceListRead(Schema):
    id: uuid.UUID
    code: str
    name: str
    currency: str
    country: str
    tax_inclusive: bool
    created_at: datetime


class PriceIn(Schema):
    sku: str
    amount_minor: Annotated[int, Field(ge=0)]


class PricesIn(Schema):
    prices: list[PriceIn] = Field(min_length=1, max_length=5000)


class PriceRead(Schema):
    sku: str
    variant_id: uuid.UUID
    amount_minor: int


class SaleIn(Schema):
    sku: str
    amount_minor: Annotated[int, Field(ge=0)]
    starts_at: datetime
    ends_at: datetime | None = None


class TaxRateIn(Schema):
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
    rate_bp: Annotated[int, Field(ge=0, le=10000)]
    tax_class: str = "standard"


class RuleCreate(Schema):
    code: Code
    name: Name
    channel_ids: list[uuid.UUID] = Field(min_length=2)
    tolerance_bp: Annotated[int, Field(ge=0)] = 0


class RuleRead(Schema):
    id: uuid.UUID
    code: str
    name: str
    channel_ids: list[uuid.UUID]
    tolerance_bp: int


class InconsistencyRead(Schema):
    rule_code: str
    sku: str
    variant_id: uuid.UUID
    prices: dict[str, int | None]
    currency: str


class AssignIn(Schema):
    channel_id: uuid.UUID
