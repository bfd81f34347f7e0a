"""Marketing tables: the notification log, one row per message per channel, with its delivery status."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Notification(IdMixin, CreatedMixin, Base):
    """One message to one person on one channel: queued, then sent, delivered, failed or suppressed.

    ``ref`` is the caller's idempotency key: the same ref on the same channel is one row, so it is sent once.
    ``scheduled`` is true while an outbox event for it is on its way; a message held by quiet hours waits with
    ``scheduled`` false until ``available_at``, when the ``marketing.release-held`` job schedules it again.
    """

    __tablename__ = "marketing_notification"
    __table_args__ = (
        UniqueConstraint("ref", "channel"),
        Index("ix_marketing_notification_customer", "customer_id", "created_at"),
        Index("ix_marketing_notification_due", "status", "scheduled", "available_at"),
        Index("ix_marketing_notification_provider_message", "provider", "provider_message_id"),
    )

    customer_id: Mapped[uuid.UUID | None]
    location_id: Mapped[uuid.UUID | None]
    channel: Mapped[str] = mapped_column(String(8))
    purpose: Mapped[str] = mapped_column(String(12))
    template: Mapped[str] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(5))
    recipient: Mapped[str | None] = mapped_column(String(254))
    context: Mapped[dict[str, Any]]
    ref: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    scheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    available_at: Mapped[datetime] = mapped_column(default=clock.now)
    subject: Mapped[str | None] = mapped_column(String(300))
    provider: Mapped[str | None] = mapped_column(String(40))
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
