"""Ordering API: the one order list for every channel, an order's timeline, cancellation, refunds, receipts,
and the signed-in customer's own orders."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import PlainTextResponse, Response

from omniretail.cart.dependencies import Caller, CallerDep, csrf_for_cookies, resolve_caller
from omniretail.identity.dependencies import Allowed, CurrentCustomer
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.db import Database
from omniretail.kernel.deps import DatabaseDep, SessionDep
from omniretail.kernel.errors import PermissionDenied
from omniretail.kernel.i18n import current_locale
from omniretail.kernel.schemas import Limit
from omniretail.ordering import changes, edits
from omniretail.ordering import service as ordering_service
from omniretail.ordering.exceptions import OrderNotFound
from omniretail.ordering.models import Order
from omniretail.ordering.receipts import Receipt, as_pdf, as_text
from omniretail.ordering.schemas import (
    CancelIn,
    InstallmentRead,
    OrderEditIn,
    OrderEditRead,
    OrderPage,
    OrderRead,
    ReceiptEmailIn,
    ReceiptEmailRead,
    RefundIn,
    RefundRead,
    TimelineRead,
)
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


@router.get("/orders/{order_id}/installments", response_model=list[InstallmentRead])
def order_installments(order: ValidOrder, session: SessionDep) -> list[InstallmentRead]:
    """The pay-later schedule: each installment's due date, amount, status and attempts."""
    return [InstallmentRead.model_validate(i)
            for i in payments_service.installments_of(session=session, order_id=order.id)]


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


@router.post("/orders/{order_id}/edits", response_model=OrderEditRead, dependencies=[Depends(csrf_for_cookies)])
def edit_order(order_id: uuid.UUID, body: OrderEditIn, request: Request, db: DatabaseDep,
               idempotency_key: Annotated[str, Header(alias="idempotency-key", min_length=8, max_length=200)]
               ) -> OrderEditRead:
    """Change quantities, remove or add lines, or change the address before picking starts; the difference is
    refunded to the original tenders, or the extra is taken from ``card_number``. The same key edits once."""
    actor, check = _manager_check(request, db, order_id)
    result = edits.edit_order(db=db, order_id=order_id, idempotency_key=idempotency_key, actor=actor, check=check,
                              change=edits.EditRequest({ln.sku: ln.quantity for ln in body.lines},
                                                       body.address.model_dump() if body.address else None),
                              card_number=body.card_number)
    with db.transaction(read_only=True) as session:
        order = OrderRead.model_validate(ordering_service.get_order(session=session, order_id=order_id))
    return OrderEditRead(order=order, old_total_minor=result.old_total_minor, new_total_minor=result.new_total_minor,
                         charged_minor=result.charged_minor, replayed=result.replayed,
                         refunds=[RefundRead.model_validate(d) for d in result.refunds])


@router.get("/orders/{order_id}/receipt", response_model=None)
def order_receipt(order: ValidOrder, session: SessionDep, format: Literal["json", "text"] = "json"
                  ) -> Receipt | PlainTextResponse:
    """The receipt: lines, taxes, tenders, change and points; ``format=text`` gives 80 mm ESC/POS text."""
    receipt = ordering_service.receipt_for(session=session, order=order)
    if format == "text":
        return PlainTextResponse(as_text(receipt, locale=current_locale.get()), media_type="text/plain; charset=utf-8")
    return receipt


@router.get("/orders/{order_id}/receipt.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def order_receipt_pdf(order: ValidOrder, session: SessionDep) -> Response:
    """The receipt as an A4-width PDF (to download, print or attach)."""
    receipt = ordering_service.receipt_for(session=session, order=order)
    return Response(as_pdf(receipt, locale=current_locale.get()), media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="receipt-{order.number}.pdf"'})


@router.post("/orders/{order_id}/receipt/email", status_code=202, response_model=ReceiptEmailRead,
             dependencies=[Depends(csrf_for_cookies)])
def email_receipt(order: ValidOrder, body: ReceiptEmailIn, session: SessionDep) -> ReceiptEmailRead:
    """E-mail the receipt (to the order's address, or the one given); it is sent after commit by a handler."""
    to = ordering_service.request_receipt_email(session=session, order=order, to=body.email,
                                                locale=current_locale.get())
    return ReceiptEmailRead(to=to)
