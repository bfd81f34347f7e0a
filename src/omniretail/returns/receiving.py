"""Receiving a return: an orchestration that owns its transactions (entry-point level), like ``ordering.changes``.

Through ``payments.refunds.run``: the inspection (restock or write-off at the receiving location), the refund
parts and the order's refunded total are recorded in one short transaction; card refunds are asked of the
gateway with no transaction open; a second short transaction settles them and completes the return, recording
``ReturnCompleted``. Receiving the same return again replays the first refund and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy.orm import Session

from omniretail.identity.rules import Principal
from omniretail.kernel.db import Database
from omniretail.ordering import service as ordering_service
from omniretail.payments import refunds
from omniretail.payments import service as payments_service
from omniretail.returns import service as returns_service
from omniretail.returns.rules import ReturnStatus


def _all_completed(done: list[payments_service.RefundDone]) -> bool:
    return all(d.status == payments_service.COMPLETED for d in done)


def receive(*, db: Database, return_id: uuid.UUID, actor: Principal, location_id: uuid.UUID,
            conditions: Mapping[uuid.UUID, str]) -> list[payments_service.RefundDone]:
    """Inspect a returned parcel at a location and refund it (to the tenders, store credit or as an exchange)."""
    label = f"staff:{actor.label or actor.email}"

    def begin(session: Session) -> list[payments_service.RefundDone]:
        ret = returns_service.get_return(session=session, return_id=return_id, lock=True)
        order = ordering_service.get_order(session=session, order_id=ret.order_id)
        key = returns_service.refund_key(ret)
        if ret.status != ReturnStatus.APPROVED:
            payments = payments_service.payments_of(session=session, order_id=order.id)
            return payments_service.refunds_under(session=session, idempotency_key=key,
                                                  payment_ids=[p.id for p in payments])
        plan = returns_service.inspect(session=session, ret=ret, actor=actor, location_id=location_id,
                                       conditions=conditions)
        done = ordering_service.refund_tenders(
            session=session, order=order, parts=[(s.payment_id, s.amount_minor, s.to_store_credit) for s in plan],
            idempotency_key=key, customer_id=ret.customer_id, actor=label, detail={"rma": ret.rma})
        if _all_completed(done):
            returns_service.complete(session=session, ret=ret)
        return done

    def after(session: Session, settled: list[payments_service.RefundDone]) -> None:
        ret = returns_service.get_return(session=session, return_id=return_id, lock=True)
        ordering_service.sync_refunded(session=session, order_id=ret.order_id, actor=label)
        if _all_completed(settled):
            returns_service.complete(session=session, ret=ret)

    return refunds.run(db=db, begin=begin, after=after)
