"""Back-office pages: the home page with today's figures, orders from every channel, and stock by location.

Every page checks the staff member's permission at the store it shows; a list only ever contains what their
grants cover, and a page of another store's order answers 403 (the lists never link to it).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.identity import service as identity_service
from omniretail.identity.dependencies import OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import NotFound, PermissionDenied
from omniretail.kernel.money import Money
from omniretail.ordering import queries as order_queries
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus
from omniretail.web.backoffice.tables import PAGE_SIZE, Paging, csv_response, link, page_number
from omniretail.web.templates import locale_for, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=100)]


def _money(minor: int, currency: str, locale: str) -> str:
    return Money(minor, currency).format(locale)


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def _login(area: str = "/admin") -> Response:
    return RedirectResponse(f"/admin/login?next={area}", status_code=303)


def _stores(session: Any, staff: Principal, permission: Permission) -> list[Any]:
    allowed = staff.locations_for(permission)
    return [loc for loc in inventory_service.list_locations(session=session)
            if allowed is None or loc.id in allowed]


@router.get("/admin")
def home(request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    locale = locale_for(request)
    today = clock.now().astimezone(UTC).date()
    start = datetime.combine(today, time.min, tzinfo=UTC)
    figures = None
    if staff.can(Permission.ORDERS_READ):
        rows = order_queries.figures(session=session, actor=staff, since=start, until=start + timedelta(days=1))
        week = order_queries.figures(session=session, actor=staff, since=start - timedelta(days=6),
                                     until=start + timedelta(days=1))
        figures = {"today": [(r.channel_code, r.orders, _money(r.revenue_minor, r.currency, locale)) for r in rows],
                   "week": [(r.channel_code, r.orders, _money(r.revenue_minor, r.currency, locale)) for r in week],
                   "orders_today": sum(r.orders for r in rows)}
    people = (identity_service.list_staff(session=session, actor=staff, cursor=None, limit=50)
              if staff.can(Permission.STAFF_MANAGE) else None)
    audit = (identity_service.list_audit(session=session, actor=staff, cursor=None, limit=200)
             if staff.can(Permission.AUDIT_READ) else None)
    return render(request, "backoffice/home.html", {
        "staff": staff, "figures": figures, "day": today.isoformat(),
        "people": people.items if people else None,
        "audit": list(reversed(audit.items))[:20] if audit else None})


# --- orders -----------------------------------------------------------------------------------------------

ORDER_COLUMNS = ["number", "created", "channel", "store", "status", "customer", "total", "paid", "refunded",
                 "currency"]


@router.get("/admin/orders")
def orders(request: Request, session: SessionDep, staff: OptionalStaff, channel: Text = None, store: Text = None,
           status: Text = None, q: Text = None, sort: Text = None, page: Text = None,
           format: Text = None) -> Response:
    if staff is None:
        return _login("/admin/orders")
    if not staff.can(Permission.ORDERS_READ):
        raise PermissionDenied("Your roles do not include reading orders")
    locale = locale_for(request)
    channels = channels_service.list_channels(session=session)
    stores = _stores(session, staff, Permission.ORDERS_READ)
    store_names: dict[uuid.UUID | None, str] = {
        loc.id: loc.name for loc in inventory_service.list_locations(session=session)}
    sort_key: order_queries.OrderSort = sort if sort in get_args(order_queries.OrderSort) else "-created"  # type: ignore[assignment]
    where = order_queries.OrderFilter(
        channel_id=next((c.id for c in channels if c.code == channel), None),
        location_id=next((s.id for s in stores if str(s.id) == store), None),
        status=status if status in set(OrderStatus) else None, text=q or None)
    params = {"channel": channel, "store": store, "status": where.status, "q": q, "sort": sort_key}
    if format == "csv":
        rows = [[o.number, o.created_at.isoformat(), o.channel_code, store_names.get(o.location_id, ""), o.status,
                 o.email or "", Money(o.total_minor, o.currency).to_decimal(),
                 Money(o.paid_minor, o.currency).to_decimal(), Money(o.refunded_minor, o.currency).to_decimal(),
                 o.currency]
                for o in order_queries.each_order(session=session, actor=staff, where=where, sort=sort_key)]
        return csv_response(f"orders-{clock.now():%Y%m%d-%H%M}.csv", ORDER_COLUMNS, rows)
    paging = Paging(page_number(page), PAGE_SIZE, 0)
    found, total = order_queries.search_orders(session=session, actor=staff, where=where, sort=sort_key,
                                               offset=paging.offset, limit=paging.size)
    paging = Paging(paging.page, paging.size, total)
    return render(request, "backoffice/orders.html", {
        "staff": staff, "channels": channels, "stores": stores, "statuses": list(OrderStatus), "params": params,
        "paging": paging, "link": lambda **kw: link("/admin/orders", params, **kw),
        "rows": [{"id": o.id, "number": o.number, "created": o.created_at.strftime("%Y-%m-%d %H:%M"),
                  "channel": o.channel_code, "store": store_names.get(o.location_id, ""), "status": o.status,
                  "customer": o.email or "", "total": _money(o.total_minor, o.currency, locale)} for o in found]})


@router.get("/admin/orders/{order_id}")
def order_detail(order_id: str, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    if staff is None:
        return _login("/admin/orders")
    parsed = _uuid(order_id)
    if parsed is None:
        raise NotFound("No such order")
    order = ordering_service.get_order(session=session, order_id=parsed)
    if not staff.can(Permission.ORDERS_READ) or not ordering_service.visible_to(staff, order):
        raise PermissionDenied("This order belongs to a store you do not work at")
    locale = locale_for(request)
    store = inventory_service.get_location(session=session, location_id=order.location_id) if order.location_id \
        else None
    return render(request, "backoffice/order.html", {
        "staff": staff, "order": order, "store": store, "timeline": ordering_service.timeline(
            session=session, order_id=order.id),
        "money": lambda minor: _money(minor, order.currency, locale)})


# --- stock ------------------------------------------------------------------------------------------------

STOCK_COLUMNS = ["sku", "name", "location", "on_hand", "reserved", "available", "last_movement"]


@router.get("/admin/stock")
def stock(request: Request, session: SessionDep, staff: OptionalStaff, store: Text = None, sku: Text = None,
          cursor: Text = None, format: Text = None) -> Response:
    if staff is None:
        return _login("/admin/stock")
    if not staff.can(Permission.STOCK_READ):
        raise PermissionDenied("Your roles do not include stock")
    locations = _stores(session, staff, Permission.STOCK_READ)
    location_id = _uuid(store)
    if location_id is not None and location_id not in {loc.id for loc in locations}:
        raise PermissionDenied("This store is not one you work at")
    variant_id = None
    if sku:
        found = catalog_service.variants_by_sku(session=session, skus=[sku.strip()]).get(sku.strip())
        variant_id = found.id if found else uuid.UUID(int=0)
    params = {"store": store, "sku": sku}
    names = {loc.id: loc.name for loc in locations}
    limit = 10_000 if format == "csv" else PAGE_SIZE
    levels = inventory_service.page_levels(session=session, actor=staff, location_id=location_id,
                                           variant_id=variant_id, cursor=cursor if format != "csv" else None,
                                           limit=limit)
    refs = {r.id: r for r in catalog_service.variant_refs(
        session=session, variant_ids=list({lv.variant_id for lv in levels.items}))} if levels.items else {}
    rows = [{"sku": refs[lv.variant_id].sku if lv.variant_id in refs else "?",
             "name": refs[lv.variant_id].name if lv.variant_id in refs else "",
             "location": names.get(lv.location_id, ""), "location_id": lv.location_id, "on_hand": lv.on_hand,
             "reserved": lv.reserved,
             "available": lv.available,
             "last_movement": lv.last_movement_at.strftime("%Y-%m-%d %H:%M") if lv.last_movement_at else ""}
            for lv in levels.items]
    if format == "csv":
        return csv_response(f"stock-{clock.now():%Y%m%d-%H%M}.csv", STOCK_COLUMNS,
                            [[r[c] for c in STOCK_COLUMNS] for r in rows])
    return render(request, "backoffice/stock.html", {
        "staff": staff, "stores": locations, "params": params, "rows": rows,
        "next": link("/admin/stock", params, cursor=levels.next_cursor) if levels.next_cursor else None,
        "csv": link("/admin/stock", params, format="csv")})
