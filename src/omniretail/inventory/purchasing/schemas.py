"""Purchasing API shapes: suppliers, purchase orders, reorder points and suggestions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from omniretail.inventory.schemas import Code, Quantity
from omniretail.inventory.transfers.schemas import QuantityLine
from omniretail.kernel.paging import PageRead
from omniretail.kernel.schemas import Email, Name, Schema

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Cost = Annotated[int, Field(ge=0, le=10**12)]


class SupplierItemSchema(Schema):
    variant_id: uuid.UUID
    cost_minor: Cost
    lead_time_days: Annotated[int, Field(ge=0, le=365)] = 7
    min_order_quantity: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    supplier_sku: Annotated[str, StringConstraints(max_length=64)] = ""


class SupplierCreate(Schema):
    code: Code
    name: Name
    currency: Currency
    email: Email | None = None
    items: Annotated[list[SupplierItemSchema], Field(max_length=5000)] = Field(default_factory=list)


class SupplierItemsUpdate(Schema):
    items: Annotated[list[SupplierItemSchema], Field(min_length=1, max_length=5000)]


class SupplierRead(Schema):
    id: uuid.UUID
    code: str
    name: str
    currency: str
    email: str | None
    items: list[SupplierItemSchema]


class PurchaseOrderLineCreate(Schema):
    variant_id: uuid.UUID
    quantity: Quantity
    cost_minor: Cost | None = None


class PurchaseOrderCreate(Schema):
    supplier_id: uuid.UUID
    location_id: uuid.UUID
    lines: Annotated[list[PurchaseOrderLineCreate], Field(min_length=1, max_length=5000)]


class PurchaseOrderReceive(Schema):
    """Quantities delivered now; no lines means everything outstanding arrived."""

    lines: Annotated[list[QuantityLine], Field(max_length=5000)] | None = None


class PurchaseOrderLineRead(Schema):
    variant_id: uuid.UUID
    quantity_ordered: int
    quantity_received: int
    cost_minor: int


class PurchaseOrderRead(Schema):
    id: uuid.UUID
    number: str
    supplier_id: uuid.UUID
    location_id: uuid.UUID
    status: str
    currency: str
    created_at: datetime
    sent_at: datetime | None
    expected_at: datetime | None
    closed_at: datetime | None
    lines: list[PurchaseOrderLineRead]


class ReorderPointSet(Schema):
    variant_id: uuid.UUID
    location_id: uuid.UUID
    min_quantity: Annotated[int, Field(ge=0, le=1_000_000)]
    max_quantity: Annotated[int, Field(ge=0, le=1_000_000)]


class ReorderPointRead(Schema):
    id: uuid.UUID
    variant_id: uuid.UUID
    location_id: uuid.UUID
    min_quantity: int
    max_quantity: int
    low_since: datetime | None


class SuggestionRead(Schema):
    variant_id: uuid.UUID
    location_id: uuid.UUID
    available: int
    on_order: int
    min_quantity: int
    max_quantity: int
    quantity: int
    supplier_id: uuid.UUID | None
    cost_minor: int | None


class OnOrderQuery(Schema):
    variant_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=200)]
    location_ids: Annotated[list[uuid.UUID], Field(max_length=500)] | None = None


class OnOrderRead(Schema):
    variant_id: uuid.UUID
    location_id: uuid.UUID
    on_hand: int
    available: int
    on_order: int


SupplierPage = PageRead[SupplierRead]
PurchaseOrderPage = PageRead[PurchaseOrderRead]
ReorderPointPage = PageRead[ReorderPointRead]
