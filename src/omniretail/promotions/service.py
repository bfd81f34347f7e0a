"""Promotions service (being built by the promotions and loyalty issue)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session


def line_discounts(*, session: Session, order_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """The order discount allocated to each order line, by variant id, in minor units over the line's whole
    quantity (a returned unit refunds ``line_total - share * returned / quantity``)."""
    raise NotImplementedError("promotions.service.line_discounts is being built")
