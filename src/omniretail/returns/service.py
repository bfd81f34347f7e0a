"""Returns use cases: ask the policy, open a return (RMA), inspect what arrives at a location and work out the
refund. Flush, never commit; ``returns.receiving`` is the entry-point orchestration that also calls the gateway."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.inventory.rules import MovementKind
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError
from omniretail.kernel.money import Money
from omniretail.kernel.numbers import next_number
from omniretail.kernel.outbox import record
from omniretail.kernel.paging import Page, paginate
from omniretail.ordering import service as ordering_service
from omniretail.payments import service as payments_service
from omniretail.pricing import service as pricing_service
from omniretail.promotions import service as promotions_service
from omniretail.returns import rules
from omniretail.returns.events import ReturnCompleted, ReturnedLine
from omniretail.returns.exceptions import ReturnAlreadyReceived, ReturnNotFound, ReturnRefused
from omniretail.returns.models import PolicyRow, ReturnLine, ReturnRequest
from omniretail.returns.rules import Condition, RefundMethod, ReturnStatus

POLICY_CODE = "default"
STORE_KINDS = frozenset({"store", "franchise_store"})


@dataclass(frozen=True)
class LineIn:
    variant_id: uuid.UUID
    quantity: int
    reason: str
    note: str = ""
    condition: str = Condition.RESELLABLE
    exchange_variant_id: uuid.UUID | None = None


# -- policy ----------------------------------------------------------------------------------------------------

def current_policy(*, session: Session) -> rules.Policy:
    """The merchant's return policy (the defaults until one is set)."""
    row = session.scalar(select(PolicyRow).where(PolicyRow.code == POLICY_CODE))
    return rules.Policy.from_dict(row.rules) if row is not None else rules.Policy()


def set_policy(*, session: Session, actor: Principal | None, policy: rules.Policy) -> rules.Policy:
    """Replace the merchant's return policy."""
    if actor is not None:
        identity_service.require(actor, Permission.SETTINGS_MANAGE)
    row = session.scalar(select(PolicyRow).where(PolicyRow.code == POLICY_CODE))
    if row is None:
        session.add(PolicyRow(code=POLICY_CODE, rules=policy.as_dict()))
    else:
        row.rules, row.updated_at = policy.as_dict(), clock.now()
    session.flush()
    return policy


# -- asking ----------------------------------------------------------------------------------------------------

def _received_at(session: Session, order: ordering_service.Order) -> datetime:
    """When the shopper got the goods: the last delivery or pickup on the timeline, else when the order was placed."""
    moments = [e.at for e in ordering_service.timeline(session=session, order_id=order.id)
               if e.kind == "status" and e.status in ("delivered", "picked_up")]
    return moments[-1] if moments else order.created_at


def returned_units(*, session: Session, order_id: uuid.UUID, excluding: uuid.UUID | None = None
                   ) -> dict[uuid.UUID, int]:
    """Units of each variant of an order already on a return."""
    stmt = (select(ReturnLine.variant_id, func.sum(ReturnLine.quantity)).join(ReturnRequest)
            .where(ReturnRequest.order_id == order_id).group_by(ReturnLine.variant_id))
    if excluding is not None:
        stmt = stmt.where(ReturnRequest.id != excluding)
    return {variant_id: int(units) for variant_id, units in session.execute(stmt)}


@dataclass(frozen=True)
class Bought:
    sku: str
    name: str
    quantity: int
    gross_minor: int
    discount_minor: int


def bought_of(*, session: Session, order: ordering_service.Order) -> dict[uuid.UUID, Bought]:
    """What the order sold of each variant: units, gross paid before the order discount, its discount share."""
    tax_inclusive = order.subtotal_minor == sum(ln.line_total_minor for ln in order.lines)
    # Only an order with a discount has shares to ask promotions for.
    shares = (promotions_service.line_discounts(session=session, order_id=order.id) if order.discount_minor
              else {})
    found: dict[uuid.UUID, Bought] = {}
    for ln in order.lines:
        gross = ln.line_total_minor + (0 if tax_inclusive else ln.tax_minor)
        before = found.get(ln.variant_id)
        found[ln.variant_id] = Bought(ln.sku, ln.name, ln.quantity + (before.quantity if before else 0),
                                      gross + (before.gross_minor if before else 0),
                                      shares.get(ln.variant_id, 0))
    return found


def _categories(session: Session, variant_id: uuid.UUID) -> tuple[str, ...]:
    variant = catalog_service.get_variant(session=session, variant_id=variant_id)
    return tuple(str(c) for c in catalog_service.category_ids_of(session=session, product_id=variant.product_id))


def _refuse(reasons: Sequence[str]) -> ReturnRefused:
    return ReturnRefused("; ".join(reasons), errors=[FieldError(("body", "lines"), r) for r in reasons],
                         reasons=list(reasons))


def request_return(*, session: Session, order_id: uuid.UUID, via: str, lines: Sequence[LineIn],
                   refund_method: str, requested_by: str, location_id: uuid.UUID | None = None,
                   customer_id: uuid.UUID | None = None, has_receipt: bool = True,
                   shopper_id: uuid.UUID | None = None) -> ReturnRequest:
    """Open a return under a new RMA number if the policy allows it, or refuse with every reason.
    ``shopper_id`` is set when shoppers ask themselves: they may only return their own orders."""
    order = ordering_service.get_order(session=session, order_id=order_id)
    if shopper_id is not None and order.customer_id != shopper_id:
        raise ReturnNotFound("No such order among yours")
    bought = bought_of(session=session, order=order)
    before = returned_units(session=session, order_id=order.id)
    unknown = [str(ln.variant_id) for ln in lines if ln.variant_id not in bought]
    if unknown:
        raise _refuse([f"{v}: not on this order" for v in unknown])
    asks = tuple(rules.LineAsk(bought[ln.variant_id].sku, _categories(session, ln.variant_id),
                               bought[ln.variant_id].quantity, before.get(ln.variant_id, 0), ln.quantity,
                               ln.condition) for ln in lines)
    decision = rules.evaluate(current_policy(session=session), rules.ReturnAsk(
        order_status=order.status, received_at=_received_at(session, order), now=clock.now(), via=via,
        store_sale=order.channel_kind == "store", has_receipt=has_receipt, refund_method=refund_method,
        lines=asks))
    if not decision.allowed:
        raise _refuse(decision.reasons)
    ret = ReturnRequest(rma=next_number(session=session, prefix="RMA"), order_id=order.id,
                        order_number=order.number, customer_id=customer_id or order.customer_id, via=via,
                        status=ReturnStatus.APPROVED.value, refund_method=refund_method, currency=order.currency,
                        location_id=location_id, requested_by=requested_by)
    for i, ln in enumerate(lines):
        item = bought[ln.variant_id]
        price = 0
        if refund_method == RefundMethod.EXCHANGE:
            price = _exchange_price(session, order.channel_id, ln)
        ret.lines.append(ReturnLine(position=i, variant_id=ln.variant_id, sku=item.sku, name=item.name,
                                    quantity=ln.quantity, reason=rules.Reason(ln.reason).value, note=ln.note,
                                    exchange_variant_id=ln.exchange_variant_id, exchange_price_minor=price,
                                    refund_minor=rules.line_refund(
                                        gross_minor=item.gross_minor, discount_share_minor=item.discount_minor,
                                        bought=item.quantity, returned_before=before.get(ln.variant_id, 0),
                                        quantity=ln.quantity)))
        before[ln.variant_id] = before.get(ln.variant_id, 0) + ln.quantity
    session.add(ret)
    session.flush()
    ret.refund_minor = sum(ln.refund_minor for ln in ret.lines)
    ordering_service.note(session=session, order=order, kind="return_requested", actor=requested_by,
                          detail={"rma": ret.rma, "via": via})
    return ret


def _exchange_price(session: Session, channel_id: uuid.UUID, line: LineIn) -> int:
    if line.exchange_variant_id is None:
        raise _refuse([f"{line.variant_id}: choose the item to exchange it for"])
    price = pricing_service.price_for(session=session, channel_id=channel_id, variant_id=line.exchange_variant_id)
    if price is None:
        raise _refuse([f"{line.exchange_variant_id}: is not sold in this channel"])
    return price.amount_minor * line.quantity


def get_return(*, session: Session, return_id: uuid.UUID, lock: bool = False) -> ReturnRequest:
    stmt = select(ReturnRequest).where(ReturnRequest.id == return_id)
    ret = session.scalar(stmt.with_for_update() if lock else stmt)
    if ret is None:
        raise ReturnNotFound()
    return ret


def visible_to(actor: Principal, ret: ReturnRequest) -> bool:
    places = actor.locations_for(Permission.RETURNS_MANAGE)
    return places is None or ret.location_id in places or ret.received_location_id in places


def list_returns(*, session: Session, actor: Principal | None = None, customer_id: uuid.UUID | None = None,
                 order_id: uuid.UUID | None = None, cursor: str | None, limit: int) -> Page[ReturnRequest]:
    """Returns the caller may see, oldest first."""
    stmt = select(ReturnRequest)
    if actor is not None:
        places = actor.locations_for(Permission.RETURNS_MANAGE)
        if places is not None:
            stmt = stmt.where(ReturnRequest.location_id.in_(list(places))
                              | ReturnRequest.received_location_id.in_(list(places)))
    if customer_id is not None:
        stmt = stmt.where(ReturnRequest.customer_id == customer_id)
    if order_id is not None:
        stmt = stmt.where(ReturnRequest.order_id == order_id)
    return paginate(session, stmt, ReturnRequest.id, cursor=cursor, limit=limit)


def reason_counts(*, session: Session) -> dict[str, int]:
    """Units returned per reason, for analytics."""
    return {reason: int(units) for reason, units in session.execute(
        select(ReturnLine.reason, func.sum(ReturnLine.quantity)).group_by(ReturnLine.reason))}


# -- receiving -------------------------------------------------------------------------------------------------

def refund_key(ret: ReturnRequest) -> str:
    return f"return:{ret.id}"


def inspect(*, session: Session, ret: ReturnRequest, actor: Principal, location_id: uuid.UUID,
            conditions: Mapping[uuid.UUID, str]) -> list[rules.RefundSlice]:
    """Inspect the parcel at ``location_id``: resellable items go back on THAT location's shelf, damaged ones are
    taken in and written off, exchange items leave its stock; returns how the refund splits over the tenders."""
    identity_service.require(actor, Permission.RETURNS_MANAGE, location_id)
    if ret.status != ReturnStatus.APPROVED:
        raise ReturnAlreadyReceived(f"Return {ret.rma} was already received")
    location = inventory_service.get_location(session=session, location_id=location_id)
    order = ordering_service.get_order(session=session, order_id=ret.order_id)
    for line in sorted(ret.lines, key=lambda ln: ln.variant_id):
        line.condition = Condition(conditions.get(line.variant_id, Condition.RESELLABLE)).value
        inventory_service.apply_movement(session=session, actor=actor, variant_id=line.variant_id,
                                         location_id=location_id, kind=MovementKind.RETURN, quantity=line.quantity,
                                         reason=f"return {ret.rma}", document_type="return", document_id=ret.rma)
        line.outcome = "restocked"
        if line.condition == Condition.DAMAGED:
            inventory_service.apply_movement(session=session, actor=actor, variant_id=line.variant_id,
                                             location_id=location_id, kind=MovementKind.WRITE_OFF,
                                             quantity=-line.quantity, reason=f"damaged on return {ret.rma}",
                                             document_type="return", document_id=ret.rma)
            line.outcome = "written_off"
        if line.exchange_variant_id is not None:
            inventory_service.apply_movement(session=session, actor=actor, variant_id=line.exchange_variant_id,
                                             location_id=location_id, kind=MovementKind.SALE,
                                             quantity=-line.quantity, reason=f"exchange {ret.rma}",
                                             document_type="return", document_id=ret.rma)
    via = rules.Via.STORE.value if location.kind in STORE_KINDS else ret.via
    value = sum(ln.refund_minor for ln in ret.lines)
    amount = value
    if ret.refund_method == RefundMethod.EXCHANGE:
        settled = rules.exchange_settlement(returned_value_minor=value,
                                            new_price_minor=sum(ln.exchange_price_minor for ln in ret.lines))
        amount, ret.collected_minor = settled.refund_minor, settled.collect_minor
        if settled.collect_minor:
            _collect(session, ret, settled.collect_minor)
    tenders = [rules.TenderLeft(p.id, p.method, p.captured_minor - p.refunded_minor)
               for p in payments_service.payments_of(session=session, order_id=order.id)]
    plan = rules.tender_plan(tenders, amount, method=ret.refund_method, via=via,
                             policy=current_policy(session=session))
    if isinstance(plan, str):
        raise _refuse([plan])
    if rules.needs_customer(plan) and ret.customer_id is None:
        raise _refuse(["store credit needs the shopper's account: find the customer first"])
    ret.received_location_id, ret.received_by, ret.received_at = location_id, actor.label or actor.email, clock.now()
    ret.refund_minor, ret.status, ret.updated_at = amount, ReturnStatus.REFUND_PENDING.value, clock.now()
    session.flush()
    return plan


def _collect(session: Session, ret: ReturnRequest, amount_minor: int) -> None:
    if ret.customer_id is None:
        raise _refuse([f"collect {amount_minor} for the dearer item before exchanging"])
    payments_service.take_from_ledger(session=session, method="store_credit",
                                      amount=Money(amount_minor, ret.currency), ref=f"exchange:{ret.rma}", code=None,
                                      customer_id=ret.customer_id)


def complete(*, session: Session, ret: ReturnRequest) -> ReturnRequest:
    """Close the return once its refund is done, and record ``ReturnCompleted`` (once)."""
    if ret.status == ReturnStatus.COMPLETED:
        return ret
    ret.status, ret.completed_at, ret.updated_at = ReturnStatus.COMPLETED.value, clock.now(), clock.now()
    order = ordering_service.get_order(session=session, order_id=ret.order_id)
    ordering_service.note(session=session, order=order, kind="return_completed", actor=ret.received_by or "system",
                          detail={"rma": ret.rma, "refund_minor": ret.refund_minor})
    record(session, ReturnCompleted(ret.id, ret.rma, ret.order_id, ret.order_number, ret.customer_id, ret.currency,
                                    tuple(ReturnedLine(ln.variant_id, ln.quantity, ln.refund_minor)
                                          for ln in ret.lines)))
    session.flush()
    return ret


def complete_settled(*, session: Session, limit: int = 100) -> int:
    """Complete returns whose card refunds the gateway settled later (the repair job); returns how many."""
    done = 0
    for ret in session.scalars(select(ReturnRequest).where(ReturnRequest.status == ReturnStatus.REFUND_PENDING.value)
                               .order_by(ReturnRequest.id).limit(limit)):
        payments = payments_service.payments_of(session=session, order_id=ret.order_id)
        parts = payments_service.refunds_under(session=session, idempotency_key=refund_key(ret),
                                               payment_ids=[p.id for p in payments])
        if parts and all(p.status == payments_service.COMPLETED for p in parts):
            complete(session=session, ret=ret)
            done += 1
    return done


__all__ = ["LineIn", "ReturnLine", "ReturnRequest", "complete", "current_policy", "get_return", "inspect",
           "list_returns", "reason_counts", "request_return", "returned_units", "set_policy"]


def search_returns(*, session: Session, actor: Principal, status: str | None = None,
                   location_id: uuid.UUID | None = None, offset: int = 0,
                   limit: int | None = 50) -> tuple[list[ReturnRequest], int]:
    """The returns queue: returns the caller may see, by status and store, oldest first, and how many match."""
    stmt = select(ReturnRequest)
    places = actor.locations_for(Permission.RETURNS_MANAGE)
    if places is not None:
        stmt = stmt.where(ReturnRequest.location_id.in_(list(places))
                          | ReturnRequest.received_location_id.in_(list(places)))
    if status:
        stmt = stmt.where(ReturnRequest.status == status)
    if location_id is not None:
        stmt = stmt.where((ReturnRequest.location_id == location_id)
                          | (ReturnRequest.received_location_id == location_id))
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    stmt = stmt.order_by(ReturnRequest.created_at, ReturnRequest.id).offset(max(offset, 0))
    return list(session.scalars(stmt if limit is None else stmt.limit(limit))), total
