"""Payments use cases: gift card and store credit ledgers, the payment records of orders, refunds.
Flush, never commit. Gateway calls are made by the entry points (``checkout.placement``, the refunds route)
outside transactions; this module only records what they did."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from omniretail.kernel.db import affected
from omniretail.kernel.errors import FieldError
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import record
from omniretail.payments.events import PaymentRefunded
from omniretail.payments.exceptions import (
    GiftCardNotFound,
    InsufficientBalance,
    InvalidTender,
    PaymentNotFound,
    RefundRefused,
)
from omniretail.payments.gateways import gateways
from omniretail.payments.models import CashMovement, LedgerAccount, LedgerEntry, Payment, Refund
from omniretail.payments.rules import Method, PaymentStatus, RefundPart, Tender, plan_refund

GIFT_CARD, STORE_CREDIT = "gift_card", "store_credit"
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

    def as_dict(self) -> dict[str, Any]:
        return {"sequence": self.sequence, "method": self.method, "amount_minor": self.amount_minor,
                "idempotency_key": self.idempotency_key, "gateway": self.gateway, "reference": self.reference,
                "captured": self.captured, "tendered_minor": self.tendered_minor, "change_minor": self.change_minor,
                "account_id": str(self.account_id) if self.account_id else None, "details": self.details or {}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Taken:
        return cls(int(d["sequence"]), d["method"], int(d["amount_minor"]), d["idempotency_key"], d["gateway"],
                   d["reference"], bool(d["captured"]), int(d["tendered_minor"]), int(d["change_minor"]),
                   uuid.UUID(d["account_id"]) if d.get("account_id") else None, dict(d.get("details") or {}))


def record_payments(*, session: Session, order_id: uuid.UUID, currency: str, taken: Sequence[Taken],
                    location_id: uuid.UUID | None, cash_session_id: uuid.UUID | None, actor: str) -> list[Payment]:
    """Write the payment rows of a new order, and the cash it put in the drawer."""
    rows = []
    for t in taken:
        row = Payment(order_id=order_id, sequence=t.sequence, method=t.method, gateway=t.gateway,
                      gateway_ref=t.reference,
                      status=PaymentStatus.CAPTURED if t.captured else PaymentStatus.AUTHORIZED,
                      currency=currency, amount_minor=t.amount_minor,
                      captured_minor=t.amount_minor if t.captured else 0,
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
    return rows


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

@dataclass(frozen=True)
class RefundDone:
    refund_id: uuid.UUID
    payment_id: uuid.UUID
    method: str
    amount_minor: int
    destination: str


def refund(*, session: Session, payments: Sequence[Payment], amount_minor: int, idempotency_key: str,
           to_store_credit: bool, customer_id: uuid.UUID | None, actor: str) -> list[RefundDone]:
    """Give money back over the tenders in the order they were taken (or to store credit); never more than
    each captured. A card refund calls the gateway: the caller runs this in a short transaction of its own."""
    done = list(session.scalars(select(Refund).where(Refund.idempotency_key == idempotency_key,
                                                     Refund.payment_id.in_([p.id for p in payments]))))
    if done:
        by_id = {p.id: p for p in payments}
        return [RefundDone(r.id, r.payment_id, by_id[r.payment_id].method, r.amount_minor, r.destination)
                for r in done]
    if to_store_credit and customer_id is None:
        raise RefundRefused("Only a signed-in customer can be refunded to store credit")
    tenders = [Tender(p.id, p.method, p.captured_minor, p.refunded_minor) for p in payments]
    plan = plan_refund(tenders, amount_minor, to_store_credit=to_store_credit)
    if isinstance(plan, str):
        raise RefundRefused(plan, errors=[FieldError(("body", "amount_minor"), plan)])
    by_id = {p.id: p for p in payments}
    return [_refund_part(session, by_id[part.payment_id], part, idempotency_key, customer_id, actor)
            for part in plan]


def _refund_part(session: Session, payment: Payment, part: RefundPart, key: str,
                 customer_id: uuid.UUID | None, actor: str) -> RefundDone:
    # The conditional update is what keeps refunds within the capture when two requests race.
    taken = affected(session.execute(
        update(Payment).where(Payment.id == payment.id,
                              Payment.captured_minor - Payment.refunded_minor >= part.amount_minor)
        .values(refunded_minor=Payment.refunded_minor + part.amount_minor)
        .execution_options(synchronize_session=False)))
    if not taken:
        raise RefundRefused("Someone refunded this payment meanwhile; reload and try again")
    session.refresh(payment)
    payment.status = (PaymentStatus.REFUNDED if payment.refunded_minor >= payment.captured_minor
                      else PaymentStatus.PARTIALLY_REFUNDED)
    money = Money(part.amount_minor, payment.currency)
    ref = f"refund:{key}:{payment.id}"
    gateway_ref = None
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
    elif payment.gateway_ref and payment.method in (Method.CARD, Method.PAY_LATER):
        gateway_ref = gateways().for_method(payment.method).refund(reference=payment.gateway_ref, amount=money,
                                                                   idempotency_key=ref).reference
    row = Refund(payment_id=payment.id, order_id=payment.order_id, amount_minor=part.amount_minor,
                 currency=payment.currency, destination=part.destination, idempotency_key=key,
                 gateway_ref=gateway_ref, actor=actor)
    session.add(row)
    session.flush()
    record(session, PaymentRefunded(payment.order_id, payment.id, part.amount_minor, payment.currency,
                                    part.destination))
    return RefundDone(row.id, payment.id, payment.method, part.amount_minor, part.destination)
