"""Pay later: capturing installments as they fall due (an orchestration that owns its transactions, like refunds).

The first installment is captured at checkout (``checkout.placement``); the ``payments.installments`` job captures
the others. For each due installment:
1. **claim** (one short transaction): a conditional update moves it to ``capturing`` with a ten-minute lease, so two
   workers never take the same one and a crash leaves it to be claimed again when the lease runs out;
2. **capture** (no transaction): the gateway captures it under ``installment:{id}:{attempt}``, so a retry after a
   crash never charges twice;
3. **settle** (one short transaction): ``captured`` (the payment's captured total grows, ``InstallmentCaptured``),
   or declined: ``InstallmentFailed`` is recorded and it is tried again per the ``InstallmentPolicy`` (a day later,
   three attempts), after which it stays ``failed``.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from omniretail.kernel import clock
from omniretail.kernel.db import Database, affected
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import record
from omniretail.payments import service as payments_service
from omniretail.payments.events import InstallmentCaptured, InstallmentFailed
from omniretail.payments.gateways import gateways
from omniretail.payments.models import Installment, Payment
from omniretail.payments.ports import APPROVED
from omniretail.payments.rules import InstallmentPolicy, Method, PaymentStatus, after_failure

log = logging.getLogger("omniretail.payments")
LEASE = timedelta(minutes=10)
SCHEDULED, CAPTURING = payments_service.INSTALLMENT_SCHEDULED, payments_service.INSTALLMENT_CAPTURING
CAPTURED, FAILED = payments_service.INSTALLMENT_CAPTURED, payments_service.INSTALLMENT_FAILED


@dataclass(frozen=True)
class Due:
    installment_id: uuid.UUID
    reference: str
    amount: Money
    key: str


@dataclass(frozen=True)
class RunResult:
    captured: int
    failed: int


def due(*, session: Session, limit: int = 200) -> list[uuid.UUID]:
    """Installments whose time has come (or whose capture a crash interrupted)."""
    return list(session.scalars(select(Installment.id).where(Installment.status.in_([SCHEDULED, CAPTURING]),
                                                             Installment.next_attempt_at <= clock.now())
                                .order_by(Installment.next_attempt_at, Installment.id).limit(limit)))


def claim(*, session: Session, installment_id: uuid.UUID) -> Due | None:
    """Take one due installment for capture, or None when another worker has it."""
    now = clock.now()
    taken = affected(session.execute(
        update(Installment).where(Installment.id == installment_id, Installment.status.in_([SCHEDULED, CAPTURING]),
                                  Installment.next_attempt_at <= now)
        .values(status=CAPTURING, next_attempt_at=now + LEASE).execution_options(synchronize_session=False)))
    if not taken:
        return None
    row = session.get(Installment, installment_id)
    assert row is not None
    session.refresh(row)
    return Due(row.id, row.card_token, Money(row.amount_minor, row.currency),
               f"installment:{row.id}:{row.attempts}")


def settle(*, session: Session, installment_id: uuid.UUID, reference: str | None, error: str | None,
           policy: InstallmentPolicy) -> Installment:
    """Record the gateway's answer: captured, or declined and scheduled again (or given up) per ``policy``."""
    row = session.scalar(select(Installment).where(Installment.id == installment_id).with_for_update())
    assert row is not None
    if row.status != CAPTURING:
        return row
    if error is None:
        row.status, row.gateway_ref, row.next_attempt_at, row.last_error = CAPTURED, reference, None, None
        session.execute(update(Payment).where(Payment.id == row.payment_id)
                        .values(captured_minor=Payment.captured_minor + row.amount_minor)
                        .execution_options(synchronize_session=False))
        payment = payments_service.get_payment(session=session, payment_id=row.payment_id)
        session.refresh(payment)
        if payment.captured_minor >= payment.amount_minor and payment.status == PaymentStatus.AUTHORIZED:
            payment.status = PaymentStatus.CAPTURED
        record(session, InstallmentCaptured(row.order_id, row.id, row.amount_minor, row.currency))
    else:
        row.attempts += 1
        row.last_error = error[:200]
        again = after_failure(attempts=row.attempts, now=clock.now(), policy=policy)
        row.status, row.next_attempt_at = (SCHEDULED, again) if again is not None else (FAILED, None)
        record(session, InstallmentFailed(row.order_id, row.id, row.amount_minor, row.currency, row.last_error,
                                          row.attempts, again is None))
    session.flush()
    return row


def run(*, db: Database, policy: InstallmentPolicy | None = None, limit: int = 200) -> RunResult:
    """Capture every due installment, one at a time, with no transaction open during the gateway call."""
    policy = policy or InstallmentPolicy()
    with db.transaction(read_only=True) as session:
        ids = due(session=session, limit=limit)
    captured = failed = 0
    for installment_id in ids:
        with db.transaction() as session:
            job = claim(session=session, installment_id=installment_id)
        if job is None:
            continue
        try:
            result = gateways().for_method(Method.PAY_LATER).capture(reference=job.reference, amount=job.amount,
                                                                    idempotency_key=job.key)
        except Exception:
            log.exception("installment capture failed; retried when its lease ends",
                          extra={"installment_id": str(installment_id)})
            continue
        error = None if result.outcome == APPROVED else (result.message or "declined")
        with db.transaction() as session:
            settle(session=session, installment_id=installment_id, reference=result.reference, error=error,
                   policy=policy)
        captured, failed = (captured + 1, failed) if error is None else (captured, failed + 1)
    return RunResult(captured, failed)
