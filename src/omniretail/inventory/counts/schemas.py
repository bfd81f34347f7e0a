"""Count API shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from omniretail.inventory.transfers.schemas import QuantityLine
from omniretail.kernel.paging import PageRead
from omniretail.kernel.schemas import Schema


class CountCreate(Schema):
    location_id: uuid.UUID
    scope: Literal["full", "cycle"]
    variant_ids: Annotated[list[uuid.UUID], Field(max_length=5000)] = Field(default_factory=list)


class CountEntries(Schema):
    lines: Annotated[list[QuantityLine], Field(min_length=1, max_length=5000)]


class CountLineRead(Schema):
    variant_id: uuid.UUID
    expected: int
    counted: int | None
    counted_at: datetime | None


class CountRead(Schema):
    id: uuid.UUID
    number: str
    location_id: uuid.UUID
    scope: str
    status: str
    created_at: datetime
    approved_at: datetime | None
    lines: list[CountLineRead]


class VarianceRead(Schema):
    variant_id: uuid.UUID
    expected: int
    counted: int | None
    on_hand: int
    variance: int | None


CountPage = PageRead[CountRead]
