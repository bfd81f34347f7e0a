"""Back-office inventory pages: the movement ledger of a store, transfers and stock counts (suppliers and
purchase orders live in ``stockroom_purchasing``, whose routes this router includes).

Every page checks the permission at the store it shows (``staff.can(p, location_id)``) and every list only holds
what the grants cover. A form posts with the CSRF token; the use case runs inside a savepoint, so a refused
form re-renders with its message and saves nothing; the request's transaction is the one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.identity.dependencies import OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.inventory.counts import service as counts_service
from omniretail.inventory.rules import CountScope, MovementKind, TransferStatus
from omniretail.inventory.transfers import service as transfers_service
from omniretail.kernel import clock
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import DomainError, FieldError, InvalidInput, NotFound, PermissionDenied
from omniretail.kernel.i18n import N_
from omniretail.web.backoffice.stockroom_kit import (
    CSRF,
    EXPORT_CAP,
    FormData,
    Text,
    attempt,
    back,
    day,
    every,
    login,
    names_of,
    parse_uuid,
    problem,
    quantities,
    refs_of,
    require,
    sku_lines,
    sku_of,
    stores,
)
from omniretail.web.backoffice.stockroom_purchasing import router as purchasing_router
from omniretail.web.backoffice.tables import PAGE_SIZE, Paging, csv_response, link, page_number
from omniretail.web.templates import render

router = APIRouter(include_in_schema=False)


# --- the movement ledger of one store -----------------------------------------------------------------------

MOVEMENT_COLUMNS = ["occurred", "sku", "name", "kind", "quantity", "on_hand_after", "reason", "document", "by"]


@router.get("/admin/stock/{location_id}/movements")
def movements(location_id: str, request: Request, session: SessionDep, staff: OptionalStaff, sku: Text = None,
              kind: Text = None, since: Text = None, until: Text = None, sort: Text = None, page: Text = None,
              format: Text = None) -> Response:
    """The stock ledger of one store, filtered by item, kind and date, newest first, paged and exportable."""
    if staff is None:
        return login("/admin/stock")
    where = parse_uuid(location_id)
    if where is None:
        raise NotFound(N_("No such store"))
    require(staff, Permission.STOCK_READ, where)
    location = inventory_service.get_location(session=session, location_id=where)
    variant_id = None
    if sku:
        found = catalog_service.variants_by_sku(session=session, skus=[sku.strip().upper()])
        variant_id = next(iter(found.values())).id if found else uuid.UUID(int=0)
    start, end = day(since), day(until)
    params = {"sku": sku, "kind": kind if kind in set(MovementKind) else None,
              "since": start.isoformat() if start else None, "until": end.isoformat() if end else None,
              "sort": "oldest" if sort == "oldest" else None}
    path = f"/admin/stock/{where}/movements"
    paging = Paging(page_number(page), PAGE_SIZE, 0)
    found_rows, total = inventory_service.search_movements(
        session=session, actor=staff, location_id=where, variant_id=variant_id, kind=params["kind"],
        newest_first=sort != "oldest", since=datetime.combine(start, time.min, tzinfo=UTC) if start else None,
        until=datetime.combine(end, time.min, tzinfo=UTC) + timedelta(days=1) if end else None,
        offset=0 if format == "csv" else paging.offset, limit=EXPORT_CAP if format == "csv" else paging.size)
    refs = refs_of(session, [m.variant_id for m in found_rows])
    rows = [{"occurred": m.occurred_at.strftime("%Y-%m-%d %H:%M"), "sku": sku_of(refs, m.variant_id),
             "name": refs[m.variant_id].name if m.variant_id in refs else "", "kind": m.kind,
             "quantity": m.quantity, "on_hand_after": m.on_hand_after, "reason": m.reason,
             "document": f"{m.document_type or ''} {m.document_id or ''}".strip(), "by": m.actor_label}
            for m in found_rows]
    if format == "csv":
        return csv_response(f"movements-{location.code}-{clock.now():%Y%m%d-%H%M}.csv", MOVEMENT_COLUMNS,
                            [[r[c] for c in MOVEMENT_COLUMNS] for r in rows])
    return render(request, "backoffice/stockroom/movements.html", {
        "staff": staff, "location": location, "params": params, "kinds": list(MovementKind), "rows": rows,
        "paging": Paging(paging.page, paging.size, total), "path": path,
        "link": lambda **kw: link(path, params, **kw)})


# --- transfers ---------------------------------------------------------------------------------------------

TRANSFER_COLUMNS = ["number", "from", "to", "status", "lines", "requested", "shipped", "received", "missing"]


def _transfer_form_places(session: Session, staff: Principal) -> tuple[list[Any], list[Any]]:
    """Where a transfer may come from (the warehouses and the caller's stores) and go to (the caller's)."""
    mine = stores(session, staff, Permission.TRANSFERS_MANAGE)
    warehouses = [loc for loc in inventory_service.list_locations(session=session, kinds={"warehouse"})
                  if loc.id not in {m.id for m in mine}]
    return sorted(mine + warehouses, key=lambda loc: loc.name), mine


def _transfers_page(request: Request, session: Session, staff: Principal, status: str | None, cursor: str | None,
                    form: dict[str, str] | None = None, error: DomainError | None = None) -> Response:
    found = transfers_service.page_transfers(session=session, actor=staff, status=status, cursor=cursor,
                                            limit=PAGE_SIZE)
    names = names_of(session)
    sources, destinations = _transfer_form_places(session, staff)
    params = {"status": status}
    return render(request, "backoffice/stockroom/transfers.html", {
        "staff": staff, "params": params, "statuses": list(TransferStatus), "names": names,
        "transfers": found.items, "sources": sources, "destinations": destinations, "form": form or {},
        "error": problem(error) if error else None,
        "next": link("/admin/transfers", params, cursor=found.next_cursor) if found.next_cursor else None,
        "csv": link("/admin/transfers", params, format="csv")}, status=error.status if error else 200)


@router.get("/admin/transfers")
def transfers(request: Request, session: SessionDep, staff: OptionalStaff, status: Text = None,
              cursor: Text = None, format: Text = None) -> Response:
    """Transfers from or to the caller's stores, with the form to request one."""
    if staff is None:
        return login("/admin/transfers")
    require(staff, Permission.STOCK_READ)
    status = status if status in set(TransferStatus) else None
    if format == "csv":
        names = names_of(session)
        found = every(lambda c: transfers_service.page_transfers(session=session, actor=staff, status=status,
                                                                 cursor=c, limit=200))
        rows = [[t.number, names.get(t.from_location_id, ""), names.get(t.to_location_id, ""), t.status,
                 len(t.lines), sum(ln.quantity_requested for ln in t.lines),
                 sum(ln.quantity_shipped or 0 for ln in t.lines),
                 sum(ln.quantity_received or 0 for ln in t.lines) if t.status == TransferStatus.RECEIVED else "",
                 sum((ln.quantity_shipped or 0) - (ln.quantity_received or 0) for ln in t.lines)
                 if t.status == TransferStatus.RECEIVED else ""] for t in found]
        return csv_response(f"transfers-{clock.now():%Y%m%d-%H%M}.csv", TRANSFER_COLUMNS, rows)
    return _transfers_page(request, session, staff, status, cursor)


@router.post("/admin/transfers", dependencies=CSRF)
def request_transfer(request: Request, session: SessionDep, staff: OptionalStaff, form: FormData) -> Response:
    """Ask for stock to move from a warehouse or another of your stores to one of yours."""
    if staff is None:
        return login("/admin/transfers")
    require(staff, Permission.TRANSFERS_MANAGE)
    sources, destinations = _transfer_form_places(session, staff)
    source, target = parse_uuid(form.get("from_location_id")), parse_uuid(form.get("to_location_id"))

    def run() -> Any:
        if source not in {s.id for s in sources} or target not in {d.id for d in destinations}:
            raise InvalidInput(N_("Some fields are not valid"),
                               errors=[FieldError(("form", "to_location_id"), "choose one of your stores")])
        lines = sku_lines(session, form)
        assert source is not None and target is not None
        return transfers_service.request_transfer(
            session=session, actor=staff, from_location_id=source, to_location_id=target,
            items=[transfers_service.TransferItem(v, q) for v, q in lines], note=form.get("note", "")[:200])

    made = attempt(session, run)
    if isinstance(made, DomainError):
        return _transfers_page(request, session, staff, None, None, form, made)
    return back(f"/admin/transfers/{made.id}")


def _transfer(session: Session, staff: Principal, transfer_id: str) -> Any:
    parsed = parse_uuid(transfer_id)
    if parsed is None:
        raise NotFound(N_("No such transfer"))
    transfer = transfers_service.get_transfer(session=session, actor=None, transfer_id=parsed)
    if not (staff.can(Permission.STOCK_READ, transfer.from_location_id)
            or staff.can(Permission.STOCK_READ, transfer.to_location_id)):
        raise PermissionDenied(N_("This page is for another store or another role"))
    return transfer


def _transfer_page(request: Request, session: Session, staff: Principal, transfer: Any,
                   error: DomainError | None = None) -> Response:
    refs = refs_of(session, [ln.variant_id for ln in transfer.lines])
    names = names_of(session)
    return render(request, "backoffice/stockroom/transfer.html", {
        "staff": staff, "t": transfer, "names": names, "error": problem(error) if error else None,
        "lines": [{"variant_id": ln.variant_id, "sku": sku_of(refs, ln.variant_id),
                   "name": refs[ln.variant_id].name if ln.variant_id in refs else "", "line": ln}
                  for ln in transfer.lines],
        "may_send": staff.can(Permission.TRANSFERS_MANAGE, transfer.from_location_id),
        "may_receive": staff.can(Permission.TRANSFERS_MANAGE, transfer.to_location_id)},
        status=error.status if error else 200)


@router.get("/admin/transfers/{transfer_id}")
def transfer_detail(transfer_id: str, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """One transfer: its lines, what was shipped and received, and the next step."""
    if staff is None:
        return login("/admin/transfers")
    return _transfer_page(request, session, staff, _transfer(session, staff, transfer_id))


@router.post("/admin/transfers/{transfer_id}/{step}", dependencies=CSRF)
def transfer_step(transfer_id: str, step: str, request: Request, session: SessionDep, staff: OptionalStaff,
                  form: FormData) -> Response:
    """Approve, ship (with the quantities packed), receive (with what arrived) or cancel a transfer."""
    if staff is None:
        return login("/admin/transfers")
    transfer = _transfer(session, staff, transfer_id)
    require(staff, Permission.TRANSFERS_MANAGE)
    counted = quantities(form)
    actions: dict[str, Callable[[], Any]] = {
        "approve": lambda: transfers_service.approve_transfer(session=session, actor=staff, transfer_id=transfer.id),
        "ship": lambda: transfers_service.ship_transfer(session=session, actor=staff, transfer_id=transfer.id,
                                                        shipped=counted or None),
        "receive": lambda: transfers_service.receive_transfer(session=session, actor=staff, transfer_id=transfer.id,
                                                              received=counted or None,
                                                              note=form.get("note", "")[:200]),
        "cancel": lambda: transfers_service.cancel_transfer(session=session, actor=staff, transfer_id=transfer.id)}
    if step not in actions:
        raise NotFound(N_("No such step"))
    done = attempt(session, actions[step])
    if isinstance(done, DomainError):
        session.refresh(transfer)
        return _transfer_page(request, session, staff, transfer, done)
    return back(f"/admin/transfers/{transfer.id}")


# --- counts ------------------------------------------------------------------------------------------------

COUNT_COLUMNS = ["number", "store", "scope", "status", "lines", "counted", "created", "approved"]
VARIANCE_COLUMNS = ["sku", "name", "expected", "counted", "on_hand", "variance"]


def _counts_page(request: Request, session: Session, staff: Principal, store: uuid.UUID | None,
                 cursor: str | None, form: dict[str, str] | None = None,
                 error: DomainError | None = None) -> Response:
    found = counts_service.page_counts(session=session, actor=staff, location_id=store, cursor=cursor,
                                       limit=PAGE_SIZE)
    params = {"store": str(store) if store else None}
    return render(request, "backoffice/stockroom/counts.html", {
        "staff": staff, "params": params, "stores": stores(session, staff, Permission.STOCK_READ),
        "writable": stores(session, staff, Permission.STOCK_WRITE), "names": names_of(session),
        "counts": found.items, "form": form or {}, "error": problem(error) if error else None,
        "next": link("/admin/counts", params, cursor=found.next_cursor) if found.next_cursor else None,
        "csv": link("/admin/counts", params, format="csv")}, status=error.status if error else 200)


@router.get("/admin/counts")
def counts(request: Request, session: SessionDep, staff: OptionalStaff, store: Text = None, cursor: Text = None,
           format: Text = None) -> Response:
    """Count sheets at the caller's stores, with the form to start a full or cycle count."""
    if staff is None:
        return login("/admin/counts")
    require(staff, Permission.STOCK_READ)
    where = parse_uuid(store)
    if where is not None:
        require(staff, Permission.STOCK_READ, where)
    if format == "csv":
        names = names_of(session)
        found = every(lambda c: counts_service.page_counts(session=session, actor=staff, location_id=where,
                                                           cursor=c, limit=200))
        return csv_response(f"counts-{clock.now():%Y%m%d-%H%M}.csv", COUNT_COLUMNS, [
            [c.number, names.get(c.location_id, ""), c.scope, c.status, len(c.lines),
             sum(1 for ln in c.lines if ln.counted is not None), c.created_at.isoformat(),
             c.approved_at.isoformat() if c.approved_at else ""] for c in found])
    return _counts_page(request, session, staff, where, cursor)


@router.post("/admin/counts", dependencies=CSRF)
def start_count(request: Request, session: SessionDep, staff: OptionalStaff, form: FormData) -> Response:
    """Open a full count of a store, or a cycle count of the SKUs listed."""
    if staff is None:
        return login("/admin/counts")
    require(staff, Permission.STOCK_WRITE)
    where = parse_uuid(form.get("location_id"))

    def run() -> Any:
        if where is None or not staff.can(Permission.STOCK_WRITE, where):
            raise InvalidInput(N_("Some fields are not valid"),
                               errors=[FieldError(("form", "location_id"), "choose one of your stores")])
        skus = [s for s in form.get("skus", "").upper().replace(",", " ").split() if s]
        found = catalog_service.variants_by_sku(session=session, skus=skus)
        unknown = [s for s in skus if s not in found]
        if unknown:
            raise InvalidInput(N_("Some fields are not valid"),
                               errors=[FieldError(("form", "skus"), f"unknown SKU {', '.join(unknown[:5])}")])
        scope = CountScope.CYCLE.value if form.get("scope") == CountScope.CYCLE else CountScope.FULL.value
        return counts_service.start_count(session=session, actor=staff, location_id=where, scope=scope,
                                          variant_ids=[found[s].id for s in skus])

    made = attempt(session, run)
    if isinstance(made, DomainError):
        return _counts_page(request, session, staff, None, None, form, made)
    return back(f"/admin/counts/{made.id}")


def _count(session: Session, staff: Principal, count_id: str) -> Any:
    parsed = parse_uuid(count_id)
    if parsed is None:
        raise NotFound(N_("No such count"))
    count = counts_service.get_count(session=session, actor=None, count_id=parsed)
    require(staff, Permission.STOCK_READ, count.location_id)
    return count


@router.get("/admin/counts/{count_id}")
def count_detail(count_id: str, request: Request, session: SessionDep, staff: OptionalStaff,
                 format: Text = None) -> Response:
    """A count sheet to fill in, with its variance report (also as CSV)."""
    if staff is None:
        return login("/admin/counts")
    return _count_page(request, session, staff, _count(session, staff, count_id), csv=format == "csv")


def _count_page(request: Request, session: Session, staff: Principal, count: Any, *, csv: bool = False,
                error: DomainError | None = None) -> Response:
    report = counts_service.variance_report(session=session, actor=None, count_id=count.id)
    refs = refs_of(session, [x.variant_id for x in report])
    rows = [{"variant_id": x.variant_id, "sku": sku_of(refs, x.variant_id),
             "name": refs[x.variant_id].name if x.variant_id in refs else "", "expected": x.expected,
             "counted": x.counted, "on_hand": x.on_hand, "variance": x.variance} for x in report]
    if csv:
        return csv_response(f"count-{count.number}.csv", VARIANCE_COLUMNS,
                            [[r[c] if r[c] is not None else "" for c in VARIANCE_COLUMNS] for r in rows])
    return render(request, "backoffice/stockroom/count.html", {
        "staff": staff, "c": count, "store": names_of(session).get(count.location_id, ""), "rows": rows,
        "net": sum(r["variance"] or 0 for r in rows), "error": problem(error) if error else None,
        "may_write": staff.can(Permission.STOCK_WRITE, count.location_id)}, status=error.status if error else 200)


@router.post("/admin/counts/{count_id}/{step}", dependencies=CSRF)
def count_step(count_id: str, step: str, request: Request, session: SessionDep, staff: OptionalStaff,
               form: FormData) -> Response:
    """Save counted quantities (``lines``; a SKU found on the shelf joins the sheet), ``approve`` or ``cancel``."""
    if staff is None:
        return login("/admin/counts")
    count = _count(session, staff, count_id)
    require(staff, Permission.STOCK_WRITE, count.location_id)

    def record() -> Any:
        counted = quantities(form)
        if form.get("sku-0") or form.get("qty-0"):
            counted.update(dict(sku_lines(session, form, rows=1)))
        return counts_service.record_counts(session=session, actor=staff, count_id=count.id, counted=counted)

    actions: dict[str, Callable[[], Any]] = {
        "lines": record,
        "approve": lambda: counts_service.approve_count(session=session, actor=staff, count_id=count.id),
        "cancel": lambda: counts_service.cancel_count(session=session, actor=staff, count_id=count.id)}
    if step not in actions:
        raise NotFound(N_("No such step"))
    done = attempt(session, actions[step])
    if isinstance(done, DomainError):
        session.refresh(count)
        return _count_page(request, session, staff, count, error=done)
    return back(f"/admin/counts/{count.id}")


router.include_router(purchasing_router)
