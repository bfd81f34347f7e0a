"""Promotions: tables. Promotions and coupons are data; a coupon use is claimed at checkout under the promotion's
row lock; every order's discount is kept as per-line allocations so a returned line refunds exactly its share."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Promotion(IdMixin, CreatedMixin, Base):
    """A discount rule: its benefit (``kind`` and amounts), stacking, scope and conditions (JSON, see
    ``promotions.rules.Scope`` and ``Conditions``) and its limits."""

    __tablename__ = "promotions_promotion"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(20))
    percent_bp: Mapped[int] = mapped_column(Integer, default=0)
    amount_minor: Mapped[int] = mapped_column(Integer, default=0)
    buy: Mapped[int] = mapped_column(Integer, default=0)
    get: Mapped[int] = mapped_column(Integer, default=0)
    gift_variant_id: Mapped[uuid.UUID | None]
    priority: Mapped[int] = mapped_column(Integer, default=100)
    exclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    group_code: Mapped[str | None] = mapped_column(String(40))
    scope: Mapped[dict[str, Any]]
    conditions: Mapped[dict[str, Any]]
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    requires_coupon: Mapped[bool] = mapped_column(Boolean, default=False)
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    per_customer_limit: Mapped[int | None] = mapped_column(Integer)
    first_order_only: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Coupon(IdMixin, CreatedMixin, Base):
    """A code that unlocks a promotion; batch codes are single-use (``usage_limit`` 1)."""

    __tablename__ = "promotions_coupon"

    promotion_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("promotions_promotion.id", ondelete="CASCADE"),
                                                    index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    batch: Mapped[str | None] = mapped_column(String(40))
    customer_id: Mapped[uuid.UUID | None]  # a member gift: only this customer may use it


class CouponUse(IdMixin, CreatedMixin, Base):
    """One claimed use of a coupon: ``held`` by a checkout in progress, ``used`` by an order, or ``released``."""

    __tablename__ = "promotions_coupon_use"
    __table_args__ = (UniqueConstraint("hold_ref", "coupon_id"),
                      Index("ix_promotions_coupon_use_promotion", "promotion_id", "status"))

    coupon_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("promotions_coupon.id", ondelete="CASCADE"), index=True)
    promotion_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    hold_ref: Mapped[str] = mapped_column(String(80))
    order_id: Mapped[uuid.UUID | None]
    channel_code: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))


class CartCoupon(Base):
    """A code a shopper or cashier entered on a cart (the cart's tables stay the cart's)."""

    __tablename__ = "promotions_cart_coupon"

    cart_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    coupon_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID | None]
    added_at: Mapped[datetime] = mapped_column(default=clock.now)


class LineAllocation(IdMixin, Base):
    """One adjustment's share of one order line (all adjustments of an order add up to its discount)."""

    __tablename__ = "promotions_line_allocation"

    hold_ref: Mapped[str] = mapped_column(String(80), index=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    variant_id: Mapped[uuid.UUID]
    source: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(200))
    amount_minor: Mapped[int] = mapped_column(Integer)
