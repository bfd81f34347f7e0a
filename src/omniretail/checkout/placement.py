"""Order placement: the one use case that owns its transactions (an entry-point-level orchestration).

It takes the ``Database``, not a session, because the gateway must be called with no transaction open:
1. **hold**: in one short transaction, record the attempt under its idempotency key, re-price the cart, choose
   the sources and hold the stock with expiring reservations (rows in variant, location order); commit.
2. **pay**: with no transaction open, take each tender in order (card through the gateway, gift card and store
   credit from their ledgers, cash counted); record what was taken; a failure gives back what was taken,
   releases the holds and fails the attempt.
3. **place**: in one short transaction, turn the holds into allocations, create the numbered order and its
   payment records, record ``OrderPlaced``; commit.
Every step is idempotent under the key: a retry (or a concurrent double submit) returns the first order. A crash
between steps leaves an attempt that ``reconcile`` (a periodic job) fails or completes.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from omniretail.cart import service as cart_service
from omniretail.cart.exceptions import CartClosed
from omniretail.channels import service as channels_service
from omniretail.checkout import offers as checkout_offers
from omniretail.checkout import service as checkout_service
from omniretail.checkout.events import CheckoutFailed
from omniretail.checkout.exceptions import (
    CannotSource,
    CartNotPurchasable,
    CheckoutInProgress,
    DeliveryRequired,
    HoldExpired,
    IdempotencyKeyReused,
)
from omniretail.checkout.models import CheckoutAttempt
from omniretail.inventory import service as inventory_service
from omniretail.inventory.exceptions import InsufficientStock, ReservationNotFound
from omniretail.inventory.rules import ReservationLine
from omniretail.kernel import clock
from omniretail.kernel.db import Database, affected, conflict_insert
from omniretail.kernel.errors import DomainError, FieldError
from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus
from omniretail.payments import qr
from omniretail.payments import service as payments_service
from omniretail.payments.exceptions import GatewayUnavailable, InvalidTender, PaymentDeclined, PaymentNeedsAction
from omniretail.payments.gateways import gateways
from omniretail.payments.ports import APPROVED, NEEDS_ACTION
from omniretail.payments.pos import service as pos_service
from omniretail.payments.rules import Method, TenderRequest, TenderShare, installment_schedule, split
from omniretail.pricing.rules import tax_in, tax_on

log = logging.getLogger("omniretail.checkout")
HELD, PAID, PLACED, FAILED, AWAITING = "held", "paid", "placed", "failed", "awaiting"
SUPPORTED = {Method.CARD, Method.CASH, Method.GIFT_CARD, Method.STORE_CREDIT, Method.MARKETPLACE, Method.PAY_LATER,
             Method.QR}
COUNTER_KINDS = ("store", "franchise")
_REPLAYABLE: dict[str, type[DomainError]] = {c.type: c for c in (
    PaymentDeclined, PaymentNeedsAction, GatewayUnavailable, HoldExpired, InvalidTender)}


@dataclass(frozen=True)
class Placed:
    order_id: uuid.UUID
    number: str
    replayed: bool = False


@dataclass(frozen=True)
class Attempt:
    id: uuid.UUID
    key: str
    hold_ref: str
    currency: str
    total_minor: int
    shares: tuple[TenderShare, ...]
    merchant: str = ""
    expires_at: datetime | None = None

    @classmethod
    def of(cls, row: CheckoutAttempt) -> Attempt:
        shares = tuple(TenderShare(t["method"], int(t["amount_minor"]), int(t.get("tendered_minor", 0)),
                                   int(t.get("change_minor", 0))) for t in row.tenders)
        return cls(row.id, row.idempotency_key, row.hold_ref, row.currency, row.total_minor, shares,
                   str(row.plan.get("channel_code", "")), row.expires_at)


class _AwaitingPhone(Exception):
    """A QR tender is waiting for the shopper to confirm on their phone (internal to placement)."""

    def __init__(self, request_id: uuid.UUID, amount_minor: int, currency: str, expires_at: datetime) -> None:
        super().__init__("awaiting the shopper's confirmation")
        self.request_id, self.amount_minor, self.currency, self.expires_at = (request_id, amount_minor, currency,
                                                                              expires_at)


def place_order(*, db: Database, cart_id: uuid.UUID, idempotency_key: str, tenders: Sequence[TenderRequest],
                actor: str, customer_id: uuid.UUID | None = None, wait_seconds: float = 15.0) -> Placed:
    """Re-price, hold, pay and place the cart's order; a retry with the same key returns the first order."""
    attempt = _hold(db, cart_id, idempotency_key, tenders, actor, customer_id)
    if isinstance(attempt, Placed):
        return attempt
    if attempt is None:
        attempt = _resume(db, cart_id, idempotency_key, tenders)
    if attempt is None:
        return _replay(db, cart_id, idempotency_key, wait_seconds)
    taken = _pay(db, attempt, tenders, customer_id)
    try:
        with db.transaction() as session:
            row = session.get(CheckoutAttempt, attempt.id, with_for_update=True)
            assert row is not None
            order = finish(session=session, attempt=row, taken=taken)
            return Placed(order.id, order.number)
    except ReservationNotFound as exc:
        _fail(db, attempt, taken, HoldExpired(), from_statuses=(PAID,))
        raise HoldExpired() from exc


# -- step 1 ----------------------------------------------------------------------------------------------------

def _hold(db: Database, cart_id: uuid.UUID, key: str, tenders: Sequence[TenderRequest], actor: str,
          customer_id: uuid.UUID | None) -> Attempt | Placed | None:
    if not key or len(key) > 200:
        raise InvalidTender(errors=[FieldError(("header", "idempotency-key"), "1 to 200 characters")])
    with db.transaction() as session:
        insert = conflict_insert(session)
        attempt_id, hold_ref = new_id(), f"checkout:{key}"
        policy = checkout_service.policy(session=session)
        expires = clock.now() + timedelta(minutes=policy.hold_minutes)
        inserted = session.execute(insert(CheckoutAttempt).values(
            id=attempt_id, idempotency_key=key, cart_id=cart_id, status=HELD, hold_ref=hold_ref, expires_at=expires,
            currency="XXX", total_minor=0, plan={}, tenders=[], created_at=clock.now(), updated_at=clock.now())
            .on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(CheckoutAttempt.id)).first()
        if inserted is None:
            return None
        cart = session.execute(select(cart_service.Cart).options(joinedload(cart_service.Cart.lines))
                               .where(cart_service.Cart.id == cart_id).with_for_update(of=cart_service.Cart)
                               ).unique().scalar_one_or_none()
        if cart is None:
            raise cart_service.CartNotFound()
        if cart.status != cart_service.OPEN:
            raise CartClosed(f"This cart is {cart.status}", order_id=str(cart.order_id) if cart.order_id else None)
        channel = channels_service.get_channel(session=session, channel_id=cart.channel_id)
        if channel.kind in COUNTER_KINDS and not cart.delivery and cart.location_id is not None:
            cart_service.set_delivery(session=session, cart=cart, location_id=cart.location_id,
                                      delivery={"method": "carry_out", "price_minor": 0,
                                                "location_id": str(cart.location_id)})
        view = checkout_service.stock_view(session=session, cart=cart)
        cart_service.reprice(session=session, cart=cart, stock=view.available)
        problems = cart_service.problems(cart)
        if not cart.lines or problems:
            raise CartNotPurchasable("The cart is empty" if not cart.lines else "Some items cannot be bought",
                                     errors=[FieldError(("cart", "lines", str(p.line_id)), p.detail, p.problem)
                                             for p in problems])
        if not cart.delivery:
            raise DeliveryRequired(errors=[FieldError(("body", "delivery"), "choose a delivery method first")])
        decision = checkout_service.source(session=session, cart=cart, view=view,
                                           allow_franchise=policy.allow_franchise_sourcing)
        if not decision.ok:
            raise CannotSource(decision.reason, rule=decision.rule)
        totals = cart_service.cart_totals(session=session, cart=cart)
        shares = _check_tenders(channel.payment_methods, totals.total.amount_minor, tenders, channel.kind)
        try:
            inventory_service.reserve_lines(session=session, ref=hold_ref, expires_at=expires, lines=[
                ReservationLine(a.variant_id, a.location_id, a.quantity) for a in decision.assignments])
        except InsufficientStock:
            raise
        checkout_offers.hold(session=session, cart=cart, totals=totals, hold_ref=hold_ref,
                             customer_id=customer_id or cart.customer_id)
        plan = _plan(cart, channel, decision, totals, actor, customer_id or cart.customer_id, len(shares))
        session.execute(update(CheckoutAttempt).where(CheckoutAttempt.id == attempt_id).values(
            currency=cart.currency, total_minor=totals.total.amount_minor, plan=plan,
            tenders=[{"method": s.method, "amount_minor": s.amount_minor, "tendered_minor": s.tendered_minor,
                      "change_minor": s.change_minor} for s in shares])
            .execution_options(synchronize_session=False))
        return Attempt(attempt_id, key, hold_ref, cart.currency, totals.total.amount_minor, tuple(shares),
                       channel.name or channel.code, expires)


def _check_tenders(accepted: list[Any], total: int, tenders: Sequence[TenderRequest], kind: str) -> list[TenderShare]:
    for i, tender in enumerate(tenders):
        ok = tender.method in SUPPORTED and (tender.method in accepted or (
            tender.method == Method.MARKETPLACE and kind in ("marketplace", "delivery")))
        if not ok:
            raise InvalidTender(f"{tender.method} is not accepted here",
                                errors=[FieldError(("body", "tenders", i, "method"), "not accepted")])
        if tender.method in (Method.CARD, Method.PAY_LATER) and not tender.card_number:
            raise InvalidTender(errors=[FieldError(("body", "tenders", i, "card_number"), "required")])
        if tender.method == Method.GIFT_CARD and not tender.gift_card_code:
            raise InvalidTender(errors=[FieldError(("body", "tenders", i, "gift_card_code"), "required")])
    if any(t.method == Method.QR for t in tenders) and len(tenders) > 1:
        raise InvalidTender("Pay by QR code alone", errors=[FieldError(("body", "tenders"), "QR pays the whole order")])
    shares = split(total, tenders)
    if isinstance(shares, str):
        raise InvalidTender(shares, errors=[FieldError(("body", "tenders"), shares)])
    return shares


def _plan(cart: Any, channel: Any, decision: Any, totals: Any, actor: str, customer_id: uuid.UUID | None,
          tender_count: int) -> dict[str, Any]:
    where = {a.variant_id: a.location_id for a in decision.assignments}
    lines = []
    for ln in cart.lines:
        total = Money(ln.unit_price_minor * ln.quantity, cart.currency)
        tax = tax_in(total, ln.tax_rate_bp) if ln.tax_inclusive else tax_on(total, ln.tax_rate_bp)
        lines.append({"variant_id": str(ln.variant_id), "sku": ln.sku, "name": ln.name, "quantity": ln.quantity,
                      "unit_price_minor": ln.unit_price_minor, "line_total_minor": total.amount_minor,
                      "tax_minor": tax.amount_minor, "tax_rate_bp": ln.tax_rate_bp,
                      "location_id": str(where[ln.variant_id])})
    delivery = dict(cart.delivery or {})
    primary = delivery.get("location_id") or (str(decision.locations[0]) if decision.locations else None)
    return {"lines": lines, "channel_id": str(channel.id), "channel_code": channel.code, "channel_kind": channel.kind,
            "location_id": primary, "customer_id": str(customer_id) if customer_id else None, "email": cart.email,
            "phone": cart.phone, "delivery": delivery, "actor": actor, "tender_count": tender_count,
            "sourcing": {"rule": decision.rule, "reason": decision.reason,
                         "assignments": [{"variant_id": str(a.variant_id), "location_id": str(a.location_id),
                                          "quantity": a.quantity} for a in decision.assignments]},
            "totals": {"subtotal_minor": totals.subtotal.amount_minor, "tax_minor": totals.tax.amount_minor,
                       "shipping_minor": totals.shipping.amount_minor, "discount_minor": totals.discount.amount_minor,
                       "total_minor": totals.total.amount_minor, "points": totals.points},
            "external": delivery.get("external")}


# -- step 2 ----------------------------------------------------------------------------------------------------

def _pay(db: Database, attempt: Attempt, tenders: Sequence[TenderRequest],
         customer_id: uuid.UUID | None) -> list[payments_service.Taken]:
    taken: list[payments_service.Taken] = []
    try:
        for i, (request, share) in enumerate(zip(tenders, attempt.shares, strict=True)):
            taken.append(_take(db, attempt, i, request, share, customer_id))
    except _AwaitingPhone as waiting:
        # Keep the holds: the shopper confirms on their phone, then retries with the same key (``_resume``).
        with db.transaction() as session:
            session.execute(update(CheckoutAttempt).where(CheckoutAttempt.id == attempt.id,
                                                          CheckoutAttempt.status == HELD)
                            .values(status=AWAITING, updated_at=clock.now())
                            .execution_options(synchronize_session=False))
        raise PaymentNeedsAction("Scan the QR code with your phone and confirm the payment, then place the order "
                                 "again with the same Idempotency-Key", next_action="qr",
                                 payment_request_id=str(waiting.request_id), amount_minor=waiting.amount_minor,
                                 currency=waiting.currency, expires_at=waiting.expires_at.isoformat()) from None
    except DomainError as error:
        _fail(db, attempt, taken, error, reverse_index=len(taken))
        raise
    except Exception as exc:
        log.exception("a tender failed unexpectedly; the placement is given up", extra={"attempt_id": str(attempt.id)})
        _fail(db, attempt, taken, GatewayUnavailable(), reverse_index=len(taken))
        raise GatewayUnavailable() from exc
    with db.transaction() as session:
        moved = affected(session.execute(update(CheckoutAttempt).where(
            CheckoutAttempt.id == attempt.id, CheckoutAttempt.status == HELD, CheckoutAttempt.expires_at > clock.now())
            .values(status=PAID, tenders=[t.as_dict() for t in taken], updated_at=clock.now())
            .execution_options(synchronize_session=False)))
    if not moved:
        _fail(db, attempt, taken, HoldExpired())
        raise HoldExpired()
    return taken


def _take(db: Database, attempt: Attempt, i: int, request: TenderRequest, share: TenderShare,
          customer_id: uuid.UUID | None) -> payments_service.Taken:
    key = f"{attempt.key}:{i}"
    amount = Money(share.amount_minor, attempt.currency)
    if request.method == Method.CARD:
        result = gateways().for_method(Method.CARD).authorize(amount=amount, source=request.card_number or "",
                                                              idempotency_key=key, capture=True)
        if result.outcome == NEEDS_ACTION:
            raise PaymentNeedsAction(result.message, next_action=result.next_action)
        if result.outcome != APPROVED:
            raise PaymentDeclined(f"The card was declined: {result.message}", reason=result.message)
        return payments_service.Taken(i, request.method, share.amount_minor, key, "test_card", result.reference,
                                      True, details={"last4": result.card_last4})
    if request.method == Method.PAY_LATER:
        return _take_pay_later(attempt, i, request, share, key, amount)
    if request.method == Method.QR:
        with db.transaction() as session:
            row = qr.request_for(session=session, key=key, amount=amount, merchant=attempt.merchant,
                                 expires_at=attempt.expires_at or clock.now() + timedelta(minutes=15))
            confirmed, reference, request_id = row.status == qr.CONFIRMED, row.reference, row.id
        if not confirmed:
            raise _AwaitingPhone(request_id, share.amount_minor, attempt.currency,
                                 attempt.expires_at or clock.now())
        return payments_service.Taken(i, request.method, share.amount_minor, key, "qr", reference, True,
                                      details={"payment_request_id": str(request_id)})
    if request.method in (Method.GIFT_CARD, Method.STORE_CREDIT):
        with db.transaction() as session:
            account = payments_service.take_from_ledger(session=session, method=request.method, amount=amount,
                                                        ref=key, code=request.gift_card_code, customer_id=customer_id)
        last = (request.gift_card_code or "")[-4:]
        return payments_service.Taken(i, request.method, share.amount_minor, key, "ledger", None, True,
                                      account_id=account, details={"last4": last} if last else {})
    if request.method == Method.CASH:
        return payments_service.Taken(i, request.method, share.amount_minor, key, "cash", None, True,
                                      tendered_minor=share.tendered_minor, change_minor=share.change_minor)
    return payments_service.Taken(i, request.method, share.amount_minor, key, "marketplace", request.external_ref,
                                  True)


def _take_pay_later(attempt: Attempt, i: int, request: TenderRequest, share: TenderShare, key: str,
                    amount: Money) -> payments_service.Taken:
    """Authorize the whole plan on the card and capture the first installment now; the job captures the rest."""
    count = request.installments if 2 <= request.installments <= 12 else 4
    parts = installment_schedule(amount, count=count, first_due=clock.now())
    gateway = gateways().for_method(Method.PAY_LATER)
    result = gateway.authorize(amount=amount, source=request.card_number or "", idempotency_key=key, capture=False)
    if result.outcome == NEEDS_ACTION:
        raise PaymentNeedsAction(result.message, next_action=result.next_action)
    if result.outcome != APPROVED or result.reference is None:
        raise PaymentDeclined(f"The card was declined: {result.message}", reason=result.message)
    first = parts[0][1]
    captured = gateway.capture(reference=result.reference, amount=first, idempotency_key=f"{key}:installment:1")
    if captured.outcome != APPROVED:
        raise PaymentDeclined(f"The first installment was declined: {captured.message}", reason=captured.message)
    return payments_service.Taken(i, request.method, share.amount_minor, key, "test_card", result.reference, True,
                                  details={"last4": result.card_last4, "installments": count,
                                           "every_days": (parts[1][0] - parts[0][0]).days,
                                           "first_capture_ref": captured.reference},
                                  captured_minor=first.amount_minor)


def _reverse(db: Database, taken: Sequence[payments_service.Taken]) -> None:
    for t in reversed(taken):
        if t.method in (Method.CARD, Method.PAY_LATER):
            gateways().for_method(Method.CARD).void(idempotency_key=t.idempotency_key)
        elif t.method in (Method.GIFT_CARD, Method.STORE_CREDIT):
            with db.transaction() as session:
                payments_service.give_back_to_ledger(session=session, ref=t.idempotency_key)


def _fail(db: Database, attempt: Attempt, taken: Sequence[payments_service.Taken], error: DomainError, *,
          reverse_index: int | None = None, from_statuses: tuple[str, ...] = (HELD, PAID)) -> None:
    _reverse(db, taken)
    if reverse_index is not None:
        # The tender that failed may have reached the gateway (a timeout): void it by its key too.
        gateways().for_method(Method.CARD).void(idempotency_key=f"{attempt.key}:{reverse_index}")
    with db.transaction() as session:
        inventory_service.release(session=session, ref=attempt.hold_ref)
        checkout_offers.release(session=session, hold_ref=attempt.hold_ref)
        session.execute(update(CheckoutAttempt).where(CheckoutAttempt.id == attempt.id,
                                                      CheckoutAttempt.status.in_(from_statuses))
                        .values(status=FAILED, error_type=error.type, error_detail=error.detail,
                                updated_at=clock.now()).execution_options(synchronize_session=False))


# -- step 3 ----------------------------------------------------------------------------------------------------

def finish(*, session: Session, attempt: CheckoutAttempt, taken: Sequence[payments_service.Taken]) -> Any:
    """Turn the holds into allocations and create the order with its payments (step 3; also the repair job's)."""
    plan = attempt.plan
    inventory_service.allocate(session=session, ref=attempt.hold_ref)
    totals, actor = plan["totals"], plan["actor"]
    location_id = uuid.UUID(plan["location_id"]) if plan["location_id"] else None
    external = plan.get("external") or {}
    new = ordering_service.NewOrder(
        channel_id=uuid.UUID(plan["channel_id"]), channel_code=plan["channel_code"], channel_kind=plan["channel_kind"],
        location_id=location_id, customer_id=uuid.UUID(plan["customer_id"]) if plan["customer_id"] else None,
        cart_id=attempt.cart_id, checkout_key=attempt.idempotency_key, hold_ref=attempt.hold_ref,
        currency=attempt.currency, subtotal_minor=totals["subtotal_minor"], tax_minor=totals["tax_minor"],
        shipping_minor=totals["shipping_minor"], discount_minor=totals["discount_minor"],
        total_minor=totals["total_minor"], points=totals["points"], email=plan["email"], phone=plan["phone"],
        delivery=plan["delivery"], sourcing=plan["sourcing"],
        external_platform=external.get("platform"), external_id=external.get("id"),
        lines=tuple(ordering_service.NewLine(uuid.UUID(ln["variant_id"]), ln["sku"], ln["name"], ln["quantity"],
                                             ln["unit_price_minor"], ln["line_total_minor"], ln["tax_minor"],
                                             ln["tax_rate_bp"], uuid.UUID(ln["location_id"]))
                    for ln in plan["lines"]))
    paid = sum(t.amount_minor for t in taken if t.captured)
    steps = [(OrderStatus.PAID, {"tenders": [t.method for t in taken]}),
             (OrderStatus.ALLOCATED, {"reason": plan["sourcing"]["reason"]})] if paid >= new.total_minor else []
    # The order is written with its final status, so its timeline, events and payments go in one insert each.
    order = ordering_service.create_order(session=session, new=new, actor=actor, paid_minor=paid, steps=steps)
    counter = plan["delivery"].get("method") == "carry_out"
    drawer = pos_service.open_session_at(session=session, location_id=location_id) if counter and location_id else None
    payments_service.record_payments(session=session, order_id=order.id, currency=attempt.currency, taken=taken,
                                     location_id=location_id, cash_session_id=drawer.id if drawer else None,
                                     actor=actor)
    if counter and order.status == OrderStatus.ALLOCATED:
        inventory_service.commit_sale(session=session, actor=None, ref=attempt.hold_ref, order_id=order.number)
        ordering_service.move(session=session, order=order, to=OrderStatus.PICKED_UP, actor=actor,
                              detail={"at": "counter"})
    checkout_offers.commit(session=session, hold_ref=attempt.hold_ref, order_id=order.id, order_number=order.number,
                           plan=plan)
    cart_service.mark_ordered(session=session, cart_id=attempt.cart_id, order_id=order.id)
    attempt.status, attempt.order_id, attempt.updated_at = PLACED, order.id, clock.now()
    attempt.tenders = [t.as_dict() for t in taken]
    session.flush()
    return order


# -- replays and repair ----------------------------------------------------------------------------------------

def _resume(db: Database, cart_id: uuid.UUID, key: str, tenders: Sequence[TenderRequest]) -> Attempt | None:
    """Take back an attempt that waits for the shopper's phone (a QR payment), if this retry is the one to do it."""
    with db.transaction() as session:
        row = session.scalar(select(CheckoutAttempt).where(CheckoutAttempt.idempotency_key == key))
        if row is None or row.status != AWAITING:
            return None
        if row.cart_id != cart_id:
            raise IdempotencyKeyReused()
        if [t.method for t in tenders] != [t["method"] for t in row.tenders]:
            raise IdempotencyKeyReused("A retry must send the same tenders as the first try")
        if row.expires_at <= clock.now():
            raise HoldExpired("The payment was not confirmed in time; the items were given back")
        taken = affected(session.execute(update(CheckoutAttempt).where(
            CheckoutAttempt.id == row.id, CheckoutAttempt.status == AWAITING, CheckoutAttempt.expires_at > clock.now())
            .values(status=HELD, updated_at=clock.now()).execution_options(synchronize_session=False)))
        return Attempt.of(row) if taken else None


def _replay(db: Database, cart_id: uuid.UUID, key: str, wait_seconds: float) -> Placed:
    deadline = time.monotonic() + wait_seconds
    while True:
        with db.transaction(read_only=True) as session:
            row = session.scalar(select(CheckoutAttempt).where(CheckoutAttempt.idempotency_key == key))
            if row is not None and row.cart_id != cart_id:
                raise IdempotencyKeyReused()
            if row is not None and row.status == PLACED and row.order_id is not None:
                order = ordering_service.get_order(session=session, order_id=row.order_id)
                return Placed(order.id, order.number, replayed=True)
            if row is not None and row.status == AWAITING:
                raise PaymentNeedsAction("The payment still waits for your confirmation", next_action="qr")
            if row is not None and row.status == FAILED:
                error = _REPLAYABLE.get(row.error_type or "", HoldExpired)
                raise error(row.error_detail or None, replayed=True)
        if time.monotonic() > deadline:
            raise CheckoutInProgress(idempotency_key=key)
        time.sleep(0.05)


def reconcile(*, session: Session, stale_after: timedelta = timedelta(minutes=2)) -> int:
    """Repair placements a crash interrupted: expired holds fail (and their tenders are reversed by the payments
    handler); paid attempts are completed into orders, or failed when their holds are gone."""
    now, repaired = clock.now(), 0
    expired = list(session.scalars(select(CheckoutAttempt).where(CheckoutAttempt.status.in_([HELD, AWAITING]),
                                                                 CheckoutAttempt.expires_at <= now).limit(200)))
    for attempt in expired:
        _give_up(session, attempt, "the hold expired before payment finished")
        repaired += 1
    stale = list(session.scalars(select(CheckoutAttempt).where(CheckoutAttempt.status == PAID,
                                                               CheckoutAttempt.updated_at <= now - stale_after)
                                 .limit(200)))
    for attempt in stale:
        taken = [payments_service.Taken.from_dict(d) for d in attempt.tenders]
        try:
            with session.begin_nested():
                finish(session=session, attempt=attempt, taken=taken)
        except (ReservationNotFound, DomainError):
            _give_up(session, attempt, "the order could not be completed after a crash")
        repaired += 1
    return repaired


def _give_up(session: Session, attempt: CheckoutAttempt, reason: str) -> None:
    inventory_service.release(session=session, ref=attempt.hold_ref)
    checkout_offers.release(session=session, hold_ref=attempt.hold_ref)
    attempt.status, attempt.error_type, attempt.error_detail = FAILED, HoldExpired.type, reason
    attempt.updated_at = clock.now()
    record(session, CheckoutFailed(attempt.id, attempt.idempotency_key, attempt.cart_id, reason, True,
                                   int(attempt.plan.get("tender_count", 0) or 0)))
