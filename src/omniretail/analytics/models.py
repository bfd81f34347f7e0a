"""Analytics tables."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel.db import Base, IdMixin, UTCDateTime


class JourneyEvent(IdMixin, Base):
    """One step of a shopper's journey. ``visitor_id`` is the first-party cookie's id; ``customer_id`` is set once
    the visitor signs in (and filled in backwards for that visitor's earlier steps)."""

    __tablename__ = "analytics_journey_event"
    __table_args__ = (Index("ix_analytics_journey_visitor", "visitor_id", "at"),
                      Index("ix_analytics_journey_customer", "customer_id", "at"),
                      Index("ix_analytics_journey_kind_at", "kind", "at"))

    at: Mapped[datetime] = mapped_column(UTCDateTime())
    visitor_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID | None]
    kind: Mapped[str] = mapped_column(String(30))
    channel_code: Mapped[str | None] = mapped_column(String(60))
    path: Mapped[str | None] = mapped_column(String(300))
    product_id: Mapped[uuid.UUID | None]
    variant_id: Mapped[uuid.UUID | None]
    order_id: Mapped[uuid.UUID | None]
    quantity: Mapped[int | None]
    value_minor: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
