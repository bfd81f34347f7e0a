"""Inventory tables. Variant ids are opaque references into the catalog, checked by services, never foreign keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Location(IdMixin, CreatedMixin, Base):
    """A place that holds stock: a warehouse, an own store, a franchise store or a dark store."""

    __tablename__ = "inventory_location"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64))
    opening_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ships_parcels: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_pickup: Mapped[bool] = mapped_column(Boolean, default=False)
    accepts_returns: Mapped[bool] = mapped_column(Boolean, default=False)
    sells_in_person: Mapped[bool] = mapped_column(Boolean, default=False)
    franchise_partner: Mapped[str | None] = mapped_column(String(200))
    channel_codes: Mapped[list[Any]] = mapped_column(default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class StockLevel(IdMixin, Base):
    """What one location holds of one variant. ``on_hand`` always equals the sum of the ledger."""

    __tablename__ = "inventory_stock_level"
    __table_args__ = (
        UniqueConstraint("variant_id", "location_id"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("on_hand >= reserved", name="on_hand_covers_reserved"),
        Index("ix_inventory_stock_level_location_variant", "location_id", "variant_id"),
    )

    variant_id: Mapped[uuid.UUID]
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_location.id"))
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    safety_stock: Mapped[int] = mapped_column(Integer, default=0)
    last_movement_at: Mapped[datetime | None]


class Movement(IdMixin, Base):
    """One line of the append-only stock ledger: never updated, never deleted."""

    __tablename__ = "inventory_movement"
    __table_args__ = (Index("ix_inventory_movement_variant_location", "variant_id", "location_id"),
                      Index("ix_inventory_movement_document", "document_type", "document_id"))

    variant_id: Mapped[uuid.UUID]
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_location.id"))
    kind: Mapped[str] = mapped_column(String(24))
    quantity: Mapped[int] = mapped_column(Integer)
    on_hand_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200), default="")
    actor_id: Mapped[uuid.UUID | None]
    actor_label: Mapped[str] = mapped_column(String(254), default="system")
    document_type: Mapped[str | None] = mapped_column(String(24))
    document_id: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)


class Reservation(IdMixin, CreatedMixin, Base):
    """A hold (for a cart in checkout, may expire) or an allocation (for a placed order) of stock."""

    __tablename__ = "inventory_reservation"
    __table_args__ = (Index("ix_inventory_reservation_due", "status", "expires_at"),)

    ref: Mapped[str] = mapped_column(String(100), index=True)
    variant_id: Mapped[uuid.UUID]
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_location.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class ReorderPoint(IdMixin, Base):
    """Min/max for one variant at one location: below min, suggest ordering up to max."""

    __tablename__ = "inventory_reorder_point"
    __table_args__ = (UniqueConstraint("variant_id", "location_id"),)

    variant_id: Mapped[uuid.UUID]
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_location.id"))
    min_quantity: Mapped[int] = mapped_column(Integer)
    max_quantity: Mapped[int] = mapped_column(Integer)
    low_since: Mapped[datetime | None]


class Transfer(IdMixin, CreatedMixin, Base):
    __tablename__ = "inventory_transfer"

    number: Mapped[str] = mapped_column(String(20), unique=True)
    from_location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_location.id"))
    to_location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_location.id"))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[uuid.UUID | None]
    approved_by: Mapped[uuid.UUID | None]
    approved_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]

    lines: Mapped[list[TransferLine]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                     order_by="TransferLine.variant_id")


class TransferLine(IdMixin, Base):
    __tablename__ = "inventory_transfer_line"
    __table_args__ = (UniqueConstraint("transfer_id", "variant_id"),)

    transfer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_transfer.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID]
    quantity_requested: Mapped[int] = mapped_column(Integer)
    quantity_shipped: Mapped[int] = mapped_column(Integer, default=0)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)
    discrepancy_note: Mapped[str] = mapped_column(String(200), default="")


class Count(IdMixin, CreatedMixin, Base):
    """A full or cycle count sheet for one location."""

    __tablename__ = "inventory_count"

    number: Mapped[str] = mapped_column(String(20), unique=True)
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_location.id"))
    scope: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12))
    created_by: Mapped[uuid.UUID | None]
    approved_by: Mapped[uuid.UUID | None]
    approved_at: Mapped[datetime | None]

    lines: Mapped[list[CountLine]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                  order_by="CountLine.variant_id")


class CountLine(IdMixin, Base):
    __tablename__ = "inventory_count_line"
    __table_args__ = (UniqueConstraint("count_id", "variant_id"),)

    count_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_count.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID]
    expected: Mapped[int] = mapped_column(Integer)
    counted: Mapped[int | None] = mapped_column(Integer)
    counted_at: Mapped[datetime | None]


class Supplier(IdMixin, CreatedMixin, Base):
    __tablename__ = "inventory_supplier"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    currency: Mapped[str] = mapped_column(String(3))

    items: Mapped[list[SupplierItem]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                     order_by="SupplierItem.variant_id")


class SupplierItem(IdMixin, Base):
    """What a supplier sells us: cost, lead time and minimum order for one variant."""

    __tablename__ = "inventory_supplier_item"
    __table_args__ = (UniqueConstraint("supplier_id", "variant_id"),)

    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_supplier.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_sku: Mapped[str] = mapped_column(String(64), default="")
    cost_minor: Mapped[int] = mapped_column(Integer)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=7)
    min_order_quantity: Mapped[int] = mapped_column(Integer, default=1)


class PurchaseOrder(IdMixin, CreatedMixin, Base):
    __tablename__ = "inventory_purchase_order"

    number: Mapped[str] = mapped_column(String(20), unique=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_supplier.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inventory_location.id"))
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    sent_at: Mapped[datetime | None]
    expected_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    lines: Mapped[list[PurchaseOrderLine]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                          order_by="PurchaseOrderLine.variant_id")


class PurchaseOrderLine(IdMixin, Base):
    __tablename__ = "inventory_purchase_order_line"
    __table_args__ = (UniqueConstraint("purchase_order_id", "variant_id"),)

    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inventory_purchase_order.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    quantity_ordered: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)
    cost_minor: Mapped[int] = mapped_column(Integer)

