"""The checkout's three hooks for coupons and points (owned by the promotions and loyalty issue).

Placement calls ``hold`` in step 1 inside the transaction that holds stock (claim a coupon use, hold points;
raise a DomainError to refuse), ``commit`` in step 3 inside the transaction that creates the order, and
``release`` whenever a placement fails or the repair job gives up. All three are keyed by the attempt's
``hold_ref`` and must be idempotent.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from omniretail.cart.models import Cart
    from omniretail.cart.rules import Totals


def hold(*, session: Session, cart: Cart, totals: Totals, hold_ref: str, customer_id: uuid.UUID | None) -> None:
    """Claim what the cart's offers use (coupon uses, points) under ``hold_ref``."""


def commit(*, session: Session, hold_ref: str, order_id: uuid.UUID, order_number: str,
           plan: dict[str, Any]) -> None:
    """Make the claims under ``hold_ref`` final for the new order."""


def release(*, session: Session, hold_ref: str) -> None:
    """Give back whatever ``hold_ref`` claimed."""
