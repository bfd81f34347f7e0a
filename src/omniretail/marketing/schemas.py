"""Marketing API shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from omniretail.kernel.schemas import Email, Locale, Schema


class NotificationRead(Schema):
    id: uuid.UUID
    created_at: datetime
    customer_id: uuid.UUID | None
    channel: str
    purpose: str
    template: str
    locale: str
    recipient: str | None
    status: str
    reason: str | None
    attempts: int
    available_at: datetime
    subject: str | None
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None


class MyNotificationRead(Schema):
    """What a shopper sees of their own messages (no provider details)."""

    id: uuid.UUID
    created_at: datetime
    channel: str
    template: str
    subject: str | None
    status: str
    sent_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationRead]
    next_cursor: str | None


class MyNotificationPage(Schema):
    items: list[MyNotificationRead]
    next_cursor: str | None


class TestMessage(Schema):
    """A test message from a marketer to their own address, with the template's example values."""

    template: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$")
    locale: Locale = "en"
    channel: Literal["email", "sms", "push"] = "email"
    email: Email | None = None
    phone: str | None = Field(default=None, min_length=5, max_length=20, pattern=r"^\+?[0-9 ]+$")
    context: dict[str, Any] | None = None


class QueuedRead(Schema):
    ids: list[uuid.UUID]


class DeliveryReportRead(Schema):
    id: uuid.UUID
    status: str
