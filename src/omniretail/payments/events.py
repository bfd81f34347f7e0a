"""Payments events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class PaymentRefunded(Event):
    order_id: uuid.UUID | None
    payment_id: uuid.UUID
    amount_minor: int
    currency: str
    destination: str


@dataclass(frozen=True)
class InstallmentCaptured(Event):
    order_id: uuid.UUID | None
    installment_id: uuid.UUID
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class InstallmentFailed(Event):
    """A pay-later installment could not be captured on its due date (the shopper must be contacted)."""

    order_id: uuid.UUID | None
    installment_id: uuid.UUID
    amount_minor: int
    currency: str
    reason: str
    attempt: int = 1
    final: bool = False


@dataclass(frozen=True)
class CashDrawerClosed(Event):
    session_id: uuid.UUID
    location_id: uuid.UUID
    expected_minor: int
    counted_minor: int
    over_short_minor: int
    currency: str
