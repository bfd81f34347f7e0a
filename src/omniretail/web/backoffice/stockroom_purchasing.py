"""Back-office purchasing pages: suppliers, purchase orders (draft from the reorder suggestions, send, receive
in part or in full) with on hand and on order side by side. Included by ``stockroom.router``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from omniretail.identity.dependencies import OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.inventory.purchasing import service as purchasing_service
from omniretail.inventory.rules import PurchaseOrderStatus
from omniretail.kernel import clock
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import DomainError, FieldError, InvalidInput, NotFound
from omniretail.kernel.i18n import N_
from omniretail.kernel.money import Money
from omniretail.web.backoffice.stockroom_kit import (
    CSRF,
    FormData,
    Text,
    attempt,
    back,
    every,
    login,
    names_of,
    parse_uuid,
    problem,
    quantities,
    refs_of,
    require,
    sku_of,
)
from omniretail.web.backoffice.tables import PAGE_SIZE, csv_response, link
from omniretail.web.templates import locale_for, render

router = APIRouter(include_in_schema=False)


SUPPLIER_COLUMNS = ["code", "name", "currency", "email", "items"]
PO_COLUMNS = ["number", "supplier", "store", "status", "currency", "ordered", "received", "value", "expected"]


def _money(minor: int, currency: str, locale: str) -> str:
    return Money(minor, currency).format(locale)


def _all_suppliers(session: Session) -> list[Any]:
    return every(lambda c: purchasing_service.page_suppliers(session=session, cursor=c, limit=200))


@router.get("/admin/suppliers")
def suppliers(request: Request, session: SessionDep, staff: OptionalStaff, cursor: Text = None,
              format: Text = None) -> Response:
    """Suppliers with the items they sell, their cost and lead time."""
    if staff is None:
        return login("/admin/suppliers")
    require(staff, Permission.PURCHASING_MANAGE)
    if format == "csv":
        return csv_response(f"suppliers-{clock.now():%Y%m%d-%H%M}.csv", SUPPLIER_COLUMNS, [
            [s.code, s.name, s.currency, s.email or "", len(s.items)] for s in _all_suppliers(session)])
    found = purchasing_service.page_suppliers(session=session, cursor=cursor, limit=PAGE_SIZE)
    refs = refs_of(session, [i.variant_id for s in found.items for i in s.items])
    locale = locale_for(request)
    return render(request, "backoffice/stockroom/suppliers.html", {
        "staff": staff, "suppliers": [{"s": s, "items": [
            {"sku": sku_of(refs, i.variant_id), "cost": _money(i.cost_minor, s.currency, locale),
             "lead": i.lead_time_days, "moq": i.min_order_quantity} for i in s.items]} for s in found.items],
        "next": link("/admin/suppliers", {}, cursor=found.next_cursor) if found.next_cursor else None,
        "csv": "/admin/suppliers?format=csv"})


def _suggestion_groups(session: Session, staff: Principal) -> list[dict[str, Any]]:
    """The reorder suggestions at the caller's stores, one group per supplier and store (one draft each)."""
    allowed = staff.locations_for(Permission.PURCHASING_MANAGE)
    found = purchasing_service.suggested_orders(session=session,
                                                location_ids=sorted(allowed) if allowed is not None else None)
    refs = refs_of(session, [s.variant_id for s in found])
    groups: dict[tuple[uuid.UUID | None, uuid.UUID], dict[str, Any]] = {}
    for s in found:
        group = groups.setdefault((s.supplier_id, s.location_id), {
            "supplier_id": s.supplier_id, "location_id": s.location_id, "lines": []})
        group["lines"].append({"variant_id": s.variant_id, "sku": sku_of(refs, s.variant_id),
                               "available": s.available, "on_order": s.on_order, "min": s.min_quantity,
                               "max": s.max_quantity, "quantity": s.quantity})
    return list(groups.values())


def _purchase_orders_page(request: Request, session: Session, staff: Principal, status: str | None,
                          cursor: str | None, error: DomainError | None = None) -> Response:
    found = purchasing_service.page_purchase_orders(session=session, actor=staff, status=status, cursor=cursor,
                                                    limit=PAGE_SIZE)
    supplier_names = {s.id: s.name for s in _all_suppliers(session)}
    params = {"status": status}
    return render(request, "backoffice/stockroom/purchase_orders.html", {
        "staff": staff, "params": params, "statuses": list(PurchaseOrderStatus), "orders": found.items,
        "names": names_of(session), "suppliers": supplier_names, "groups": _suggestion_groups(session, staff),
        "error": problem(error) if error else None,
        "next": link("/admin/purchase-orders", params, cursor=found.next_cursor) if found.next_cursor else None,
        "csv": link("/admin/purchase-orders", params, format="csv")}, status=error.status if error else 200)


@router.get("/admin/purchase-orders")
def purchase_orders(request: Request, session: SessionDep, staff: OptionalStaff, status: Text = None,
                    cursor: Text = None, format: Text = None) -> Response:
    """Purchase orders for the caller's stores and what the reorder points suggest ordering now."""
    if staff is None:
        return login("/admin/purchase-orders")
    require(staff, Permission.PURCHASING_MANAGE)
    status = status if status in set(PurchaseOrderStatus) else None
    if format == "csv":
        names = names_of(session)
        suppliers_by_id = {s.id: s.name for s in _all_suppliers(session)}
        found = every(lambda c: purchasing_service.page_purchase_orders(session=session, actor=staff,
                                                                        status=status, cursor=c, limit=200))
        return csv_response(f"purchase-orders-{clock.now():%Y%m%d-%H%M}.csv", PO_COLUMNS, [
            [o.number, suppliers_by_id.get(o.supplier_id, ""), names.get(o.location_id, ""), o.status, o.currency,
             sum(ln.quantity_ordered for ln in o.lines), sum(ln.quantity_received for ln in o.lines),
             Money(sum(ln.quantity_ordered * ln.cost_minor for ln in o.lines), o.currency).to_decimal(),
             o.expected_at.date().isoformat() if o.expected_at else ""] for o in found])
    return _purchase_orders_page(request, session, staff, status, cursor)


@router.post("/admin/purchase-orders", dependencies=CSRF)
def draft_purchase_order(request: Request, session: SessionDep, staff: OptionalStaff, form: FormData) -> Response:
    """Draft an order to a supplier for one store from the suggested quantities."""
    if staff is None:
        return login("/admin/purchase-orders")
    require(staff, Permission.PURCHASING_MANAGE)
    supplier_id, location_id = parse_uuid(form.get("supplier_id")), parse_uuid(form.get("location_id"))

    def run() -> Any:
        if supplier_id is None or location_id is None:
            raise InvalidInput(N_("Some fields are not valid"),
                               errors=[FieldError(("form", "supplier_id"), "choose a supplier and a store")])
        lines = [purchasing_service.OrderLineInput(v, q) for v, q in sorted(quantities(form).items()) if q]
        return purchasing_service.draft_purchase_order(session=session, actor=staff, supplier_id=supplier_id,
                                                       location_id=location_id, lines=lines)

    made = attempt(session, run)
    if isinstance(made, DomainError):
        return _purchase_orders_page(request, session, staff, None, None, made)
    return back(f"/admin/purchase-orders/{made.id}")


def _purchase_order(session: Session, staff: Principal, purchase_order_id: str) -> Any:
    parsed = parse_uuid(purchase_order_id)
    if parsed is None:
        raise NotFound(N_("No such purchase order"))
    order = purchasing_service.get_purchase_order(session=session, actor=None, purchase_order_id=parsed)
    require(staff, Permission.PURCHASING_MANAGE, order.location_id)
    return order


def _purchase_order_page(request: Request, session: Session, staff: Principal, order: Any,
                         error: DomainError | None = None) -> Response:
    variants = [ln.variant_id for ln in order.lines]
    refs = refs_of(session, variants)
    stock = {a.variant_id: a for a in inventory_service.availability(session=session, variant_ids=variants,
                                                                      location_ids=[order.location_id])}
    ordered = purchasing_service.on_order(session=session, variant_ids=variants, location_ids=[order.location_id])
    locale = locale_for(request)
    supplier = purchasing_service.get_supplier(session=session, supplier_id=order.supplier_id)
    return render(request, "backoffice/stockroom/purchase_order.html", {
        "staff": staff, "o": order, "supplier": supplier, "store": names_of(session).get(order.location_id, ""),
        "error": problem(error) if error else None,
        "total": _money(sum(ln.quantity_ordered * ln.cost_minor for ln in order.lines), order.currency, locale),
        "lines": [{"variant_id": ln.variant_id, "sku": sku_of(refs, ln.variant_id),
                   "name": refs[ln.variant_id].name if ln.variant_id in refs else "",
                   "ordered": ln.quantity_ordered, "received": ln.quantity_received,
                   "outstanding": max(ln.quantity_ordered - ln.quantity_received, 0),
                   "cost": _money(ln.cost_minor, order.currency, locale),
                   "on_hand": stock[ln.variant_id].on_hand if ln.variant_id in stock else 0,
                   "on_order": ordered.get((ln.variant_id, order.location_id), 0)} for ln in order.lines]},
        status=error.status if error else 200)


@router.get("/admin/purchase-orders/{purchase_order_id}")
def purchase_order_detail(purchase_order_id: str, request: Request, session: SessionDep,
                          staff: OptionalStaff) -> Response:
    """One purchase order: ordered, received, on hand and on order side by side."""
    if staff is None:
        return login("/admin/purchase-orders")
    return _purchase_order_page(request, session, staff, _purchase_order(session, staff, purchase_order_id))


@router.post("/admin/purchase-orders/{purchase_order_id}/{step}", dependencies=CSRF)
def purchase_order_step(purchase_order_id: str, step: str, request: Request, session: SessionDep,
                        staff: OptionalStaff, form: FormData) -> Response:
    """Send, receive (all outstanding, or the quantities typed) or cancel a purchase order."""
    if staff is None:
        return login("/admin/purchase-orders")
    order = _purchase_order(session, staff, purchase_order_id)
    received = quantities(form)

    def receive() -> Any:
        if form.get("all") != "1" and not any(received.values()):
            raise InvalidInput(N_("Some fields are not valid"),
                               errors=[FieldError(("form", "lines"), "type what arrived, or receive everything")])
        return purchasing_service.receive_purchase_order(session=session, actor=staff, purchase_order_id=order.id,
                                                         received=None if form.get("all") == "1" else received)

    actions: dict[str, Callable[[], Any]] = {
        "send": lambda: purchasing_service.send_purchase_order(session=session, actor=staff,
                                                               purchase_order_id=order.id),
        "receive": receive,
        "cancel": lambda: purchasing_service.cancel_purchase_order(session=session, actor=staff,
                                                                   purchase_order_id=order.id)}
    if step not in actions:
        raise NotFound(N_("No such step"))
    done = attempt(session, actions[step])
    if isinstance(done, DomainError):
        session.refresh(order)
        return _purchase_order_page(request, session, staff, order, done)
    return back(f"/admin/purchase-orders/{order.id}")
