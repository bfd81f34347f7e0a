"""Loyalty: tables. Balances are never stored: every figure is a SUM over ``loyalty_ledger_entry``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Program(Base):
    """The programme's settings; one row keyed ``default``."""

    __tablename__ = "loyalty_program"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3))
    points_per_unit: Mapped[int] = mapped_column(Integer, default=1)
    point_value_minor: Mapped[int] = mapped_column(Integer, default=1)
    return_window_days: Mapped[int] = mapped_column(Integer, default=30)
    expiry_months: Mapped[int] = mapped_column(Integer, default=12)
    min_redeem_points: Mapped[int] = mapped_column(Integer, default=0)
    referral_points: Mapped[int] = mapped_column(Integer, default=500)
    channel_multipliers: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Tier(IdMixin, Base):
    __tablename__ = "loyalty_tier"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    min_spend_minor: Mapped[int] = mapped_column(Integer, default=0)
    multiplier_percent: Mapped[int] = mapped_column(Integer, default=100)
    free_shipping: Mapped[bool] = mapped_column(Boolean, default=False)
    birthday_points: Mapped[int] = mapped_column(Integer, default=0)
    upgrade_promotion_id: Mapped[uuid.UUID | None]


class EarnRule(IdMixin, CreatedMixin, Base):
    """A bonus, a campaign multiplier or an exclusion (see ``loyalty.rules.EarnRule``)."""

    __tablename__ = "loyalty_earn_rule"

    name: Mapped[str] = mapped_column(String(120))
    multiplier_percent: Mapped[int] = mapped_column(Integer, default=100)
    exclude: Mapped[bool] = mapped_column(Boolean, default=False)
    brand: Mapped[str | None] = mapped_column(String(120))
    category_id: Mapped[uuid.UUID | None]
    product_id: Mapped[uuid.UUID | None]
    channel: Mapped[str | None] = mapped_column(String(40))
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Account(CreatedMixin, Base):
    """A member: the row a redemption locks so two checkouts cannot spend the same points. No balance here."""

    __tablename__ = "loyalty_account"

    customer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    referral_code: Mapped[str] = mapped_column(String(20), unique=True)
    tier_code: Mapped[str | None] = mapped_column(String(40))
    merged_into: Mapped[uuid.UUID | None]


class LedgerEntry(IdMixin, CreatedMixin, Base):
    """One movement of points. Credits are lots (``available_at`` is when they may be spent, ``expires_at`` when
    what is left of them lapses); ``ref`` makes each movement idempotent."""

    __tablename__ = "loyalty_ledger_entry"
    # Covering indexes: a balance and a rolling spend are index-only sums, however long the history.
    __table_args__ = (Index("ix_loyalty_ledger_entry_customer", "customer_id", "available_at", "kind", "points"),
                      Index("ix_loyalty_ledger_entry_spend", "customer_id", "created_at", "spend_minor"),
                      Index("ix_loyalty_ledger_entry_order", "order_id", "variant_id"))

    customer_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(20))
    points: Mapped[int] = mapped_column(Integer)
    spend_minor: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    order_id: Mapped[uuid.UUID | None]
    variant_id: Mapped[uuid.UUID | None]
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    location_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    channel_code: Mapped[str | None] = mapped_column(String(40))
    hold_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    lot_id: Mapped[uuid.UUID | None]
    ref: Mapped[str] = mapped_column(String(160), unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class CartRedemption(Base):
    """The member a cart belongs to for loyalty and the points they chose to spend on it."""

    __tablename__ = "loyalty_cart_redemption"

    cart_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID]
    points: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Reward(IdMixin, CreatedMixin, Base):
    """A reward in the catalog: points exchanged for a single-use coupon of ``promotion_id``."""

    __tablename__ = "loyalty_reward"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    points_cost: Mapped[int] = mapped_column(Integer)
    promotion_id: Mapped[uuid.UUID]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Referral(IdMixin, CreatedMixin, Base):
    """One new customer brought by a member; one per new customer."""

    __tablename__ = "loyalty_referral"

    referrer_id: Mapped[uuid.UUID] = mapped_column(index=True)
    referee_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(200), default="")
