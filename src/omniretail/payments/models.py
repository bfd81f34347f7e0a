"""Payments tables: tenders taken for orders, refunds, gift card and store credit ledgers, pay-later schedules,
POS cash drawer sessions. Order ids reference the ordering context by id only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Payment(IdMixin, CreatedMixin, Base):
    """One tender of an order (card, cash, gift card, ...), in the order the shopper gave them."""

    __tablename__ = "payments_payment"

    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[str] = mapped_column(String(20))
    gateway: Mapped[str] = mapped_column(String(30))
    gateway_ref: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(Integer)
    captured_minor: Mapped[int] = mapped_column(Integer, default=0)
    refunded_minor: Mapped[int] = mapped_column(Integer, default=0)
    tendered_minor: Mapped[int] = mapped_column(Integer, default=0)
    change_minor: Mapped[int] = mapped_column(Integer, default=0)
    idempotency_key: Mapped[str] = mapped_column(String(220), unique=True)
    account_id: Mapped[uuid.UUID | None]
    cash_session_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    location_id: Mapped[uuid.UUID | None]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Refund(IdMixin, CreatedMixin, Base):
    """One tender's part of a refund: ``pending`` while the gateway is being asked, then completed or failed
    (a failed part's amount is refundable again)."""

    __tablename__ = "payments_refund"
    __table_args__ = (UniqueConstraint("idempotency_key", "payment_id"),)

    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments_payment.id"), index=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    destination: Mapped[str] = mapped_column(String(20))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    gateway_ref: Mapped[str | None] = mapped_column(String(120))
    actor: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default="completed", index=True)
    error: Mapped[str | None] = mapped_column(String(200))


class LedgerAccount(IdMixin, CreatedMixin, Base):
    """A gift card (``code``) or a customer's store credit in one currency; the balance is its entries' sum."""

    __tablename__ = "payments_ledger_account"
    __table_args__ = (UniqueConstraint("kind", "customer_id", "currency"),)

    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    customer_id: Mapped[uuid.UUID | None]
    currency: Mapped[str] = mapped_column(String(3))


class LedgerEntry(IdMixin, CreatedMixin, Base):
    """One credit (+) or debit (-); ``ref`` makes each posting idempotent."""

    __tablename__ = "payments_ledger_entry"
    __table_args__ = (UniqueConstraint("account_id", "ref"),)

    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments_ledger_account.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(220))
    reason: Mapped[str] = mapped_column(String(40))


class Installment(IdMixin, Base):
    """One due date of a pay-later plan; the worker captures it when it falls due."""

    __tablename__ = "payments_installment"
    __table_args__ = (Index("ix_payments_installment_due", "status", "due_at"),)

    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments_payment.id"), index=True)
    order_id: Mapped[uuid.UUID | None]
    number: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime]
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12))
    card_token: Mapped[str] = mapped_column(String(120))
    gateway_ref: Mapped[str | None] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))


class CashSession(IdMixin, Base):
    """A cash drawer at a store from opening float to counted close."""

    __tablename__ = "payments_cash_session"

    location_id: Mapped[uuid.UUID] = mapped_column(index=True)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10))
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime]
    opening_float_minor: Mapped[int] = mapped_column(Integer)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None]
    counted_minor: Mapped[int | None] = mapped_column(Integer)
    expected_minor: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[dict[str, Any] | None]


class CashMovement(IdMixin, CreatedMixin, Base):
    """Cash into (+) or out of (-) a drawer: float, sale, change, cash in/out, refund."""

    __tablename__ = "payments_cash_movement"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments_cash_session.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount_minor: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200), default="")
    ref: Mapped[str | None] = mapped_column(String(220))
    actor: Mapped[str] = mapped_column(String(200), default="")


class WebhookEvent(IdMixin, CreatedMixin, Base):
    """An event a gateway sent us, kept once per gateway event id (a redelivery changes nothing)."""

    __tablename__ = "payments_webhook_event"
    __table_args__ = (UniqueConstraint("gateway", "event_id"),)

    gateway: Mapped[str] = mapped_column(String(30))
    event_id: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]]


class QrPaymentRequest(IdMixin, CreatedMixin, Base):
    """A payment request shown as a QR code: the shopper's phone opens it and confirms; placement then completes.

    ``idempotency_key`` is the placement tender's key, so a retried checkout finds the same request.
    """

    __tablename__ = "payments_qr_request"

    idempotency_key: Mapped[str] = mapped_column(String(220), unique=True)
    amount_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    merchant: Mapped[str] = mapped_column(String(70))
    reference: Mapped[str] = mapped_column(String(35))
    status: Mapped[str] = mapped_column(String(12))
    expires_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
