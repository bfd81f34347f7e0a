"""Customers events. Contexts that keep rows per customer move them on ``CustomersMerged`` and blank personal
data on ``CustomerErased`` (financial records stay)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class CustomersMerged(Event):
    """``merged_id``'s orders, points, tickets and reviews now belong to ``survivor_id``."""

    survivor_id: uuid.UUID
    merged_id: uuid.UUID


@dataclass(frozen=True)
class CustomerErased(Event):
    """The customer asked to be forgotten: anonymize their personal data, keep the financial records."""

    customer_id: uuid.UUID
