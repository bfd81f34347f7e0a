"""Cart events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class CartMerged(Event):
    guest_cart_id: uuid.UUID
    cart_id: uuid.UUID
    customer_id: uuid.UUID


@dataclass(frozen=True)
class CheckoutAbandoned(Event):
    """A signed-in shopper left a cart with items and no order for longer than the merchant's threshold."""

    cart_id: uuid.UUID
    customer_id: uuid.UUID
    channel_id: uuid.UUID
    total_minor: int
    currency: str
