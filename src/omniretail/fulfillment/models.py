"""Fulfilment tables: boxes, carrier services with rate tables, shipments with lines and tracking events, pickups,
the notification log, dispatch watches and delay flags. Orders, variants and locations are other contexts' ids."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Box(IdMixin, Base):
    """A shipping box the merchant stocks: inner dimensions, weight limit, tare and what one costs."""

    __tablename__ = "fulfillment_box"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    length_mm: Mapped[int] = mapped_column(Integer)
    width_mm: Mapped[int] = mapped_column(Integer)
    height_mm: Mapped[int] = mapped_column(Integer)
    max_weight_grams: Mapped[int] = mapped_column(Integer)
    tare_grams: Mapped[int] = mapped_column(Integer, default=0)
    cost_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    is_active: Mapped[bool] = mapped_column(default=True)


class CarrierService(IdMixin, Base):
    """One service of a carrier: level, transit days, cut-off, zones by country and a rate table."""

    __tablename__ = "fulfillment_carrier_service"
    __table_args__ = (UniqueConstraint("carrier", "code"),)

    carrier: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(20))
    transit_days: Mapped[int] = mapped_column(Integer)
    cutoff: Mapped[str] = mapped_column(String(5))
    currency: Mapped[str] = mapped_column(String(3))
    zones: Mapped[dict[str, Any]]
    rates: Mapped[list[Any]]
    webhook_secret: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(default=True)


class BinAssignment(IdMixin, Base):
    """Where an item lives in a location (aisle-bin), so pick lists follow the walk."""

    __tablename__ = "fulfillment_bin"
    __table_args__ = (UniqueConstraint("location_id", "variant_id"),)

    location_id: Mapped[uuid.UUID]
    variant_id: Mapped[uuid.UUID]
    bin: Mapped[str] = mapped_column(String(40))


class Shipment(IdMixin, CreatedMixin, Base):
    """One parcel of an order from one location, from pick list to delivery."""

    __tablename__ = "fulfillment_shipment"
    __table_args__ = (Index("ix_fulfillment_shipment_location_status", "location_id", "status"),
                      Index("ix_fulfillment_shipment_due", "status", "expected_by"))

    number: Mapped[str] = mapped_column(String(20), unique=True)
    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    order_number: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    box_code: Mapped[str | None] = mapped_column(String(40))
    weight_grams: Mapped[int] = mapped_column(Integer, default=0)
    carrier: Mapped[str | None] = mapped_column(String(40))
    service_code: Mapped[str | None] = mapped_column(String(40))
    tracking_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    price_minor: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    promised_by: Mapped[date | None] = mapped_column(Date)
    rate_reason: Mapped[str] = mapped_column(String(300), default="")
    expected_by: Mapped[datetime | None]
    delayed_at: Mapped[datetime | None]
    packed_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    lines: Mapped[list[ShipmentLine]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                     order_by="ShipmentLine.sku")


class ShipmentLine(IdMixin, Base):
    __tablename__ = "fulfillment_shipment_line"

    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("fulfillment_shipment.id", ondelete="CASCADE"),
                                                   index=True)
    variant_id: Mapped[uuid.UUID]
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)


class TrackingEvent(IdMixin, Base):
    """A step of a shipment, from the carrier's webhook or entered by staff; ``external_id`` dedupes webhooks."""

    __tablename__ = "fulfillment_tracking_event"
    __table_args__ = (UniqueConstraint("shipment_id", "external_id"),)

    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("fulfillment_shipment.id", ondelete="CASCADE"),
                                                   index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=clock.now)
    source: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(500), default="")
    external_id: Mapped[str | None] = mapped_column(String(120))


class Pickup(IdMixin, CreatedMixin, Base):
    """A click-and-collect order waiting at a store under its pickup code."""

    __tablename__ = "fulfillment_pickup"

    order_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    order_number: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[uuid.UUID] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")
    ready_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    handed_over_at: Mapped[datetime | None]
    handed_over_by: Mapped[str | None] = mapped_column(String(200))


class Notification(IdMixin, CreatedMixin, Base):
    """One e-mail to a shopper about their order, with its delivery status and attempts."""

    __tablename__ = "fulfillment_notification"
    __table_args__ = (Index("ix_fulfillment_notification_due", "status", "next_attempt_at"),)

    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    shipment_id: Mapped[uuid.UUID | None]
    kind: Mapped[str] = mapped_column(String(24))
    to: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    data: Mapped[dict[str, Any]]


class DispatchWatch(IdMixin, Base):
    """An order to ship, watched against the merchant's dispatch target."""

    __tablename__ = "fulfillment_dispatch_watch"
    __table_args__ = (Index("ix_fulfillment_dispatch_watch_due", "shipped_at", "due_at"),)

    order_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    order_number: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[uuid.UUID | None]
    due_at: Mapped[datetime]
    shipped_at: Mapped[datetime | None]
    flagged_at: Mapped[datetime | None]


class Delay(IdMixin, Base):
    """A flagged delay: a shipment whose next event is overdue, or an order not dispatched in time."""

    __tablename__ = "fulfillment_delay"

    kind: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    order_number: Mapped[str] = mapped_column(String(20))
    shipment_id: Mapped[uuid.UUID | None]
    location_id: Mapped[uuid.UUID | None]
    detected_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(300))
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)


class Setting(IdMixin, Base):
    """The merchant's fulfilment settings (dispatch target, pickup hold days, default promise)."""

    __tablename__ = "fulfillment_setting"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    values: Mapped[dict[str, Any]]


class CourierJob(IdMixin, CreatedMixin, Base):
    """A delivery-platform (O2O) order at a store, followed through the courier states on the store's board."""

    __tablename__ = "fulfillment_courier_job"
    __table_args__ = (Index("ix_fulfillment_courier_job_board", "location_id", "status"),)

    order_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    order_number: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[uuid.UUID]
    platform: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
