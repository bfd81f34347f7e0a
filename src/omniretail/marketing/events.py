"""Marketing events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class NotificationQueued(Event):
    """A notification is due to be rendered and sent (recorded again when quiet hours release it)."""

    notification_id: uuid.UUID


@dataclass(frozen=True)
class NotificationStatusChanged(Event):
    """A notification reached sent, delivered, failed or suppressed (for analytics and the customer's timeline)."""

    notification_id: uuid.UUID
    customer_id: uuid.UUID | None
    channel: str
    status: str
    reason: str | None
