"""Checkout API schemas."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from omniretail.kernel.schemas import Schema

Minor = Annotated[int, Field(ge=0, le=10**10)]


class AddressIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    line2: str = Field(default="", max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(min_length=2, max_length=2)
    phone: str = Field(default="", max_length=30)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class DeliveryChoice(Schema):
    method: Literal["courier", "post", "parcel_locker", "click_and_collect", "same_day", "carry_out"]
    address: AddressIn | None = None
    location_id: uuid.UUID | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=30)


class TenderIn(Schema):
    method: Literal["card", "cash", "gift_card", "store_credit", "pay_later", "qr"]
    amount_minor: Minor | None = None
    card_number: str | None = Field(default=None, min_length=12, max_length=23)
    gift_card_code: str | None = Field(default=None, min_length=4, max_length=32)
    cash_tendered_minor: Minor | None = None
    installments: Annotated[int, Field(ge=2, le=12)] | None = Field(
        default=None, description="pay later: how many installments (the first is taken now); 4 when left out")


class CheckoutIn(Schema):
    tenders: list[TenderIn] = Field(min_length=1, max_length=5)


class OrderPlacedRead(Schema):
    order_id: uuid.UUID
    number: str
    replayed: bool


class ShippingQuoteRead(Schema):
    method: str
    price_minor: int
    days_min: int
    days_max: int
    estimate_from: date
    estimate_to: date


class PickupStoreRead(Schema):
    location_id: uuid.UUID
    code: str
    name: str
    city: str
    distance_km: float | None
    lines_available: int
    lines_total: int
    has_everything: bool


class WindowRead(Schema):
    starts_at: datetime
    ends_at: datetime


class DeliveryOptionsRead(Schema):
    methods: list[str]
    shipping: list[ShippingQuoteRead]
    pickup_stores: list[PickupStoreRead]
    windows: list[WindowRead]
    same_day_price_minor: int | None


class InboundLine(Schema):
    sku: str = Field(min_length=1, max_length=64)
    quantity: Annotated[int, Field(ge=1, le=999)]


class InboundOrder(Schema):
    """An order a marketplace or delivery platform took and paid for."""

    external_id: str = Field(min_length=1, max_length=120)
    channel: str = Field(min_length=1, max_length=64)
    lines: list[InboundLine] = Field(min_length=1, max_length=100)
    address: AddressIn | None = None
    location_id: uuid.UUID | None = Field(default=None, description="the store the platform's courier collects at")
    email: str | None = Field(default=None, max_length=254)
