"""Cart tables: a cart per shopper and channel, its lines priced at the last change."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Cart(IdMixin, CreatedMixin, Base):
    """A basket in one channel; a guest reaches it with its token (only the hash is stored), a customer by account."""

    __tablename__ = "cart_cart"
    __table_args__ = (Index("ix_cart_cart_abandoned", "status", "customer_id", "updated_at"),)

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel_id: Mapped[uuid.UUID] = mapped_column(index=True)
    currency: Mapped[str] = mapped_column(String(3))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    location_id: Mapped[uuid.UUID | None]
    staff_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(String(12), default="open")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    delivery: Mapped[dict[str, Any] | None]
    order_id: Mapped[uuid.UUID | None]
    merged_into: Mapped[uuid.UUID | None]
    abandoned_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    lines: Mapped[list[CartLine]] = relationship(back_populates="cart", cascade="all, delete-orphan",
                                                 order_by="CartLine.position", lazy="selectin")


class CartLine(IdMixin, Base):
    """One variant in a cart, with the price and the reason it cannot be bought as of the last re-pricing."""

    __tablename__ = "cart_line"
    __table_args__ = (UniqueConstraint("cart_id", "variant_id"),)

    cart_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cart_cart.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[uuid.UUID]
    product_id: Mapped[uuid.UUID | None]
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    unit_price_minor: Mapped[int | None] = mapped_column(Integer)
    regular_price_minor: Mapped[int | None] = mapped_column(Integer)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    tax_inclusive: Mapped[bool] = mapped_column(Boolean, default=True)
    weight_grams: Mapped[int] = mapped_column(Integer, default=0)
    problem: Mapped[str | None] = mapped_column(String(40))
    problem_detail: Mapped[str | None] = mapped_column(String(300))
    # A price a staff member set at the till (with the permission to), kept over re-pricing; who and why.
    override_price_minor: Mapped[int | None] = mapped_column(Integer)
    override_reason: Mapped[str | None] = mapped_column(String(200))
    override_by: Mapped[str | None] = mapped_column(String(200))
    cart: Mapped[Cart] = relationship(back_populates="lines")
