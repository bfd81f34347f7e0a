"""Pricing events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class PricesChanged(Event):
    price_list_id: uuid.UUID
    variant_ids: tuple[uuid.UUID, ...]
