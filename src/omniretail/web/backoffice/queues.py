"""Back-office work queues: shipments to pick, pack, label and ship; the delay queue; returns to receive and
inspect. Each queue only holds what the staff member's grants cover, and every action checks the store again."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from omniretail.fulfillment import service as fulfillment_service
from omniretail.fulfillment.rules import ShipmentStatus, TrackingKind
from omniretail.identity import service as identity_service
from omniretail.identity.dependencies import STAFF_COOKIE, OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel import clock
from omniretail.kernel.deps import DatabaseDep, SessionDep
from omniretail.kernel.errors import DomainError, FieldError, InvalidInput, NotFound, PermissionDenied
from omniretail.kernel.http import client_ip
from omniretail.kernel.i18n import N_
from omniretail.kernel.money import Money
from omniretail.ordering import service as ordering_service
from omniretail.returns import receiving
from omniretail.returns import service as returns_service
from omniretail.returns.rules import Condition, ReturnStatus
from omniretail.web.backoffice.stockroom_kit import (
    CSRF,
    EXPORT_CAP,
    FormData,
    Text,
    attempt,
    back,
    login,
    names_of,
    parse_uuid,
    problem,
    require,
    stores,
)
from omniretail.web.backoffice.tables import PAGE_SIZE, Paging, csv_response, link, page_number
from omniretail.web.templates import locale_for, render

router = APIRouter(include_in_schema=False)

# What each view of the fulfilment queue holds: work still to do by default.
VIEWS: dict[str, tuple[str, ...]] = {
    "todo": (ShipmentStatus.OPEN.value, ShipmentStatus.PACKED.value),
    "open": (ShipmentStatus.OPEN.value,),
    "packed": (ShipmentStatus.PACKED.value,),
    "shipped": (ShipmentStatus.PICKED_UP.value, ShipmentStatus.IN_TRANSIT.value,
                ShipmentStatus.OUT_FOR_DELIVERY.value),
    "problems": (ShipmentStatus.FAILED_ATTEMPT.value, ShipmentStatus.EXCEPTION.value),
    "delivered": (ShipmentStatus.DELIVERED.value,),
}
SHIPMENT_COLUMNS = ["number", "order", "store", "status", "items", "carrier", "service", "tracking", "promised_by",
                    "packed", "shipped"]
DELAY_COLUMNS = ["detected", "kind", "order", "store", "reason"]
RETURN_COLUMNS = ["rma", "order", "status", "via", "store", "items", "refund", "currency", "requested", "received"]


def _store_filter(session: Session, staff: Principal, permission: Permission, raw: str | None
                  ) -> tuple[list[Any], uuid.UUID | None]:
    places = stores(session, staff, permission)
    where = parse_uuid(raw)
    if where is not None:
        require(staff, permission, where)
    return places, where


# --- fulfilment --------------------------------------------------------------------------------------------

def _fulfilment_page(request: Request, session: Session, staff: Principal, store: str | None, view: str | None,
                     page: str | None, csv: bool = False, error: DomainError | None = None) -> Response:
    require(staff, Permission.FULFILLMENT_MANAGE)
    places, where = _store_filter(session, staff, Permission.FULFILLMENT_MANAGE, store)
    view = view if view in VIEWS else "todo"
    allowed = staff.locations_for(Permission.FULFILLMENT_MANAGE)
    paging = Paging(page_number(page), PAGE_SIZE, 0)
    found, total = fulfillment_service.search_shipments(
        session=session, location_ids=allowed, location_id=where, statuses=VIEWS[view],
        offset=0 if csv else paging.offset, limit=EXPORT_CAP if csv else paging.size)
    names = names_of(session)
    rows = [{"id": s.id, "number": s.number, "order": s.order_number, "store": names.get(s.location_id, ""),
             "status": s.status, "items": sum(ln.quantity for ln in s.lines), "carrier": s.carrier or "",
             "service": s.service_code or "", "tracking": s.tracking_number or "",
             "promised_by": s.promised_by.isoformat() if s.promised_by else "",
             "packed": s.packed_at.strftime("%Y-%m-%d %H:%M") if s.packed_at else "",
             "shipped": s.shipped_at.strftime("%Y-%m-%d %H:%M") if s.shipped_at else "",
             "lines": ", ".join(f"{ln.quantity} x {ln.sku}" for ln in s.lines)} for s in found]
    if csv:
        return csv_response(f"shipments-{clock.now():%Y%m%d-%H%M}.csv", SHIPMENT_COLUMNS,
                            [[r[c] for c in SHIPMENT_COLUMNS] for r in rows])
    params = {"store": str(where) if where else None, "view": view if view != "todo" else None}
    picks = fulfillment_service.pick_list(session=session, actor=staff, location_id=where) if where else None
    return render(request, "backoffice/queues/fulfilment.html", {
        "staff": staff, "stores": places, "params": params, "views": list(VIEWS), "view": view, "rows": rows,
        "picks": picks, "paging": Paging(paging.page, paging.size, total),
        "error": problem(error) if error else None,
        "link": lambda **kw: link("/admin/fulfilment", params, **kw)}, status=error.status if error else 200)


@router.get("/admin/fulfilment")
def fulfilment(request: Request, session: SessionDep, staff: OptionalStaff, store: Text = None,
               view: Text = None, page: Text = None, format: Text = None) -> Response:
    """Shipments to pick, pack, label and ship at the caller's stores, with the pick list of one store."""
    if staff is None:
        return login("/admin/fulfilment")
    return _fulfilment_page(request, session, staff, store, view, page, csv=format == "csv")


@router.post("/admin/fulfilment/start", dependencies=CSRF)
def start_picking(request: Request, session: SessionDep, staff: OptionalStaff, form: FormData) -> Response:
    """Open the shipments of an order (by its number) and put them on the pick list."""
    if staff is None:
        return login("/admin/fulfilment")
    require(staff, Permission.FULFILLMENT_MANAGE)

    def run() -> Any:
        ref = form.get("order", "")
        if not ref:
            raise InvalidInput(N_("Some fields are not valid"), errors=[FieldError(("form", "order"), "missing")])
        order = ordering_service.find_order(session=session, ref=ref)
        return fulfillment_service.start_shipments(session=session, actor=staff, order_id=order.id)

    done = attempt(session, run)
    if isinstance(done, DomainError):
        return _fulfilment_page(request, session, staff, None, None, None, error=done)
    return back("/admin/fulfilment")


def _shipment(session: Session, staff: Principal, shipment_id: str) -> Any:
    parsed = parse_uuid(shipment_id)
    if parsed is None:
        raise NotFound(N_("No such shipment"))
    shipment = fulfillment_service.get_shipment(session=session, shipment_id=parsed)
    require(staff, Permission.FULFILLMENT_MANAGE, shipment.location_id)
    return shipment


@router.get("/admin/fulfilment/{shipment_id}/label.pdf")
def shipment_label(shipment_id: str, session: SessionDep, staff: OptionalStaff) -> Response:
    """The packed shipment's carrier label as a PDF to print."""
    if staff is None:
        return login("/admin/fulfilment")
    shipment = _shipment(session, staff, shipment_id)
    pdf = fulfillment_service.label_pdf(session=session, shipment=shipment)
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{shipment.number}.pdf"'})


@router.post("/admin/fulfilment/{shipment_id}/{step}", dependencies=CSRF)
def shipment_step(shipment_id: str, step: str, request: Request, session: SessionDep, staff: OptionalStaff
                  ) -> Response:
    """Pack a picked shipment (box, carrier, label) or hand a packed one to the carrier (shipped)."""
    if staff is None:
        return login("/admin/fulfilment")
    shipment = _shipment(session, staff, shipment_id)
    if step == "pack":
        done: Any = attempt(session, lambda: fulfillment_service.pack(session=session, actor=staff,
                                                                      shipment_id=shipment.id))
    elif step == "ship":
        done = attempt(session, lambda: fulfillment_service.track_by_staff(
            session=session, actor=staff, shipment_id=shipment.id, kind=TrackingKind.PICKED_UP.value,
            note="handed to the carrier"))
    else:
        raise NotFound(N_("No such step"))
    if isinstance(done, DomainError):
        return _fulfilment_page(request, session, staff, str(shipment.location_id), None, None, error=done)
    return back(f"/admin/fulfilment?store={shipment.location_id}")


@router.get("/admin/fulfilment/delays")
def delays(request: Request, session: SessionDep, staff: OptionalStaff, store: Text = None,
           format: Text = None) -> Response:
    """Late shipments and orders not dispatched in time at the caller's stores, oldest first."""
    if staff is None:
        return login("/admin/fulfilment/delays")
    require(staff, Permission.FULFILLMENT_MANAGE)
    places, where = _store_filter(session, staff, Permission.FULFILLMENT_MANAGE, store)
    allowed = staff.locations_for(Permission.FULFILLMENT_MANAGE)
    scope = frozenset([where]) if where is not None else (frozenset(allowed) if allowed is not None else None)
    found = fulfillment_service.open_delays(session=session, location_ids=scope,
                                            limit=EXPORT_CAP if format == "csv" else 500)
    names = names_of(session)
    rows = [{"detected": d.detected_at.strftime("%Y-%m-%d %H:%M"), "kind": d.kind, "order": d.order_number,
             "order_id": d.order_id, "store": names.get(d.location_id, "") if d.location_id else "",
             "reason": d.reason} for d in found]
    if format == "csv":
        return csv_response(f"delays-{clock.now():%Y%m%d-%H%M}.csv", DELAY_COLUMNS,
                            [[r[c] for c in DELAY_COLUMNS] for r in rows])
    params = {"store": str(where) if where else None}
    return render(request, "backoffice/queues/delays.html", {
        "staff": staff, "stores": places, "params": params, "rows": rows,
        "may_read_orders": staff.can(Permission.ORDERS_READ), "csv": link("/admin/fulfilment/delays", params,
                                                                          format="csv")})


# --- returns -----------------------------------------------------------------------------------------------

def _returns_page(request: Request, session: Session, staff: Principal, status: str | None, store: str | None,
                  page: str | None, csv: bool = False) -> Response:
    require(staff, Permission.RETURNS_MANAGE)
    places, where = _store_filter(session, staff, Permission.RETURNS_MANAGE, store)
    status = status if status in set(ReturnStatus) else None
    paging = Paging(page_number(page), PAGE_SIZE, 0)
    found, total = returns_service.search_returns(session=session, actor=staff, status=status, location_id=where,
                                                  offset=0 if csv else paging.offset,
                                                  limit=EXPORT_CAP if csv else paging.size)
    names = names_of(session)
    locale = locale_for(request)
    rows = [{"id": r.id, "rma": r.rma, "order": r.order_number, "status": r.status, "via": r.via,
             "store": names.get(r.received_location_id or r.location_id or uuid.UUID(int=0), ""),
             "items": sum(ln.quantity for ln in r.lines),
             "refund": Money(r.refund_minor, r.currency).to_decimal() if csv else
             Money(r.refund_minor, r.currency).format(locale), "currency": r.currency,
             "requested": r.created_at.strftime("%Y-%m-%d %H:%M"),
             "received": r.received_at.strftime("%Y-%m-%d %H:%M") if r.received_at else ""} for r in found]
    if csv:
        return csv_response(f"returns-{clock.now():%Y%m%d-%H%M}.csv", RETURN_COLUMNS,
                            [[r[c] for c in RETURN_COLUMNS] for r in rows])
    params = {"status": status, "store": str(where) if where else None}
    return render(request, "backoffice/queues/returns.html", {
        "staff": staff, "stores": places, "params": params, "statuses": list(ReturnStatus), "rows": rows,
        "paging": Paging(paging.page, paging.size, total),
        "link": lambda **kw: link("/admin/returns", params, **kw)})


@router.get("/admin/returns")
def returns_queue(request: Request, session: SessionDep, staff: OptionalStaff, status: Text = None,
                  store: Text = None, page: Text = None, format: Text = None) -> Response:
    """Returns requested, on their way and to inspect, at the caller's stores."""
    if staff is None:
        return login("/admin/returns")
    return _returns_page(request, session, staff, status, store, page, csv=format == "csv")


def _visible_return(session: Session, staff: Principal, return_id: str) -> Any:
    parsed = parse_uuid(return_id)
    if parsed is None:
        raise NotFound(N_("No such return"))
    ret = returns_service.get_return(session=session, return_id=parsed)
    if not staff.can(Permission.RETURNS_MANAGE) or not returns_service.visible_to(staff, ret):
        raise PermissionDenied(N_("This page is for another store or another role"))
    return ret


def _return_page(request: Request, session: Session, staff: Principal, ret: Any,
                 error: DomainError | None = None) -> Response:
    locale = locale_for(request)
    return render(request, "backoffice/queues/return.html", {
        "staff": staff, "r": ret, "names": names_of(session), "conditions": list(Condition),
        "receivers": stores(session, staff, Permission.RETURNS_MANAGE),
        "money": lambda minor: Money(minor, ret.currency).format(locale),
        "error": problem(error) if error else None}, status=error.status if error else 200)


@router.get("/admin/returns/{return_id}")
def return_detail(return_id: str, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """One return: its items and reasons, and the inspection form when it has arrived."""
    if staff is None:
        return login("/admin/returns")
    return _return_page(request, session, staff, _visible_return(session, staff, return_id))


def _staff_of(request: Request, db: Any) -> Principal | None:
    """The signed-in staff member, read in a short transaction of its own (receiving owns its transactions)."""
    cookie = request.cookies.get(STAFF_COOKIE)
    if not cookie:
        return None
    with db.transaction(read_only=True) as session:
        return identity_service.staff_for_session(session=session, raw=cookie, ip=client_ip(request))


@router.post("/admin/returns/{return_id}/receive", dependencies=CSRF)
def receive_return(return_id: str, request: Request, db: DatabaseDep, form: FormData) -> Response:
    """Inspect the parcel at a store: resellable items are restocked there, damaged ones written off, and the
    refund goes out. Receiving the same return twice refunds once."""
    staff = _staff_of(request, db)
    if staff is None:
        return login("/admin/returns")
    with db.transaction(read_only=True) as session:
        ret = _visible_return(session, staff, return_id)
        ret_id, variants = ret.id, [ln.variant_id for ln in ret.lines]
    where = parse_uuid(form.get("location_id"))
    conditions = {v: form.get(f"condition-{v}", Condition.RESELLABLE.value) for v in variants}
    try:
        if where is None or not staff.can(Permission.RETURNS_MANAGE, where):
            raise InvalidInput(N_("Some fields are not valid"),
                               errors=[FieldError(("form", "location_id"), "choose one of your stores")])
        if any(c not in set(Condition) for c in conditions.values()):
            raise InvalidInput(N_("Some fields are not valid"),
                               errors=[FieldError(("form", "condition"), "unknown condition")])
        receiving.receive(db=db, return_id=ret_id, actor=staff, location_id=where, conditions=conditions)
    except DomainError as error:
        with db.transaction(read_only=True) as session:
            return _return_page(request, session, staff, returns_service.get_return(session=session,
                                                                                    return_id=ret_id), error)
    return back(f"/admin/returns/{ret_id}")
