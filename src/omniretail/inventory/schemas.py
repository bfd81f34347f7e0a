"""Inventory API shapes: locations, stock levels, availability, movements and adjustments."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from omniretail.kernel.paging import PageRead
from omniretail.kernel.schemas import Name, Schema

Code = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9_-]*$")]
Kind = Literal["warehouse", "store", "franchise_store", "dark_store"]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Quantity = Annotated[int, Field(ge=1, le=1_000_000)]
Delta = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Short = Annotated[str, StringConstraints(max_length=200)]


class LocationCreate(Schema):
    code: Code
    name: Name
    kind: Kind
    street: Short = ""
    postal_code: Annotated[str, StringConstraints(max_length=20)] = ""
    city: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    country: Country
    latitude: Latitude
    longitude: Longitude
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    opening_hours: dict[str, str] = Field(default_factory=dict)
    ships_parcels: bool = False
    offers_pickup: bool = False
    accepts_returns: bool = False
    sells_in_person: bool = False
    franchise_partner: Short | None = None
    channel_codes: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] = Field(default_factory=list)


class LocationUpdate(Schema):
    name: Name | None = None
    street: Short | None = None
    postal_code: Annotated[str, StringConstraints(max_length=20)] | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    opening_hours: dict[str, str] | None = None
    ships_parcels: bool | None = None
    offers_pickup: bool | None = None
    accepts_returns: bool | None = None
    sells_in_person: bool | None = None
    franchise_partner: Short | None = None
    channel_codes: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] | None = None
    is_active: bool | None = None


class LocationRead(Schema):
    id: uuid.UUID
    code: str
    name: str
    kind: str
    street: str
    postal_code: str
    city: str
    country: str
    latitude: float
    longitude: float
    timezone: str
    opening_hours: dict[str, Any]
    ships_parcels: bool
    offers_pickup: bool
    accepts_returns: bool
    sells_in_person: bool
    franchise_partner: str | None
    channel_codes: list[str]
    is_active: bool


class StockRead(Schema):
    variant_id: uuid.UUID
    location_id: uuid.UUID
    on_hand: int
    reserved: int
    safety_stock: int
    available: int
    last_movement_at: datetime | None


class AvailabilityQuery(Schema):
    """Up to 200 variants at named locations, at a channel's locations, or near a point."""

    variant_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=200)]
    location_ids: Annotated[list[uuid.UUID], Field(max_length=500)] | None = None
    channel_code: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    limit: Annotated[int, Field(ge=1, le=50)] = 10
    require_all: bool = True

    @model_validator(mode="after")
    def _point_is_whole(self) -> AvailabilityQuery:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self


class NearbyRead(Schema):
    location_id: uuid.UUID
    code: str
    name: str
    city: str
    distance_km: float
    lines: list[StockRead]


class AvailabilityRead(Schema):
    items: list[StockRead]
    nearest: list[NearbyRead] | None = None


class SafetyStockUpdate(Schema):
    variant_id: uuid.UUID
    location_id: uuid.UUID
    safety_stock: Annotated[int, Field(ge=0, le=1_000_000)]


class MovementRead(Schema):
    id: uuid.UUID
    variant_id: uuid.UUID
    location_id: uuid.UUID
    kind: str
    quantity: int
    on_hand_after: int
    reason: str
    actor_id: uuid.UUID | None
    actor_label: str
    document_type: str | None
    document_id: str | None
    occurred_at: datetime


class AdjustmentCreate(Schema):
    """A correction with a reason: ``adjustment`` either way, ``write_off`` down, ``receipt`` up."""

    variant_id: uuid.UUID
    location_id: uuid.UUID
    delta: Delta
    reason: Reason
    kind: Literal["adjustment", "write_off", "receipt"] = "adjustment"
    document_type: Literal["order", "return", "transfer", "purchase_order", "count"] | None = None
    document_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None


LocationPage = PageRead[LocationRead]
StockPage = PageRead[StockRead]
MovementPage = PageRead[MovementRead]
