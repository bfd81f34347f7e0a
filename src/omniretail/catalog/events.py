"""Catalog events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class ProductChanged(Event):
    """A product, its variants, texts, categories or publication changed (search and caches react)."""

    product_id: uuid.UUID
    status: str


@dataclass(frozen=True)
class ProductsImported(Event):
    created: int
    updated: int
    skus: tuple[str, ...]
