"""Payments use cases: gift card and store credit ledgers, the payment records of orders, refunds.
Flush, never commit. Gateway calls are made by the entry points (``checkout.placement``, the refunds route)
outside transactions; this module only records what they did."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from omniretail.kernel import clock
from omniretail.kernel.db import affected, conflict_insert
from omniretail.kernel.errors import FieldError
from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import record
from omniretail.payments.events import PaymentRefunded
from omniretail.payments.exceptions import (
    BadWebhookSignature,
    GiftCardNotFound,
    InsufficientBalance,
    InvalidTender,
    PaymentNotFound,
    RefundRefused,
)
from omniretail.payments.models import (
    CashMovement,
    Installment,
    LedgerAccount,
    LedgerEntry,
    Payment,
    Refund,
    WebhookEvent,
)
from omniretail.payments.rules import (
    Method,
    PaymentStatus,
    RefundPart,
    Tender,
    installment_schedule,
    plan_refund,
)

GIFT_CARD, STORE_CREDIT = "gift_card", "store_credit"
INSTALLMENT_SCHEDULED, INSTALLMENT_CAPTURING = "scheduled", "capturing"
INSTALLMENT_CAPTURED, INSTALLMENT_FAILED, INSTALLMENT_CANCELLED = "captured", "failed", "cancelled"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# -- ledgers ---------------------------------------------------------------------------------------------------

def _lock(session: Session, account_id: uuid.UUID) -> LedgerAccount:
    account = session.scalar(select(LedgerAccount).where(LedgerAccount.id == account_id).with_for_update())
    if account is None:
        raise GiftCardNotFound()
    return account


def balance(*, session: Session, account_id: uuid.UUID) -> int:
    """The sum of the account's entries."""
    return int(session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0))
                              .where(LedgerEntry.account_id == account_id)) or 0)


def post(*, session: Session, account_id: uuid.UUID, amount_minor: int, ref: str, reason: str) -> LedgerEntry:
    """Credit (+) or debit (-) an account once per ``ref``; a debit never takes the balance below zero."""
    _lock(session, account_id)
    existing = session.scalar(select(LedgerEntry).where(LedgerEntry.account_id == account_id,
                                                        LedgerEntry.ref == ref))
    if existing is not None:
        return existing
    if amount_minor < 0 and balance(session=session, account_id=account_id) + amount_minor < 0:
        raise InsufficientBalance("The card or credit holds less than that",
                                  errors=[FieldError(("body", "amount_minor"), "more than the balance")])
    entry = LedgerEntry(account_id=account_id, amount_minor=amount_minor, ref=ref, reason=reason)
    session.add(entry)
    session.flush()
    return entry


def issue_gift_card(*, session: Session, amount: Money, ref: str, customer_id: uuid.UUID | None = None
                    ) -> tuple[LedgerAccount, str]:
    """Sell or grant a gift card loaded with ``amount``; returns it with its code."""
    if amount.amount_minor <= 0:
        raise InvalidTender(errors=[FieldError(("body", "amount_minor"), "must be positive")])
    code = "-".join("".join(secrets.choice(_CODE_ALPHABET) for _ in range(4)) for _ in range(4))
    account = LedgerAccount(kind=GIFT_CARD, code=code, customer_id=customer_id, currency=amount.currency)
    session.add(account)
    session.flush()
    post(session=session, account_id=account.id, amount_minor=amount.amount_minor, ref=ref, reason="issue")
    return account, code


def gift_card(*, session: Session, code: str) -> LedgerAccount:
    """A gift card by its code (usable in every channel)."""
    account = session.scalar(select(LedgerAccount).where(LedgerAccount.kind == GIFT_CARD,
                                                         LedgerAccount.code == code.strip().upper()))
    if account is None:
        raise GiftCardNotFound()
    return account


def store_credit_account(*, session: Session, customer_id: uuid.UUID, currency: str) -> LedgerAccount:
    """The customer's store credit in a currency, opened on first use."""
    account = session.scalar(select(LedgerAccount).where(LedgerAccount.kind == STORE_CREDIT,
                                                         LedgerAccount.customer_id == customer_id,
                                                         LedgerAccount.currency == currency))
    if account is None:
        account = LedgerAccount(kind=STORE_CREDIT, customer_id=customer_id, currency=currency)
        session.add(account)
        session.flush()
    return account


def take_from_ledger(*, session: Session, method: str, amount: Money, ref: str, code: str | None,
                     customer_id: uuid.UUID | None) -> uuid.UUID:
    """Debit a gift card or the customer's store credit for a tender; returns the account."""
    if method == Method.GIFT_CARD:
        account = gift_card(session=session, code=code or "")
    elif customer_id is not None:
        account = store_credit_account(session=session, customer_id=customer_id, currency=amount.currency)
    else:
        raise InvalidTender("Sign in to pay with store credit")
    if account.currency != amount.currency:
        raise InvalidTender(f"The card is in {account.currency}")
    post(session=session, account_id=account.id, amount_minor=-amount.amount_minor, ref=ref, reason="payment")
    return account.id


def give_back_to_ledger(*, session: Session, ref: str) -> int:
    """Reverse every ledger debit made under ``ref`` (a failed or abandoned placement); idempotent."""
    debits = list(session.scalars(select(LedgerEntry).where(LedgerEntry.ref == ref, LedgerEntry.amount_minor < 0)))
    for entry in debits:
        post(session=session, account_id=entry.account_id, amount_minor=-entry.amount_minor, ref=f"{ref}:reversal",
             reason="reversal")
    return len(debits)


# -- payment records -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Taken:
    """A tender that step 2 of placement took."""

    sequence: int
    method: str
    amount_minor: int
    idempotency_key: str
    gateway: str
    reference: str | None
    captured: bool
    tendered_minor: int = 0
    change_minor: int = 0
    account_id: uuid.UUID | None = None
    details: dict[str, Any] | None = None
    captured_minor: int | None = None  # pay later: what was captured now (the first installment)

    def as_dict(self) -> dict[str, Any]:
        return {"sequence": self.sequence, "method": self.method, "amount_minor": self.amount_minor,
                "idempotency_key": self.idempotency_key, "gateway": self.gateway, "reference": self.reference,
                "captured": self.captured, "tendered_minor": self.tendered_minor, "change_minor": self.change_minor,
                "account_id": str(self.account_id) if self.account_id else None, "details": self.details or {},
                "captured_minor": self.captured_minor}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Taken:
        return cls(int(d["sequence"]), d["method"], int(d["amount_minor"]), d["idempotency_key"], d["gateway"],
                   d["reference"], bool(d["captured"]), int(d["tendered_minor"]), int(d["change_minor"]),
                   uuid.UUID(d["account_id"]) if d.get("account_id") else None, dict(d.get("details") or {}),
                   int(d["captured_minor"]) if d.get("captured_minor") is not None else None)

    @property
    def captured_now(self) -> int:
        if self.captured_minor is not None:
            return self.captured_minor
        return self.amount_minor if self.captured else 0


def record_payments(*, session: Session, order_id: uuid.UUID, currency: str, taken: Sequence[Taken],
                    location_id: uuid.UUID | None, cash_session_id: uuid.UUID | None, actor: str) -> list[Payment]:
    """Write the payment rows of a new order, and the cash it put in the drawer."""
    rows = []
    for t in taken:
        row = Payment(id=new_id(), order_id=order_id, sequence=t.sequence, method=t.method, gateway=t.gateway,
                      gateway_ref=t.reference,
                      status=PaymentStatus.CAPTURED if t.captured_now >= t.amount_minor else PaymentStatus.AUTHORIZED,
                      currency=currency, amount_minor=t.amount_minor, captured_minor=t.captured_now,
                      refunded_minor=0, tendered_minor=t.tendered_minor, change_minor=t.change_minor,
                      idempotency_key=t.idempotency_key, account_id=t.account_id, location_id=location_id,
                      cash_session_id=cash_session_id if t.method == Method.CASH else None, details=t.details or {})
        session.add(row)
        rows.append(row)
        if t.method == Method.CASH and cash_session_id is not None:
            session.add(CashMovement(session_id=cash_session_id, kind="sale", amount_minor=t.tendered_minor,
                                     ref=t.idempotency_key, actor=actor))
            if t.change_minor:
                session.add(CashMovement(session_id=cash_session_id, kind="change", amount_minor=-t.change_minor,
                                         ref=t.idempotency_key, actor=actor))
    session.flush()
    for row, t in zip(rows, taken, strict=True):
        if t.method == Method.PAY_LATER:
            _schedule(session, row, t)
    return rows


def _schedule(session: Session, payment: Payment, taken: Taken) -> None:
    details = taken.details or {}
    count, every = int(details.get("installments", 4)), timedelta(days=int(details.get("every_days", 14)))
    now = clock.now()
    plan = installment_schedule(Money(taken.amount_minor, payment.currency), count=count, first_due=now, every=every)
    for number, (due, part) in enumerate(plan, start=1):
        first = number == 1
        session.add(Installment(payment_id=payment.id, order_id=payment.order_id, number=number, due_at=due,
                                amount_minor=part.amount_minor, currency=payment.currency,
                                status=INSTALLMENT_CAPTURED if first else INSTALLMENT_SCHEDULED,
                                card_token=taken.reference or "", gateway_ref=details.get("first_capture_ref")
                                if first else None, attempts=0, next_attempt_at=None if first else due))


def payments_of(*, session: Session, order_id: uuid.UUID) -> list[Payment]:
    """An order's tenders in the order they were taken."""
    return list(session.scalars(select(Payment).where(Payment.order_id == order_id)
                                .order_by(Payment.sequence, Payment.id)))


def get_payment(*, session: Session, payment_id: uuid.UUID) -> Payment:
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise PaymentNotFound()
    return payment


def refunds_of(*, session: Session, order_id: uuid.UUID) -> list[Refund]:
    return list(session.scalars(select(Refund).where(Refund.order_id == order_id).order_by(Refund.id)))


# -- refunds ---------------------------------------------------------------------------------------------------
# A refund is recorded in parts, one per tender. Parts that need no outside call (gift card, store credit, cash)
# complete in the transaction that records them; card and pay-later parts stay ``pending`` until the entry point
# (``payments.refunds``) has called the gateway with no transaction open and settles them.

PENDING, COMPLETED, FAILED = "pending", "completed", "failed"
GATEWAY_METHODS = (Method.CARD, Method.PAY_LATER)


@dataclass(frozen=True)
class RefundDone:
    refund_id: uuid.UUID
    payment_id: uuid.UUID
    method: str
    amount_minor: int
    destination: str
    status: str = COMPLETED
    order_id: uuid.UUID | None = None


def _done(row: Refund, method: str) -> RefundDone:
    return RefundDone(row.id, row.payment_id, method, row.amount_minor, row.destination, row.status, row.order_id)


def refunds_under(*, session: Session, idempotency_key: str, payment_ids: Sequence[uuid.UUID]) -> list[RefundDone]:
    """The parts of a refund already recorded under ``idempotency_key`` for these payments."""
    rows = list(session.scalars(select(Refund).where(Refund.idempotency_key == idempotency_key,
                                                     Refund.payment_id.in_(list(payment_ids))).order_by(Refund.id)))
    methods: dict[uuid.UUID, str] = {pid: method for pid, method in session.execute(
        select(Payment.id, Payment.method).where(Payment.id.in_([r.payment_id for r in rows])))} if rows else {}
    return [_done(r, methods[r.payment_id]) for r in rows]


def refund(*, session: Session, payments: Sequence[Payment], amount_minor: int, idempotency_key: str,
           to_store_credit: bool, customer_id: uuid.UUID | None, actor: str) -> list[RefundDone]:
    """Record a refund over the tenders in the order they were taken (or to store credit), never more than each
    captured; ledger and cash parts complete now, card parts stay pending for the gateway call. A second call
    under the same key returns the first parts."""
    done = refunds_under(session=session, idempotency_key=idempotency_key, payment_ids=[p.id for p in payments])
    if done:
        return done
    if to_store_credit and customer_id is None:
        raise RefundRefused("Only a signed-in customer can be refunded to store credit")
    tenders = [Tender(p.id, p.method, p.captured_minor, p.refunded_minor) for p in payments]
    plan = plan_refund(tenders, amount_minor, to_store_credit=to_store_credit)
    if isinstance(plan, str):
        raise RefundRefused(plan, errors=[FieldError(("body", "amount_minor"), plan)])
    by_id = {p.id: p for p in payments}
    return [_refund_part(session, by_id[part.payment_id], part, idempotency_key, customer_id, actor)
            for part in plan]


def _set_refunded(session: Session, payment: Payment, delta: int) -> bool:
    # The conditional update is what keeps refunds within the capture when two requests race.
    moved = affected(session.execute(
        update(Payment).where(Payment.id == payment.id,
                              Payment.captured_minor - Payment.refunded_minor >= delta,
                              Payment.refunded_minor + delta >= 0)
        .values(refunded_minor=Payment.refunded_minor + delta)
        .execution_options(synchronize_session=False)))
    if moved:
        session.refresh(payment)
        payment.status = (PaymentStatus.REFUNDED if payment.refunded_minor >= payment.captured_minor
                          else PaymentStatus.PARTIALLY_REFUNDED if payment.refunded_minor
                          else PaymentStatus.CAPTURED)
    return bool(moved)


def _refund_part(session: Session, payment: Payment, part: RefundPart, key: str,
                 customer_id: uuid.UUID | None, actor: str) -> RefundDone:
    if not _set_refunded(session, payment, part.amount_minor):
        raise RefundRefused("Someone refunded this payment meanwhile; reload and try again")
    ref = f"refund:{key}:{payment.id}"
    status = COMPLETED
    if part.destination == "store_credit":
        assert customer_id is not None
        account = store_credit_account(session=session, customer_id=customer_id, currency=payment.currency)
        post(session=session, account_id=account.id, amount_minor=part.amount_minor, ref=ref, reason="refund")
    elif payment.method in (Method.GIFT_CARD, Method.STORE_CREDIT) and payment.account_id is not None:
        post(session=session, account_id=payment.account_id, amount_minor=part.amount_minor, ref=ref, reason="refund")
    elif payment.method == Method.CASH:
        if payment.cash_session_id is not None:
            session.add(CashMovement(session_id=payment.cash_session_id, kind="refund",
                                     amount_minor=-part.amount_minor, ref=ref, actor=actor))
    elif payment.gateway_ref and payment.method in GATEWAY_METHODS:
        status = PENDING
    row = Refund(payment_id=payment.id, order_id=payment.order_id, amount_minor=part.amount_minor,
                 currency=payment.currency, destination=part.destination, idempotency_key=key, status=status,
                 actor=actor)
    session.add(row)
    session.flush()
    if status == COMPLETED:
        record(session, PaymentRefunded(payment.order_id, payment.id, part.amount_minor, payment.currency,
                                        part.destination))
    return _done(row, payment.method)


@dataclass(frozen=True)
class GatewayRefund:
    """A pending card refund part as the gateway call needs it."""

    refund_id: uuid.UUID
    method: str
    reference: str
    amount: Money
    key: str


def pending_gateway_refunds(*, session: Session, refund_ids: Sequence[uuid.UUID] | None = None,
                            older_than: datetime | None = None, limit: int = 200) -> list[GatewayRefund]:
    """Card refund parts still waiting for the gateway (these ids, or every one recorded before ``older_than``)."""
    stmt = (select(Refund, Payment).join(Payment, Payment.id == Refund.payment_id)
            .where(Refund.status == PENDING).order_by(Refund.id).limit(limit))
    if refund_ids is not None:
        stmt = stmt.where(Refund.id.in_(list(refund_ids)))
    if older_than is not None:
        stmt = stmt.where(Refund.created_at <= older_than)
    return [GatewayRefund(r.id, p.method, p.gateway_ref or "", Money(r.amount_minor, r.currency),
                          f"refund:{r.idempotency_key}:{p.id}")
            for r, p in session.execute(stmt)]


def settle_refund(*, session: Session, refund_id: uuid.UUID, gateway_ref: str | None, error: str | None) -> Refund:
    """Complete a pending card refund part with the gateway's reference, or fail it and make its amount
    refundable again; a part already settled stays as it is."""
    row = session.scalar(select(Refund).where(Refund.id == refund_id).with_for_update())
    if row is None:
        raise PaymentNotFound("No such refund")
    if row.status != PENDING:
        return row
    payment = get_payment(session=session, payment_id=row.payment_id)
    if error is None:
        row.status, row.gateway_ref = COMPLETED, gateway_ref
        record(session, PaymentRefunded(row.order_id, row.payment_id, row.amount_minor, row.currency,
                                        row.destination))
    else:
        row.status, row.error = FAILED, error[:200]
        _set_refunded(session, payment, -row.amount_minor)
    session.flush()
    return row


# -- gateway webhooks ------------------------------------------------------------------------------------------

def receive_webhook(*, session: Session, gateway: str, event: dict[str, Any]) -> bool:
    """Keep a verified gateway event once per its id and apply it (a refund the gateway confirms settles the
    pending part); returns False for a redelivery, which changes nothing."""
    event_id, kind = str(event.get("id") or "")[:120], str(event.get("type") or "")[:80]
    if not event_id or not kind:
        raise BadWebhookSignature("The webhook body is not an event")
    insert = conflict_insert(session)
    stored = session.execute(insert(WebhookEvent).values(
        id=new_id(), gateway=gateway, event_id=event_id, type=kind, payload=event, created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["gateway", "event_id"]).returning(WebhookEvent.id)).first()
    if stored is None:
        return False
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    assert isinstance(data, dict)
    refund_id = data.get("refund_id")
    if kind in ("refund.succeeded", "refund.failed") and isinstance(refund_id, str):
        try:
            rid = uuid.UUID(refund_id)
        except ValueError:
            return True
        if session.get(Refund, rid) is not None:
            settle_refund(session=session, refund_id=rid, gateway_ref=data.get("reference"),
                          error=None if kind == "refund.succeeded" else str(data.get("reason") or "refused"))
    return True


# -- pay later -------------------------------------------------------------------------------------------------

def installments_of(*, session: Session, order_id: uuid.UUID) -> list[Installment]:
    """An order's pay-later installments, in their order."""
    return list(session.scalars(select(Installment).where(Installment.order_id == order_id)
                                .order_by(Installment.payment_id, Installment.number)))


def cancel_installments(*, session: Session, order_id: uuid.UUID) -> int:
    """Stop every installment not yet captured (the order was cancelled); returns the amount no longer due."""
    rows = [i for i in installments_of(session=session, order_id=order_id)
            if i.status in (INSTALLMENT_SCHEDULED, INSTALLMENT_FAILED)]
    for row in rows:
        row.status, row.next_attempt_at = INSTALLMENT_CANCELLED, None
        _shrink_payment(session, row.payment_id, row.amount_minor)
    session.flush()
    return sum(r.amount_minor for r in rows)


def shrink_installments(*, session: Session, order_id: uuid.UUID, amount_minor: int) -> int:
    """Take up to ``amount_minor`` off the installments still to come, the last ones first (an order got cheaper);
    returns how much was taken off, the rest being for a refund of what was captured."""
    left = amount_minor
    for row in reversed(installments_of(session=session, order_id=order_id)):
        if left <= 0 or row.status not in (INSTALLMENT_SCHEDULED, INSTALLMENT_FAILED):
            continue
        take = min(left, row.amount_minor)
        row.amount_minor -= take
        if row.amount_minor == 0:
            row.status, row.next_attempt_at = INSTALLMENT_CANCELLED, None
        _shrink_payment(session, row.payment_id, take)
        left -= take
    session.flush()
    return amount_minor - left


def _shrink_payment(session: Session, payment_id: uuid.UUID, amount_minor: int) -> None:
    session.execute(update(Payment).where(Payment.id == payment_id)
                    .values(amount_minor=Payment.amount_minor - amount_minor)
                    .execution_options(synchronize_session="fetch"))


def backdate_payments(*, session: Session, when: dict[uuid.UUID, datetime]) -> None:
    """Move demo orders' payments to when their orders were placed (demo data only)."""
    for order_id, at in when.items():
        session.execute(update(Payment).where(Payment.order_id == order_id).values(created_at=at)
                        .execution_options(synchronize_session=False))
