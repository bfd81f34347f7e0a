"""Checkout tables: one row per placement attempt (keyed by the idempotency key) and the merchant's policy."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class CheckoutAttempt(IdMixin, CreatedMixin, Base):
    """Where one placement stands: ``held`` (stock held), ``paid`` (tenders taken), ``placed`` or ``failed``.

    The reconciliation job reads it after a crash: a ``held`` attempt past its expiry is failed and its holds
    released; a ``paid`` one is completed into an order or its tenders are reversed.
    """

    __tablename__ = "checkout_attempt"
    __table_args__ = (Index("ix_checkout_attempt_status_expires", "status", "expires_at"),)

    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    cart_id: Mapped[uuid.UUID] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(12))
    hold_ref: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime]
    currency: Mapped[str] = mapped_column(String(3))
    total_minor: Mapped[int] = mapped_column(Integer)
    plan: Mapped[dict[str, Any]]
    tenders: Mapped[list[Any]]
    order_id: Mapped[uuid.UUID | None]
    error_type: Mapped[str | None] = mapped_column(String(80))
    error_detail: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class CheckoutPolicy(Base):
    """The merchant's checkout settings: one row (``id`` 1); defaults apply until someone saves it."""

    __tablename__ = "checkout_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    allow_franchise_sourcing: Mapped[bool] = mapped_column(Boolean, default=False)
    hold_minutes: Mapped[int] = mapped_column(Integer, default=15)
    abandoned_after_minutes: Mapped[int] = mapped_column(Integer, default=60)
