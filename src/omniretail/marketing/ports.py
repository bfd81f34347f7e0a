"""The outside systems notifications go through: one small port for e-mail, SMS and push alike.

A sender either returns a receipt or raises: ``TransientSendError`` when trying again later may work (a timeout,
a 5xx, a 429), ``PermanentSendError`` when it never will (a 4xx: bad number, unknown device). The handler turns
the first into an outbox retry with backoff and the second into a failed notification with the reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    notification_id: uuid.UUID
    to: str
    text: str
    subject: str | None = None
    html: str | None = None


@dataclass(frozen=True)
class Receipt:
    provider: str
    message_id: str | None = None


class SendError(Exception):
    """A message did not go out (operational; the reason is logged on the notification)."""


class TransientSendError(SendError):
    """Trying again later may work."""


class PermanentSendError(SendError):
    """Trying again will not help."""


class MessageSender(Protocol):
    """Sends one message or raises a ``SendError``."""

    name: str

    def send(self, message: OutgoingMessage) -> Receipt: ...
