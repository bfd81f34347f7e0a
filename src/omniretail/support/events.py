"""Support events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class TicketOpened(Event):
    ticket_id: uuid.UUID
    number: str
    channel: str
    category: str
    priority: str


@dataclass(frozen=True)
class SupportMailQueued(Event):
    """An e-mail to the customer is logged and waits to be sent after commit."""

    mail_id: uuid.UUID


@dataclass(frozen=True)
class TicketEscalated(Event):
    ticket_id: uuid.UUID
    level: int
    priority: str
    team_id: uuid.UUID | None
    reason: str


@dataclass(frozen=True)
class TicketResolved(Event):
    ticket_id: uuid.UUID
    number: str
