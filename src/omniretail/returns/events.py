"""Returns events. Loyalty reverses points and promotions' discount shares from ``ReturnCompleted``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class ReturnedLine:
    variant_id: uuid.UUID
    quantity: int
    refund_minor: int


@dataclass(frozen=True)
class ReturnCompleted(Event):
    """Goods came back and the money went back: ``lines`` say which and how much, per order line variant."""

    return_id: uuid.UUID
    rma: str
    order_id: uuid.UUID
    order_number: str
    customer_id: uuid.UUID | None
    currency: str
    lines: tuple[ReturnedLine, ...]
