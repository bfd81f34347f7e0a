"""Ordering API: the one order list for every channel, an order's timeline, cancellation, refunds, receipts,
and the signed-in customer's own orders."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import PlainTextResponse

from omniretail.cart.dependencies import Caller, CallerDep, csrf_for_cookies, resolve_caller
from omniretail.identity.dependencies import Allowed, CurrentCustomer
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel.db import Database
from omniretail.kernel.deps import DatabaseDep, SessionDep
from omniretail.kernel.errors import PermissionDenied
from omniretail.kernel.schemas import Limit
from omniretail.ordering import changes
from omniretail.ordering import service as ordering_service
from omniretail.ordering.exceptions import OrderNotFound
from omniretail.ordering.models import Order
from omniretail.ordering.receipts import Receipt, ReceiptLine, ReceiptTender, as_text
from omniretail.ordering.schemas import CancelIn, OrderPage, OrderRead, RefundIn, RefundRead, TimelineRead
from omniretail.payments import service as payments_service

router = APIRouter(tags=["ordering"])
OrderReader = Annotated[Principal, Depends(Allowed(Permission.ORDERS_READ))]


def _visible(caller: Caller, order: Order | None) -> Order:
    if order is None:
        raise OrderNotFound()
    if caller.customer_id is not None and order.customer_id == caller.customer_id:
        return order
    if caller.staff is not None and caller.staff.can(Permission.ORDERS_READ) and ordering_service.visible_to(
            caller.staff, order):
        return order
    raise OrderNotFound()


def valid_order(order_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> ordering_service.Order:
    """The order if the caller may see it: its customer, or staff with orders.read at its location."""
    return _visible(caller, session.get(ordering_service.Order, order_id))


ValidOrder = Annotated[ordering_service.Order, Depends(valid_order)]


def _manager(caller: CallerDep, order: ValidOrder) -> str:
    if caller.staff is not None and caller.staff.can(Permission.ORDERS_MANAGE, order.location_id):
        return caller.actor
    raise PermissionDenied("You may not change this order")


@router.get("/orders", response_model=OrderPage)
def list_orders(session: SessionDep, staff: OrderReader, cursor: str | None = None, limit: Limit = 50,
                channel_id: uuid.UUID | None = None, status: str | None = Query(default=None, max_length=24)
                ) -> OrderPage:
    """Orders from every channel at the locations you may see."""
    page = ordering_service.list_orders(session=session, actor=staff, channel_id=channel_id, status=status,
                                        cursor=cursor, limit=limit)
    return OrderPage(items=[OrderRead.model_validate(o) for o in page.items], next_cursor=page.next_cursor)


@router.get("/me/orders", response_model=OrderPage)
def my_orders(session: SessionDep, customer: CurrentCustomer, cursor: str | None = None, limit: Limit = 50
              ) -> OrderPage:
    """Your own orders, from every channel."""
    page = ordering_service.list_orders(session=session, customer_id=customer.id, cursor=cursor, limit=limit)
    return OrderPage(items=[OrderRead.model_validate(o) for o in page.items], next_cursor=page.next_cursor)


@router.get("/orders/{order_id}", response_model=OrderRead)
def get_order(order: ValidOrder) -> OrderRead:
    """One order with its channel, location, lines and sourcing decision."""
    return OrderRead.model_validate(order)


@router.get("/orders/{order_id}/timeline", response_model=list[TimelineRead])
def order_timeline(order: ValidOrder, session: SessionDep) -> list[TimelineRead]:
    """Everything that happened to the order, with who did it."""
    return [TimelineRead.model_validate(e) for e in ordering_service.timeline(session=session, order_id=order.id)]


def _manager_check(request: Request, db: Database, order_id: uuid.UUID) -> tuple[str, Callable[[Order], None]]:
    """Who is asking, and the check (run under the order's row lock) that they may change this order."""
    with db.transaction() as session:
        caller = resolve_caller(request, session)
        _visible(caller, session.get(ordering_service.Order, order_id))

    def check(order: Order) -> None:
        if caller.staff is None or not caller.staff.can(Permission.ORDERS_MANAGE, order.location_id):
            raise PermissionDenied("You may not change this order")

    return caller.actor, check


@router.post("/orders/{order_id}/cancel", response_model=OrderRead, dependencies=[Depends(csrf_for_cookies)])
def cancel_order(order_id: uuid.UUID, body: CancelIn, request: Request, db: DatabaseDep,
                 idempotency_key: Annotated[str | None, Header(alias="idempotency-key", min_length=8,
                                                                max_length=200)] = None) -> OrderRead:
    """Cancel before fulfilment: stock goes back and every tender is refunded (once, however often retried)."""
    actor, check = _manager_check(request, db, order_id)
    changes.cancel_order(db=db, order_id=order_id, actor=actor, reason=body.reason, check=check)
    with db.transaction(read_only=True) as session:
        return OrderRead.model_validate(ordering_service.get_order(session=session, order_id=order_id))


@router.post("/orders/{order_id}/refunds", status_code=201, response_model=list[RefundRead],
             dependencies=[Depends(csrf_for_cookies)])
def refund_order(order_id: uuid.UUID, body: RefundIn, request: Request, db: DatabaseDep,
                 idempotency_key: Annotated[str, Header(alias="idempotency-key", min_length=8, max_length=200)]
                 ) -> list[RefundRead]:
    """Refund part of an order to its tenders in the order they were taken, or to store credit; the same key
    refunds once."""
    actor, check = _manager_check(request, db, order_id)
    done = changes.refund_order(db=db, order_id=order_id, amount_minor=body.amount_minor,
                                idempotency_key=idempotency_key, to_store_credit=body.to_store_credit, actor=actor,
                                check=check)
    return [RefundRead.model_validate(d) for d in done]


@router.get("/orders/{order_id}/receipt", response_model=None)
def order_receipt(order: ValidOrder, session: SessionDep, format: Literal["json", "text"] = "json"
                  ) -> Receipt | PlainTextResponse:
    """The receipt: lines, taxes, tenders, change and points; ``format=text`` gives 80 mm ESC/POS text."""
    payments = payments_service.payments_of(session=session, order_id=order.id)
    store = (inventory_service.get_location(session=session, location_id=order.location_id).name
             if order.location_id else order.channel_code)
    taxes: dict[int, int] = {}
    for line in order.lines:
        taxes[line.tax_rate_bp] = taxes.get(line.tax_rate_bp, 0) + line.tax_minor
    placed_by = next((e.actor for e in ordering_service.timeline(session=session, order_id=order.id)), "")
    receipt = Receipt(store=store, number=order.number, issued_at=order.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                      cashier=placed_by.removeprefix("staff:"), currency=order.currency,
                      lines=tuple(ReceiptLine(ln.name, ln.sku, ln.quantity, ln.unit_price_minor, ln.line_total_minor)
                                  for ln in order.lines),
                      taxes=tuple(sorted(taxes.items())), total_minor=order.total_minor,
                      tenders=tuple(ReceiptTender(p.method, p.amount_minor, p.tendered_minor, p.change_minor,
                                                  p.details.get("last4")) for p in payments),
                      change_minor=sum(p.change_minor for p in payments), points=order.points)
    if format == "text":
        return PlainTextResponse(as_text(receipt), media_type="text/plain; charset=utf-8")
    return receipt
