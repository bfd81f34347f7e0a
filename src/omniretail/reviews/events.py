"""Reviews events. Support turns ``ReviewNeedsCallback`` into a "call the customer back within 24 hours" ticket."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class ReviewNeedsCallback(Event):
    """A review rated 2 or less, or read as negative: a person must call the shopper back."""

    review_id: uuid.UUID
    product_id: uuid.UUID
    customer_id: uuid.UUID | None
    order_id: uuid.UUID | None
    rating: int
    sentiment: float
    locale: str
    title: str
    body: str
