"""Customers tables: one profile per person across every channel, with identities (e-mail, phone, loyalty card),
addresses, an append-only consent history, merge history and rule-based segments.

The profile id is the identity customer account id when the shopper has an account (carts and orders store that
id as ``customer_id``); profiles made at the POS or by import have their own id. Other contexts refer to profiles
by id only.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Profile(IdMixin, CreatedMixin, Base):
    """A person who buys from us. ``status`` is ``active``, ``merged`` (see ``merged_into_id``) or ``erased``."""

    __tablename__ = "customers_profile"
    # Name look-ups are ``LIKE 'prefix%'``: PostgreSQL needs pattern operators for an index to serve them.
    __table_args__ = (Index("ix_customers_profile_name_key", "name_key",
                            postgresql_ops={"name_key": "varchar_pattern_ops"}),
                      Index("ix_customers_profile_family_key", "family_key",
                            postgresql_ops={"family_key": "varchar_pattern_ops"}))

    account_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    given_name: Mapped[str] = mapped_column(String(100), default="")
    family_name: Mapped[str] = mapped_column(String(100), default="")
    name_key: Mapped[str] = mapped_column(String(201), default="")
    family_key: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    card_number: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(8))
    favourite_location_id: Mapped[uuid.UUID | None]
    home_location_id: Mapped[uuid.UUID | None]
    home_latitude: Mapped[float | None] = mapped_column(Float)
    home_longitude: Mapped[float | None] = mapped_column(Float)
    sizes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    shades: Mapped[list[Any]] = mapped_column(default=list)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    tier: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20), default="web")
    status: Mapped[str] = mapped_column(String(10), default="active")
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customers_profile.id"), index=True)
    erased_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Identity(IdMixin, CreatedMixin, Base):
    """A way to recognise the customer: ``email`` (lower case), ``phone`` (E.164) or ``card`` (loyalty card).
    The same value may sit on two profiles until they are merged: that is what duplicate detection finds."""

    __tablename__ = "customers_identity"
    __table_args__ = (UniqueConstraint("profile_id", "kind", "value"),
                      Index("ix_customers_identity_kind_value", "kind", "value"))

    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers_profile.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(254))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(20), default="web")


class Address(IdMixin, CreatedMixin, Base):
    """A delivery or billing address; ``postal_key`` is the postcode without spaces, upper case."""

    __tablename__ = "customers_address"
    __table_args__ = (Index("ix_customers_address_postal_key", "postal_key"),)

    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers_profile.id"), index=True)
    label: Mapped[str] = mapped_column(String(60), default="")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    postal_key: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class Consent(IdMixin, Base):
    """One entry of the append-only consent history; the current consent per channel is the latest entry."""

    __tablename__ = "customers_consent"
    __table_args__ = (Index("ix_customers_consent_profile_channel", "profile_id", "channel", "at"),)

    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers_profile.id"))
    channel: Mapped[str] = mapped_column(String(10))
    granted: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    source: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(254), default="")


class Merge(IdMixin, Base):
    """``merged_id`` was folded into ``survivor_id``; ``moved`` counts what came over, ``snapshot`` is the merged
    profile as it was."""

    __tablename__ = "customers_merge"

    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers_profile.id"), index=True)
    merged_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers_profile.id"), unique=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    actor: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(String(200), default="")
    moved: Mapped[dict[str, Any]] = mapped_column(default=dict)
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Segment(IdMixin, CreatedMixin, Base):
    """A rule (``customers.rules`` JSON language) and the customers it matched when last recomputed."""

    __tablename__ = "customers_segment"

    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    rule: Mapped[dict[str, Any]]
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    recomputed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class SegmentMember(Base):
    __tablename__ = "customers_segment_member"

    segment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers_segment.id", ondelete="CASCADE"),
                                                  primary_key=True)
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers_profile.id"), primary_key=True,
                                                  index=True)
    added_at: Mapped[datetime] = mapped_column(default=clock.now)
