"""Customers API schemas. E-mail addresses and phone numbers arrive as text and are normalized (and refused with a
field error) by the service, so the API, the CLI import and the POS share one set of rules."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from omniretail.kernel.schemas import Locale, Schema

PRINTABLE = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL refuses NUL in text)
Text20 = Annotated[str, StringConstraints(max_length=20, pattern=PRINTABLE)]
Text100 = Annotated[str, StringConstraints(max_length=100, pattern=PRINTABLE)]
Text200 = Annotated[str, StringConstraints(max_length=200, pattern=PRINTABLE)]
GivenName = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=PRINTABLE)]
EmailText = Annotated[str, StringConstraints(max_length=254, pattern=PRINTABLE)]
PhoneText = Annotated[str, StringConstraints(max_length=40, pattern=PRINTABLE)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=PRINTABLE)]
Shade = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=PRINTABLE)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Sizes = Annotated[dict[Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=PRINTABLE)], Text20],
                  Field(max_length=20)]
SegmentCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")]
ConsentChannel = Literal["email", "sms", "push"]
Source = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_-]{0,19}$")]


class ConsentsIn(Schema):
    """Consent per channel; a channel left out is not changed."""

    email: bool | None = None
    sms: bool | None = None
    push: bool | None = None


class AddressIn(Schema):
    label: Text100 = ""
    recipient: Text200 = ""
    street: Text200 = ""
    postal_code: Text20 = ""
    city: Text100 = ""
    country: Country
    phone: PhoneText | None = None
    is_default: bool = False


class AddressUpdate(Schema):
    label: Text100 | None = None
    recipient: Text200 | None = None
    street: Text200 | None = None
    postal_code: Text20 | None = None
    city: Text100 | None = None
    country: Country | None = None
    phone: PhoneText | None = None
    is_default: bool | None = None


class AddressRead(Schema):
    id: uuid.UUID
    label: str
    recipient: str
    street: str
    postal_code: str
    city: str
    country: str
    phone: str | None
    is_default: bool


class Preferences(Schema):
    """What a shopper may change about themselves."""

    given_name: GivenName | None = None
    family_name: Text100 | None = None
    phone: PhoneText | None = None
    birth_date: date | None = None
    language: Locale | None = None
    favourite_location_id: uuid.UUID | None = None
    home_latitude: Latitude | None = None
    home_longitude: Longitude | None = None
    sizes: Sizes | None = None
    shades: Annotated[list[Shade], Field(max_length=30)] | None = None


class ProfileUpdate(Preferences):
    """What staff may change: everything a shopper may, plus e-mail, home store and tags."""

    email: EmailText | None = None
    home_location_id: uuid.UUID | None = None
    tags: Annotated[list[Tag], Field(max_length=30)] | None = None


class ProfileCreate(ProfileUpdate):
    """A profile opened at the till or by staff, for someone without an account."""

    given_name: GivenName
    consents: ConsentsIn | None = None
    addresses: Annotated[list[AddressIn], Field(max_length=10)] = []
    region: Country | None = Field(default=None, description="Country for phone numbers typed without +")


class ProfileRead(Schema):
    id: uuid.UUID
    status: str
    account_id: uuid.UUID | None
    given_name: str
    family_name: str
    email: str | None
    phone: str | None
    card_number: str | None
    birth_date: str | None
    language: str | None
    favourite_location_id: uuid.UUID | None
    home_location_id: uuid.UUID | None
    home_latitude: float | None
    home_longitude: float | None
    sizes: dict[str, Any]
    shades: list[Any]
    tags: list[Any]
    tier: str | None
    source: str
    merged_into_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class ProfileBrief(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    email: str | None
    phone: str | None
    card_number: str | None
    tier: str | None


class ProfilePage(Schema):
    items: list[ProfileRead]
    next_cursor: str | None


class LookupRead(Schema):
    items: list[ProfileBrief]


class IdentityIn(Schema):
    kind: Literal["email", "phone", "card"]
    value: Annotated[str, StringConstraints(min_length=1, max_length=254, pattern=PRINTABLE)]
    region: Country | None = None


class IdentityRead(Schema):
    kind: str
    value: str
    is_primary: bool
    source: str
    created_at: datetime


class ConsentIn(Schema):
    channel: ConsentChannel
    granted: bool
    source: Source = "staff"


class ConsentRead(Schema):
    channel: str
    granted: bool
    at: datetime | None
    source: str | None


class ConsentEntryRead(Schema):
    channel: str
    granted: bool
    at: datetime
    source: str
    actor: str


class ConsentsRead(Schema):
    current: list[ConsentRead]
    history: list[ConsentEntryRead]


class MergeIn(Schema):
    merged_id: uuid.UUID
    reason: Text200 = ""


class MergePair(MergeIn):
    survivor_id: uuid.UUID


class MergeRead(Schema):
    id: uuid.UUID
    survivor_id: uuid.UUID
    merged_id: uuid.UUID
    at: datetime
    actor: str
    reason: str
    moved: dict[str, Any]
    snapshot: dict[str, Any]


class DuplicateRead(Schema):
    first: ProfileBrief
    second: ProfileBrief
    reasons: list[str]


class OrderSummary(Schema):
    id: uuid.UUID
    number: str
    channel_code: str
    channel_kind: str
    location_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    status: str
    currency: str
    total_minor: int
    refunded_minor: int
    created_at: datetime


class TotalsRead(Schema):
    orders: int
    spend_by_currency: dict[str, int]
    orders_by_channel: dict[str, int]
    last_order_at: datetime | None


class Profile360Read(Schema):
    profile: ProfileRead
    identities: list[IdentityRead]
    addresses: list[AddressRead]
    consents: list[ConsentRead]
    segments: list[str]
    merged_ids: list[uuid.UUID]
    totals: TotalsRead
    orders: list[OrderSummary]


class SegmentCreate(Schema):
    code: SegmentCode
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PRINTABLE)]
    rule: dict[str, Any]


class SegmentUpdate(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PRINTABLE)] | None = None
    rule: dict[str, Any] | None = None


class SegmentRead(Schema):
    id: uuid.UUID
    code: str
    name: str
    rule: dict[str, Any]
    member_count: int
    recomputed_at: datetime | None
    created_at: datetime


class RecomputeRead(Schema):
    code: str
    members: int
    added: int
    removed: int
