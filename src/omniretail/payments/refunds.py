"""Refunds that may reach a card gateway: an orchestration that owns its transactions, like checkout placement.

It takes the ``Database``, not a session, because the gateway must be called with no transaction open:
1. **record**: in one short transaction (the caller's ``begin`` callback), the refund's parts are recorded under
   the idempotency key and taken out of what each tender may still refund; ledger and cash parts complete here,
   card parts are ``pending``; commit.
2. **call**: with no transaction open, each pending card part is refunded through its gateway under its own key.
3. **settle**: in one short transaction each part is completed (``PaymentRefunded``) or failed (its amount is
   refundable again); ``after`` lets the caller update what depends on it (the order's refunded total); commit.
A retry under the same key returns the first parts and pushes any still pending through the gateway. A crash
between steps leaves pending parts that ``repair`` (the ``payments.refunds`` job) settles; the gateway's own
idempotency key makes the second call harmless.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from omniretail.kernel import clock
from omniretail.kernel.db import Database
from omniretail.payments import service as payments_service
from omniretail.payments.exceptions import RefundRefused
from omniretail.payments.gateways import gateways
from omniretail.payments.models import Payment, Refund

log = logging.getLogger("omniretail.payments")
Begin = Callable[[Session], list[payments_service.RefundDone]]
After = Callable[[Session, list[payments_service.RefundDone]], None]


def run(*, db: Database, begin: Begin, after: After | None = None) -> list[payments_service.RefundDone]:
    """Record the refund with ``begin`` (step 1), call the gateway for its card parts (step 2), settle (step 3)."""
    try:
        with db.transaction() as session:
            done = begin(session)
    except IntegrityError:
        # A concurrent request under the same key recorded it first: replay theirs.
        with db.transaction() as session:
            done = begin(session)
    pending = [d.refund_id for d in done if d.status == payments_service.PENDING]
    if not pending:
        return done
    with db.transaction(read_only=True) as session:
        calls = payments_service.pending_gateway_refunds(session=session, refund_ids=pending)
    outcomes = {c.refund_id: _call(c) for c in calls}
    with db.transaction() as session:
        for refund_id, (reference, error) in outcomes.items():
            if reference is not None or error is not None:
                payments_service.settle_refund(session=session, refund_id=refund_id, gateway_ref=reference,
                                               error=error)
        ids = [d.payment_id for d in done]
        key = _key_of(session, done)
        settled = payments_service.refunds_under(session=session, idempotency_key=key, payment_ids=ids)
        if after is not None:
            after(session, settled)
    return settled


def _key_of(session: Session, done: Sequence[payments_service.RefundDone]) -> str:
    row = session.get(Refund, done[0].refund_id)
    assert row is not None
    return row.idempotency_key


def _call(call: payments_service.GatewayRefund) -> tuple[str | None, str | None]:
    """(reference, None) when refunded, (None, reason) when the gateway refused, (None, None) when unreachable."""
    try:
        result = gateways().for_method(call.method).refund(reference=call.reference, amount=call.amount,
                                                           idempotency_key=call.key)
    except RefundRefused as exc:
        return None, exc.detail or "refused by the gateway"
    except Exception:
        log.exception("refund gateway call failed; the repair job retries", extra={"refund_id": str(call.refund_id)})
        return None, None
    return result.reference, None


def repair(*, db: Database, stale_after: timedelta = timedelta(minutes=2)) -> int:
    """Settle card refund parts a crash or an unreachable gateway left pending; returns how many were settled."""
    with db.transaction(read_only=True) as session:
        calls = payments_service.pending_gateway_refunds(session=session, older_than=clock.now() - stale_after)
    settled = 0
    for call in calls:
        reference, error = _call(call)
        if reference is None and error is None:
            continue
        with db.transaction() as session:
            payments_service.settle_refund(session=session, refund_id=call.refund_id, gateway_ref=reference,
                                           error=error)
        settled += 1
    return settled


def refund_payment(*, db: Database, payment_id: uuid.UUID, amount_minor: int, idempotency_key: str,
                   to_store_credit: bool, customer_id: uuid.UUID | None, actor: str,
                   check: Callable[[Payment], None] | None = None
                   ) -> list[payments_service.RefundDone]:
    """Refund part of one payment under an idempotency key (``check`` may refuse, e.g. a permission)."""
    def begin(session: Session) -> list[payments_service.RefundDone]:
        payment = payments_service.get_payment(session=session, payment_id=payment_id)
        if check is not None:
            check(payment)
        return payments_service.refund(session=session, payments=[payment], amount_minor=amount_minor,
                                       idempotency_key=idempotency_key, to_store_credit=to_store_credit,
                                       customer_id=customer_id, actor=actor)

    return run(db=db, begin=begin)
