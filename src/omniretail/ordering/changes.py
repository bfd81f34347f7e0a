"""Cancellations and refunds of orders: orchestrations that own their transactions (entry-point level).

Both go through ``payments.refunds.run``: the order changes and the refund parts are recorded in one short
transaction, card refunds are asked of the gateway with no transaction open, and a second short transaction
settles them and brings the order's refunded total in line. The same key (for a cancellation, the order
itself) never refunds twice; a crash in between is repaired by the ``payments.refunds`` job.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.kernel.db import Database
from omniretail.ordering import service as ordering_service
from omniretail.ordering.exceptions import OrderNotFound
from omniretail.ordering.models import Order
from omniretail.payments import refunds
from omniretail.payments import service as payments_service

Check = Callable[[Order], None]


def _locked(session: Session, order_id: uuid.UUID, check: Check | None) -> Order:
    order = session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    if order is None:
        raise OrderNotFound()
    if check is not None:
        check(order)
    return order


def _after(order_id: uuid.UUID, actor: str) -> refunds.After:
    def after(session: Session, done: list[payments_service.RefundDone]) -> None:
        ordering_service.sync_refunded(session=session, order_id=order_id, actor=actor)
    return after


def cancel_order(*, db: Database, order_id: uuid.UUID, actor: str, reason: str, check: Check | None = None
                 ) -> list[payments_service.RefundDone]:
    """Cancel before fulfilment: release the stock, refund every tender (cards outside the transaction)."""
    def begin(session: Session) -> list[payments_service.RefundDone]:
        order = _locked(session, order_id, check)
        return ordering_service.cancel(session=session, order=order, actor=actor, reason=reason)

    return refunds.run(db=db, begin=begin, after=_after(order_id, actor))


def refund_order(*, db: Database, order_id: uuid.UUID, amount_minor: int, idempotency_key: str,
                 to_store_credit: bool, actor: str, check: Check | None = None) -> list[payments_service.RefundDone]:
    """Refund part of an order to its tenders in order, or to store credit; the same key refunds once."""
    def begin(session: Session) -> list[payments_service.RefundDone]:
        order = _locked(session, order_id, check)
        return ordering_service.refund(session=session, order=order, amount_minor=amount_minor,
                                       idempotency_key=idempotency_key, to_store_credit=to_store_credit, actor=actor)

    return refunds.run(db=db, begin=begin, after=_after(order_id, actor))
