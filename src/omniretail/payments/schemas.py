"""Payments API schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from omniretail.kernel.schemas import Schema


class GiftCardCreate(Schema):
    amount_minor: int = Field(ge=1, le=10**8)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    customer_id: uuid.UUID | None = None


class GiftCardRead(Schema):
    code: str
    currency: str
    balance_minor: int


class PaymentRefundIn(Schema):
    amount_minor: int = Field(ge=1, le=10**10)
    to_store_credit: bool = False


class CashSessionOpen(Schema):
    location_id: uuid.UUID
    opening_float_minor: int = Field(ge=0, le=10**8)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")


class CashMove(Schema):
    amount_minor: int = Field(ge=-(10**8), le=10**8)
    reason: str = Field(min_length=1, max_length=200)


class CashClose(Schema):
    counted_minor: int = Field(ge=0, le=10**9)


class CashSessionRead(Schema):
    id: uuid.UUID
    location_id: uuid.UUID
    currency: str
    status: str
    opened_by: str
    opened_at: datetime
    opening_float_minor: int
    closed_at: datetime | None
    counted_minor: int | None
    expected_minor: int | None
    report: dict[str, Any] | None


class WebhookAck(Schema):
    received: bool
    duplicate: bool
