"""Identity events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class CustomerSignedUp(Event):
    account_id: uuid.UUID
    email: str
    locale: str


@dataclass(frozen=True)
class PasswordResetRequested(Event):
    reset_id: uuid.UUID
    account_id: uuid.UUID


@dataclass(frozen=True)
class StaffCreated(Event):
    staff_id: uuid.UUID
    email: str
