"""Channels API shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from omniretail.channels.rules import ChannelKind
from omniretail.kernel.schemas import Locale, Name, Schema

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]


class ChannelCreate(Schema):
    code: Code
    name: Name
    kind: ChannelKind
    currency: Currency
    country: Country
    locales: list[Locale] = Field(min_length=1)
    default_locale: Locale
    location_ids: list[uuid.UUID] = []
    payment_methods: list[str] = []
    delivery_methods: list[str] = []


class ChannelUpdate(Schema):
    name: Name | None = None
    country: Country | None = None
    locales: list[Locale] | None = None
    default_locale: Locale | None = None
    location_ids: list[uuid.UUID] | None = None
    payment_methods: list[str] | None = None
    delivery_methods: list[str] | None = None
    is_active: bool | None = None


class ChannelRead(Schema):
    id: uuid.UUID
    code: str
    name: str
    kind: ChannelKind
    currency: str
    country: str
    locales: list[str]
    default_locale: str
    price_list_id: uuid.UUID | None
    location_ids: list[uuid.UUID]
    payment_methods: list[str]
    delivery_methods: list[str]
    is_active: bool
    created_at: datetime
