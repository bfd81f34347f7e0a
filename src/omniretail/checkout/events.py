"""Checkout events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class CheckoutFailed(Event):
    """A placement gave up after holding stock; ``reverse_tenders`` asks payments to undo anything taken."""

    attempt_id: uuid.UUID
    idempotency_key: str
    cart_id: uuid.UUID
    reason: str
    reverse_tenders: bool
    tender_count: int = 0
