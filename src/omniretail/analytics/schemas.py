"""Analytics request and response bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from omniretail.kernel.schemas import Schema

StepKind = Literal["page_view", "product_view", "add_to_cart", "checkout_start", "purchase", "search"]


class StepIn(Schema):
    """A step the app reports (the web shop's pages record their own)."""

    kind: StepKind
    visitor_id: uuid.UUID | None = None
    channel: str | None = Field(default=None, max_length=60)
    path: str | None = Field(default=None, max_length=300)
    product_id: uuid.UUID | None = None
    variant_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    quantity: int | None = Field(default=None, ge=0, le=100_000)
    value_minor: int | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class StepAccepted(Schema):
    visitor_id: uuid.UUID


class StepRead(Schema):
    id: uuid.UUID
    at: datetime
    visitor_id: uuid.UUID
    customer_id: uuid.UUID | None
    kind: str
    channel_code: str | None
    path: str | None
    product_id: uuid.UUID | None
    variant_id: uuid.UUID | None
    order_id: uuid.UUID | None
    quantity: int | None
    value_minor: int | None
    currency: str | None


class StepPage(Schema):
    items: list[StepRead]
    next_cursor: str | None
