"""Ordering tables: orders with their lines, sourcing decision and timeline. Other contexts by id only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Order(IdMixin, CreatedMixin, Base):
    """A placed order from any channel; ``location_id`` is the store it was sold or picked up at, or the main
    location that fulfils it."""

    __tablename__ = "ordering_order"
    __table_args__ = (UniqueConstraint("external_platform", "external_id"),
                      Index("ix_ordering_order_location", "location_id", "id"))

    number: Mapped[str] = mapped_column(String(20), unique=True)
    channel_id: Mapped[uuid.UUID] = mapped_column(index=True)
    channel_code: Mapped[str] = mapped_column(String(40))
    channel_kind: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[uuid.UUID | None]
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    cart_id: Mapped[uuid.UUID | None]
    checkout_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    external_platform: Mapped[str | None] = mapped_column(String(40))
    external_id: Mapped[str | None] = mapped_column(String(120))
    hold_ref: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int] = mapped_column(Integer)
    tax_minor: Mapped[int] = mapped_column(Integer)
    shipping_minor: Mapped[int] = mapped_column(Integer, default=0)
    discount_minor: Mapped[int] = mapped_column(Integer, default=0)
    total_minor: Mapped[int] = mapped_column(Integer)
    paid_minor: Mapped[int] = mapped_column(Integer, default=0)
    refunded_minor: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    delivery: Mapped[dict[str, Any]]
    sourcing: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    lines: Mapped[list[OrderLine]] = relationship(cascade="all, delete-orphan", order_by="OrderLine.position",
                                                  lazy="selectin")


class OrderLine(IdMixin, Base):
    __tablename__ = "ordering_line"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ordering_order.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[uuid.UUID]
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(Integer)
    line_total_minor: Mapped[int] = mapped_column(Integer)
    tax_minor: Mapped[int] = mapped_column(Integer)
    tax_rate_bp: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[uuid.UUID | None]


class TimelineEntry(IdMixin, Base):
    """Something that happened to an order, with who did it."""

    __tablename__ = "ordering_timeline_entry"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ordering_order.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str | None] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class OrderEdit(IdMixin, CreatedMixin, Base):
    """One applied change to an order before fulfilment, kept once per idempotency key."""

    __tablename__ = "ordering_edit"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ordering_order.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    old_total_minor: Mapped[int] = mapped_column(Integer)
    new_total_minor: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
