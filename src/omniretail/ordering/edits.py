"""Order edits before fulfilment: change quantities, remove or add lines, change the address.

An orchestration that owns its transactions, like placement and refunds (no transaction is open while the card
gateway is called):
1. **preview** (read-only): the order must still be editable (placed, paid or allocated: once picking starts the
   edit is refused); the new lines and totals are planned (``rules.plan_edit``): kept lines keep the price they were
   sold at, added lines are priced now.
2. **charge** (no transaction), only when the order got dearer: the extra is taken from the card given with the
   edit under ``edit:{key}``.
3. **apply** (one transaction, through ``payments.refunds.run``): the plan is made again under the order's row
   lock and must match the preview; the stock is re-held (the old allocations released and the new quantities
   allocated in one go, so nothing else can take the stock in between); lines, totals and address change; the extra
   charge is recorded as a payment, or the difference is given back (first off pay-later installments still to
   come, the rest refunded to the original tenders, card refunds through the gateway after commit); the timeline
   says what changed and ``OrderEdited`` is recorded. The edit is stored once per idempotency key: a retry returns
   the first result. A failure after a charge voids the charge.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.inventory import service as inventory_service
from omniretail.inventory.rules import ReservationLine
from omniretail.kernel.db import Database
from omniretail.kernel.errors import Conflict, FieldError
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service
from omniretail.ordering.events import OrderEdited
from omniretail.ordering.exceptions import InvalidOrderEdit, OrderNotFound, TransitionNotAllowed
from omniretail.ordering.models import Order, OrderEdit, OrderLine
from omniretail.ordering.rules import EDITABLE, EditLine, EditPlan, plan_edit
from omniretail.payments import refunds
from omniretail.payments import service as payments_service
from omniretail.payments.exceptions import PaymentDeclined
from omniretail.payments.gateways import gateways
from omniretail.payments.ports import APPROVED
from omniretail.payments.rules import Method
from omniretail.pricing import service as pricing_service
from omniretail.pricing.rules import tax_in, tax_on

Check = Callable[[Order], None]
ADDRESS_METHODS = ("courier", "post", "parcel_locker", "same_day")


@dataclass(frozen=True)
class EditRequest:
    quantities: Mapping[str, int]  # by SKU: lines on the order get this quantity (0 removes), others are added
    address: dict[str, Any] | None = None


@dataclass(frozen=True)
class EditResult:
    order_id: uuid.UUID
    old_total_minor: int
    new_total_minor: int
    charged_minor: int
    refunds: list[payments_service.RefundDone]
    replayed: bool = False


def _load(session: Session, order_id: uuid.UUID, check: Check | None, *, lock: bool) -> Order:
    stmt = select(Order).where(Order.id == order_id)
    order = session.scalar(stmt.with_for_update() if lock else stmt)
    if order is None:
        raise OrderNotFound()
    if check is not None:
        check(order)
    return order


def _plan(session: Session, order: Order, change: EditRequest) -> EditPlan:
    if order.status not in EDITABLE:
        raise TransitionNotAllowed(f"An order that is {order.status} can no longer be changed",
                                   status_now=order.status)
    by_sku = {ln.sku: ln for ln in order.lines}
    quantities = {by_sku[sku].variant_id: q for sku, q in change.quantities.items() if sku in by_sku}
    new_skus = [sku for sku in change.quantities if sku not in by_sku and change.quantities[sku] > 0]
    added: list[EditLine] = []
    if new_skus:
        found = catalog_service.variants_by_sku(session=session, skus=new_skus)
        missing = [sku for sku in new_skus if sku not in found]
        quotes = pricing_service.prices_for(session=session, channel_id=order.channel_id,
                                            variant_ids=[v.id for v in found.values()])
        missing += [sku for sku, v in found.items() if v.id not in quotes]
        if missing:
            raise InvalidOrderEdit(errors=[FieldError(("body", "lines", sku), "no such item for sale here")
                                           for sku in missing])
        names = {r.id: r.name for r in catalog_service.variant_refs(session=session,
                                                                     variant_ids=[v.id for v in found.values()])}
        where = order.location_id or order.lines[0].location_id
        added = [EditLine(found[sku].id, sku, names.get(found[sku].id, sku), change.quantities[sku],
                          quotes[found[sku].id].current.amount_minor, quotes[found[sku].id].tax_rate_bp, where)
                 for sku in new_skus]
    inclusive = order.subtotal_minor == sum(ln.line_total_minor for ln in order.lines)

    def tax_of(amount: int, rate_bp: int) -> int:
        money = Money(amount, order.currency)
        return (tax_in(money, rate_bp) if inclusive else tax_on(money, rate_bp)).amount_minor

    plan = plan_edit(lines=[EditLine(ln.variant_id, ln.sku, ln.name, ln.quantity, ln.unit_price_minor,
                                     ln.tax_rate_bp, ln.location_id) for ln in order.lines],
                     quantities=quantities, added=added, shipping_minor=order.shipping_minor,
                     discount_minor=order.discount_minor, old_total_minor=order.total_minor, tax_of=tax_of,
                     inclusive=inclusive)
    if isinstance(plan, str):
        raise InvalidOrderEdit(plan, errors=[FieldError(("body", "lines"), plan)])
    if change.address is not None and (order.delivery or {}).get("method") not in ADDRESS_METHODS:
        raise InvalidOrderEdit(errors=[FieldError(("body", "address"), "this order is not delivered to an address")])
    return plan


def _earlier(session: Session, key: str) -> OrderEdit | None:
    return session.scalar(select(OrderEdit).where(OrderEdit.idempotency_key == key))


def edit_order(*, db: Database, order_id: uuid.UUID, change: EditRequest, idempotency_key: str, actor: str,
               card_number: str | None = None, check: Check | None = None) -> EditResult:
    """Change an order before fulfilment, taking the extra from a card or giving the difference back."""
    key = f"edit:{idempotency_key}"
    with db.transaction(read_only=True) as session:
        order = _load(session, order_id, check, lock=False)
        done = _earlier(session, idempotency_key)
        if done is not None:
            return _replayed(session, done, order_id, key)
        plan = _plan(session, order, change)
        currency = order.currency
    charged = None
    if plan.delta_minor > 0:
        if not card_number:
            raise InvalidOrderEdit(f"{plan.delta_minor} more is due: give a card for it",
                                   errors=[FieldError(("body", "card_number"), "required when the order costs more")])
        result = gateways().for_method(Method.CARD).authorize(amount=Money(plan.delta_minor, currency),
                                                              source=card_number, idempotency_key=key, capture=True)
        if result.outcome != APPROVED:
            raise PaymentDeclined(f"The card was declined: {result.message}", reason=result.message)
        charged = payments_service.Taken(0, Method.CARD, plan.delta_minor, key, "test_card", result.reference, True,
                                         details={"last4": result.card_last4})

    def begin(session: Session) -> list[payments_service.RefundDone]:
        order = _load(session, order_id, check, lock=True)
        if _earlier(session, idempotency_key) is not None:
            return payments_service.refunds_under(session=session, idempotency_key=key, payment_ids=[
                p.id for p in payments_service.payments_of(session=session, order_id=order_id)])
        again = _plan(session, order, change)
        if again.delta_minor != plan.delta_minor:
            raise Conflict("The order changed meanwhile; look at it again")
        return _apply(session, order, again, change, idempotency_key, key, charged, actor)

    def after(session: Session, parts: list[payments_service.RefundDone]) -> None:
        ordering_service.sync_refunded(session=session, order_id=order_id, actor=actor)

    try:
        parts = refunds.run(db=db, begin=begin, after=after)
    except Exception:
        if charged is not None:
            gateways().for_method(Method.CARD).void(idempotency_key=key)
        raise
    return EditResult(order_id, plan.total_minor - plan.delta_minor, plan.total_minor, plan.delta_minor
                      if plan.delta_minor > 0 else 0, parts)


def _replayed(session: Session, done: OrderEdit, order_id: uuid.UUID, key: str) -> EditResult:
    parts = payments_service.refunds_under(session=session, idempotency_key=key, payment_ids=[
        p.id for p in payments_service.payments_of(session=session, order_id=order_id)])
    delta = done.new_total_minor - done.old_total_minor
    return EditResult(order_id, done.old_total_minor, done.new_total_minor, max(delta, 0), parts, replayed=True)


def _apply(session: Session, order: Order, plan: EditPlan, change: EditRequest, idempotency_key: str, key: str,
           charged: payments_service.Taken | None, actor: str) -> list[payments_service.RefundDone]:
    old_total = order.total_minor
    edits = len(list(session.scalars(select(OrderEdit.id).where(OrderEdit.order_id == order.id))))
    session.add(OrderEdit(order_id=order.id, idempotency_key=idempotency_key, old_total_minor=old_total,
                          new_total_minor=plan.total_minor, actor=actor,
                          detail={"quantities": dict(change.quantities), "address": change.address is not None}))
    session.flush()  # the unique key stops a concurrent twin here
    # Release and hold again in one transaction: the rows stay locked, so the stock cannot go elsewhere.
    inventory_service.release(session=session, ref=order.hold_ref)
    ref = f"order:{order.number}:edit-{edits + 1}"
    inventory_service.reserve_lines(session=session, ref=ref, lines=[
        ReservationLine(ln.variant_id, ln.location_id or order.location_id, ln.quantity)  # type: ignore[arg-type]
        for ln in plan.lines])
    inventory_service.allocate(session=session, ref=ref)
    order.hold_ref = ref
    old = {ln.variant_id: ln for ln in order.lines}
    order.lines = [_line(old.get(ln.variant_id), ln, i, plan) for i, ln in enumerate(plan.lines)]
    order.subtotal_minor, order.tax_minor, order.total_minor = plan.subtotal_minor, plan.tax_minor, plan.total_minor
    if change.address is not None:
        order.delivery = {**order.delivery, "address": change.address}
    parts: list[payments_service.RefundDone] = []
    if charged is not None:
        sequence = max((p.sequence for p in payments_service.payments_of(session=session, order_id=order.id)),
                       default=-1) + 1
        taken = payments_service.Taken(sequence, charged.method, charged.amount_minor, charged.idempotency_key,
                                       charged.gateway, charged.reference, True, details=charged.details)
        payments_service.record_payments(session=session, order_id=order.id, currency=order.currency, taken=[taken],
                                         location_id=order.location_id, cash_session_id=None, actor=actor)
        order.paid_minor += charged.amount_minor
    elif plan.delta_minor < 0:
        back = -plan.delta_minor
        back -= payments_service.shrink_installments(session=session, order_id=order.id, amount_minor=back)
        if back:
            parts = payments_service.refund(session=session,
                                            payments=payments_service.payments_of(session=session, order_id=order.id),
                                            amount_minor=back, idempotency_key=key, to_store_credit=False,
                                            customer_id=order.customer_id, actor=actor)
        order.paid_minor -= -plan.delta_minor - back
    ordering_service.note(session=session, order=order, kind="edited", actor=actor,
                          detail={"old_total_minor": old_total, "new_total_minor": plan.total_minor,
                                  "quantities": dict(change.quantities), "address": change.address is not None,
                                  "charged_minor": charged.amount_minor if charged else 0,
                                  "refunded_minor": sum(p.amount_minor for p in parts)})
    record(session, OrderEdited(order.id, order.number, old_total, plan.total_minor))
    session.flush()
    return parts


def _line(old: OrderLine | None, line: EditLine, position: int, plan: EditPlan) -> OrderLine:
    total, tax = plan.line_total(line), plan.line_taxes[position]
    if old is not None:
        old.position, old.quantity, old.line_total_minor, old.tax_minor = position, line.quantity, total, tax
        return old
    return OrderLine(position=position, variant_id=line.variant_id, sku=line.sku, name=line.name,
                     quantity=line.quantity, unit_price_minor=line.unit_price_minor, line_total_minor=total,
                     tax_minor=tax, tax_rate_bp=line.tax_rate_bp, location_id=line.location_id)
