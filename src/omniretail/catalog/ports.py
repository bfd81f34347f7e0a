"""Ports the catalog asks of the outside: what sells best comes from order history, which the catalog
does not own. The ordering context (or an analytics job) provides an adapter; until one is wired, rule
collections that need it fall back and say so."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.orm import Session


class BestSellers(Protocol):
    """Products by units sold in a channel over a recent period, best first.

    ``among`` limits the answer to these products (a category's); ``limit`` caps its length. Products without
    sales are left out; the caller fills the rest of the collection.
    """

    def best_selling(self, *, session: Session, channel_id: uuid.UUID, among: Sequence[uuid.UUID] | None,
                     limit: int) -> list[uuid.UUID]: ...
