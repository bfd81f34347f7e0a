"""Cash drawer use cases. Flush, never commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from omniretail.identity.rules import Permission, Principal
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError, InvalidInput, PermissionDenied
from omniretail.kernel.outbox import record
from omniretail.payments.events import CashDrawerClosed
from omniretail.payments.exceptions import CashSessionNotFound, CashSessionState
from omniretail.payments.models import CashMovement, CashSession, Payment, Refund

OPEN, CLOSED = "open", "closed"


def _require(actor: Principal, location_id: uuid.UUID) -> None:
    if not actor.can(Permission.POS_CASH_MANAGE, location_id) and not actor.can(Permission.POS_SELL, location_id):
        raise PermissionDenied("You may not use the cash drawer at this store")


def open_session_at(*, session: Session, location_id: uuid.UUID) -> CashSession | None:
    """The drawer open at a store, if any."""
    return session.scalar(select(CashSession).where(CashSession.location_id == location_id,
                                                    CashSession.status == OPEN))


def open_session(*, session: Session, actor: Principal, location_id: uuid.UUID, opening_float_minor: int,
                 currency: str) -> CashSession:
    """Open the store's drawer with the counted opening float."""
    _require(actor, location_id)
    if opening_float_minor < 0:
        raise InvalidInput(errors=[FieldError(("body", "opening_float_minor"), "cannot be negative")])
    if open_session_at(session=session, location_id=location_id) is not None:
        raise CashSessionState("A drawer is already open at this store")
    drawer = CashSession(location_id=location_id, currency=currency, status=OPEN, opened_by=actor.email,
                         opened_at=clock.now(), opening_float_minor=opening_float_minor)
    session.add(drawer)
    session.flush()
    session.add(CashMovement(session_id=drawer.id, kind="float", amount_minor=opening_float_minor,
                             reason="opening float", actor=actor.email))
    session.flush()
    return drawer


def get_session(*, session: Session, actor: Principal, session_id: uuid.UUID) -> CashSession:
    drawer = session.get(CashSession, session_id)
    if drawer is None or not actor.can(Permission.ORDERS_READ, drawer.location_id):
        raise CashSessionNotFound()
    return drawer


def move_cash(*, session: Session, actor: Principal, session_id: uuid.UUID, amount_minor: int, reason: str
              ) -> CashMovement:
    """Put cash in (positive) or take it out (negative) with a reason: change float, bank drop, petty cash."""
    drawer = get_session(session=session, actor=actor, session_id=session_id)
    if not actor.can(Permission.POS_CASH_MANAGE, drawer.location_id):
        raise PermissionDenied("Only a store lead may move cash in or out")
    if drawer.status != OPEN:
        raise CashSessionState("This drawer is closed")
    if amount_minor == 0:
        raise InvalidInput(errors=[FieldError(("body", "amount_minor"), "cannot be zero")])
    movement = CashMovement(session_id=drawer.id, kind="cash_in" if amount_minor > 0 else "cash_out",
                            amount_minor=amount_minor, reason=reason, actor=actor.email)
    session.add(movement)
    session.flush()
    return movement


def expected_cash(*, session: Session, session_id: uuid.UUID) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(CashMovement.amount_minor), 0))
                              .where(CashMovement.session_id == session_id)) or 0)


def report(*, session: Session, drawer: CashSession) -> dict[str, Any]:
    """The X/Z-report: cash by kind, tenders by method, sales count, expected and counted cash."""
    by_kind = {kind: int(total) for kind, total in session.execute(
        select(CashMovement.kind, func.sum(CashMovement.amount_minor)).where(CashMovement.session_id == drawer.id)
        .group_by(CashMovement.kind))}
    until = drawer.closed_at or clock.now()
    tenders = {method: {"count": int(count), "amount_minor": int(total)} for method, count, total in session.execute(
        select(Payment.method, func.count(Payment.id), func.sum(Payment.amount_minor))
        .where(Payment.location_id == drawer.location_id, Payment.created_at >= drawer.opened_at,
               Payment.created_at <= until).group_by(Payment.method))}
    orders = int(session.scalar(select(func.count(func.distinct(Payment.order_id))).where(
        Payment.location_id == drawer.location_id, Payment.created_at >= drawer.opened_at,
        Payment.created_at <= until)) or 0)
    refunded = int(session.scalar(select(func.coalesce(func.sum(Refund.amount_minor), 0)).join(
        Payment, Payment.id == Refund.payment_id).where(Payment.location_id == drawer.location_id,
                                                        Refund.created_at >= drawer.opened_at,
                                                        Refund.created_at <= until)) or 0)
    expected = expected_cash(session=session, session_id=drawer.id)
    return {"session_id": str(drawer.id), "location_id": str(drawer.location_id), "currency": drawer.currency,
            "opened_at": drawer.opened_at.isoformat(), "opened_by": drawer.opened_by,
            "closed_at": drawer.closed_at.isoformat() if drawer.closed_at else None, "closed_by": drawer.closed_by,
            "opening_float_minor": drawer.opening_float_minor, "cash_by_kind": by_kind, "tenders": tenders,
            "orders": orders, "refunded_minor": refunded, "expected_cash_minor": expected,
            "counted_cash_minor": drawer.counted_minor,
            "over_short_minor": None if drawer.counted_minor is None else drawer.counted_minor - expected}


def close_session(*, session: Session, actor: Principal, session_id: uuid.UUID, counted_minor: int
                  ) -> dict[str, Any]:
    """Close the drawer with the counted cash; returns the Z-report with over/short."""
    drawer = get_session(session=session, actor=actor, session_id=session_id)
    _require(actor, drawer.location_id)
    if drawer.status != OPEN:
        raise CashSessionState("This drawer is already closed")
    if counted_minor < 0:
        raise InvalidInput(errors=[FieldError(("body", "counted_minor"), "cannot be negative")])
    drawer.status, drawer.closed_at, drawer.closed_by = CLOSED, clock.now(), actor.email
    drawer.expected_minor = expected_cash(session=session, session_id=drawer.id)
    drawer.counted_minor = counted_minor
    z = report(session=session, drawer=drawer)
    drawer.report = z
    record(session, CashDrawerClosed(drawer.id, drawer.location_id, drawer.expected_minor, counted_minor,
                                     counted_minor - drawer.expected_minor, drawer.currency))
    session.flush()
    return z
