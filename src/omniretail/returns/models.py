"""Returns tables: return requests (RMA) with their lines, and the merchant's return policy. Orders, variants,
locations and customers are other contexts' ids only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class ReturnRequest(IdMixin, CreatedMixin, Base):
    """One return of goods from one order, from request to refund, under its RMA number."""

    __tablename__ = "returns_request"
    __table_args__ = (Index("ix_returns_request_order", "order_id"),)

    rma: Mapped[str] = mapped_column(String(20), unique=True)
    order_id: Mapped[uuid.UUID]
    order_number: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    via: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(16))
    refund_method: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    location_id: Mapped[uuid.UUID | None]
    received_location_id: Mapped[uuid.UUID | None]
    refund_minor: Mapped[int] = mapped_column(Integer, default=0)
    collected_minor: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[str] = mapped_column(String(200))
    received_by: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    lines: Mapped[list[ReturnLine]] = relationship(cascade="all, delete-orphan", order_by="ReturnLine.position",
                                                   lazy="selectin")


class ReturnLine(IdMixin, Base):
    """One returned item: why, in what condition it arrived, what became of it and what it refunded."""

    __tablename__ = "returns_line"

    return_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("returns_request.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[uuid.UUID]
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(24), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    condition: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    refund_minor: Mapped[int] = mapped_column(Integer, default=0)
    exchange_variant_id: Mapped[uuid.UUID | None]
    exchange_price_minor: Mapped[int] = mapped_column(Integer, default=0)


class PolicyRow(IdMixin, Base):
    """The merchant's return policy (``returns.rules.Policy`` as JSON)."""

    __tablename__ = "returns_policy"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    rules: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
