"""Transfer API shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from omniretail.inventory.schemas import Quantity
from omniretail.kernel.paging import PageRead
from omniretail.kernel.schemas import Schema

Note = Annotated[str, StringConstraints(max_length=500)]


class TransferLineCreate(Schema):
    variant_id: uuid.UUID
    quantity: Quantity


class TransferCreate(Schema):
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    lines: Annotated[list[TransferLineCreate], Field(min_length=1, max_length=500)]
    note: Note = ""


class QuantityLine(Schema):
    variant_id: uuid.UUID
    quantity: Annotated[int, Field(ge=0, le=1_000_000)]


class TransferShip(Schema):
    """Shipped quantities per line; lines left out ship what was requested."""

    lines: Annotated[list[QuantityLine], Field(max_length=500)] = Field(default_factory=list)


class TransferReceive(Schema):
    """Received quantities per line; lines left out arrived as shipped."""

    lines: Annotated[list[QuantityLine], Field(max_length=500)] = Field(default_factory=list)
    note: Note = ""


class TransferLineRead(Schema):
    variant_id: uuid.UUID
    quantity_requested: int
    quantity_shipped: int
    quantity_received: int
    discrepancy_note: str


class TransferRead(Schema):
    id: uuid.UUID
    number: str
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    status: str
    note: str
    created_at: datetime
    approved_at: datetime | None
    shipped_at: datetime | None
    received_at: datetime | None
    lines: list[TransferLineRead]


TransferPage = PageRead[TransferRead]
