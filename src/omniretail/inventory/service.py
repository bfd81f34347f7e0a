"""Inventory use cases: locations, the stock ledger, reservations and availability. Flush, never commit.

Every change to ``on_hand`` goes through ``apply_movement``, which writes one ledger line and updates the level
row with one atomic conditional UPDATE, so ``on_hand`` always equals the ledger's sum and available is never
negative, on SQLite and PostgreSQL, under any concurrency. Rows are always touched in (variant, location) order.
Transfers, counts and purchasing live in sub-packages and are re-exported here for other contexts.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, case, func, insert, select, tuple_, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import rules
from omniretail.inventory.events import HoldsExpired, StockMoved, StockRanLow
from omniretail.inventory.exceptions import (
    DuplicateLocationCode,
    InsufficientStock,
    LocationNotFound,
    ReservationNotFound,
    StockBelowReserved,
)
from omniretail.inventory.models import Location, Movement, ReorderPoint, Reservation, StockLevel
from omniretail.inventory.rules import (
    OPEN_RESERVATIONS,
    Availability,
    MovementKind,
    NearbyStock,
    ReservationLine,
    ReservationStatus,
)
from omniretail.kernel import clock, outbox
from omniretail.kernel.db import conflict_insert
from omniretail.kernel.errors import FieldError, InvalidInput, PermissionDenied
from omniretail.kernel.ids import new_id
from omniretail.kernel.paging import Page, paginate

_NO_SYNC = {"synchronize_session": False}
_AVAILABLE = StockLevel.on_hand - StockLevel.reserved - StockLevel.safety_stock
# Built once: building a statement costs more Python time than the database spends running it (bench/).
_LEVEL = cast(Table, StockLevel.__table__)
_POINT = cast(Table, ReorderPoint.__table__)
# Core statements built once: building (and, through the ORM, executing) a statement costs more Python time than
# the database spends running it (bench/inventory_bench.py). The hold returns the level's figures and the id of
# the reorder point, if any, so a hold is two statements: this UPDATE and the INSERT of the reservation.
_HOLD = (update(_LEVEL)
         .where(_LEVEL.c.variant_id == bindparam("hold_variant"), _LEVEL.c.location_id == bindparam("hold_location"),
                bindparam("hold_quantity") <= _LEVEL.c.on_hand - _LEVEL.c.reserved - _LEVEL.c.safety_stock)
         .values(reserved=_LEVEL.c.reserved + bindparam("hold_quantity"))
         .returning(_LEVEL.c.on_hand, _LEVEL.c.reserved, _LEVEL.c.safety_stock,
                    select(_POINT.c.id).where(_POINT.c.variant_id == _LEVEL.c.variant_id,
                                              _POINT.c.location_id == _LEVEL.c.location_id)
                    .scalar_subquery()))
_INSERT_HOLD = insert(cast(Table, Reservation.__table__))
# The same two statements in psycopg's own form, for PostgreSQL's hot path (see ``hold``).
_PG_HOLD = ("UPDATE inventory_stock_level SET reserved = reserved + %s WHERE variant_id = %s AND location_id = %s "
            "AND %s <= on_hand - reserved - safety_stock RETURNING on_hand, reserved, safety_stock, "
            "(SELECT p.id FROM inventory_reorder_point p WHERE p.variant_id = inventory_stock_level.variant_id "
            "AND p.location_id = inventory_stock_level.location_id)")
_PG_INSERT_HOLD = ("INSERT INTO inventory_reservation (id, ref, variant_id, location_id, quantity, status, expires_at, "
                   "created_at, closed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL)")
_AVAILABILITY = select(_LEVEL.c.variant_id, _LEVEL.c.location_id, _LEVEL.c.on_hand, _LEVEL.c.reserved,
                       _LEVEL.c.safety_stock, _LEVEL.c.last_movement_at)
_REORDER_POINT = select(ReorderPoint).where(ReorderPoint.variant_id == bindparam("variant_id"),
                                            ReorderPoint.location_id == bindparam("location_id"))


# -- locations -------------------------------------------------------------------------------------------------

def create_location(*, session: Session, actor: Principal | None, code: str, name: str, kind: str, city: str,
                    country: str, latitude: float, longitude: float, timezone: str, **details: Any) -> Location:
    """Open a warehouse, store, franchise store or dark store."""
    if actor is not None:
        identity_service.require(actor, Permission.LOCATIONS_MANAGE)
    if session.scalar(select(Location.id).where(Location.code == code)) is not None:
        raise DuplicateLocationCode(f"Location code {code} is taken", errors=[FieldError(("body", "code"), "taken")])
    location = Location(code=code, name=name, kind=rules.LocationKind(kind).value, city=city, country=country,
                        latitude=latitude, longitude=longitude, timezone=timezone, **details)
    session.add(location)
    session.flush()
    identity_service.audit(session=session, actor=actor, action="inventory.location_created",
                           target_type="location", target_id=str(location.id), location_id=location.id)
    return location


def update_location(*, session: Session, actor: Principal | None, location_id: uuid.UUID,
                    **changes: Any) -> Location:
    """Change a location's details, hours, capabilities or channels."""
    if actor is not None:
        identity_service.require(actor, Permission.LOCATIONS_MANAGE, location_id)
    location = get_location(session=session, location_id=location_id)
    for key, value in changes.items():
        setattr(location, key, value)
    session.flush()
    return location


def get_location(*, session: Session, location_id: uuid.UUID) -> Location:
    """One location, or ``LocationNotFound``."""
    location = session.get(Location, location_id)
    if location is None:
        raise LocationNotFound(f"No location {location_id}")
    return location


def location_by_code(*, session: Session, code: str) -> Location | None:
    return session.scalar(select(Location).where(Location.code == code))


def list_locations(*, session: Session, kinds: set[str] | None = None) -> list[Location]:
    """Every active location (of the given kinds), by code."""
    stmt = select(Location).where(Location.is_active.is_(True)).order_by(Location.code)
    if kinds:
        stmt = stmt.where(Location.kind.in_(sorted(kinds)))
    return list(session.scalars(stmt))


def locations_for_channel(*, session: Session, channel_code: str) -> list[Location]:
    """The locations that feed a sales channel's stock."""
    return [loc for loc in list_locations(session=session) if channel_code in (loc.channel_codes or [])]


def visible_locations(actor: Principal, permission: Permission = Permission.STOCK_READ) -> frozenset[uuid.UUID] | None:
    """Where ``actor`` may look or act (None: everywhere)."""
    return actor.locations_for(permission)


def page_locations(*, session: Session, actor: Principal, kinds: set[str] | None, cursor: str | None,
                   limit: int) -> Page[Location]:
    """The locations the caller may see, a page at a time."""
    stmt = select(Location)
    if kinds:
        stmt = stmt.where(Location.kind.in_(sorted(kinds)))
    allowed = visible_locations(actor)
    if allowed is not None:
        stmt = stmt.where(Location.id.in_(list(allowed)))
    return paginate(session, stmt, Location.id, cursor=cursor, limit=limit)


def require_at(actor: Principal | None, permission: Permission, location_id: uuid.UUID) -> None:
    """Refuse unless ``actor`` (None: the system) holds ``permission`` at this location."""
    if actor is not None:
        identity_service.require(actor, permission, location_id)


# -- the ledger ------------------------------------------------------------------------------------------------

def _insert(session: Session) -> Any:
    return conflict_insert(session)


def _ensure_level(session: Session, variant_id: uuid.UUID, location_id: uuid.UUID) -> None:
    stmt = _insert(session)(StockLevel).values(id=new_id(), variant_id=variant_id, location_id=location_id,
                                                on_hand=0, reserved=0, safety_stock=0)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["variant_id", "location_id"]))


def _snapshot(session: Session, variant_id: uuid.UUID, location_id: uuid.UUID) -> rules.StockSnapshot:
    row = session.execute(select(StockLevel.on_hand, StockLevel.reserved, StockLevel.safety_stock).where(
        StockLevel.variant_id == variant_id, StockLevel.location_id == location_id)).first()
    on_hand, reserved, safety = row if row is not None else (0, 0, 0)
    return rules.StockSnapshot(variant_id, location_id, on_hand, reserved, safety)


def _short(session: Session, variant_id: uuid.UUID, location_id: uuid.UUID, quantity: int,
           error: type[InsufficientStock] | type[StockBelowReserved] = InsufficientStock) -> Exception:
    snap = _snapshot(session, variant_id, location_id)
    return error(f"Only {snap.available} available of {quantity} asked for", variant_id=str(variant_id),
                 location_id=str(location_id), requested=quantity, available=snap.available)


def _check_low(session: Session, variant_id: uuid.UUID, location_id: uuid.UUID, before: int, after: int) -> None:
    point = session.scalar(_REORDER_POINT, {"variant_id": variant_id, "location_id": location_id})
    if point is not None:
        _low(session, point, variant_id, location_id, before, after)


def _low(session: Session, point: ReorderPoint, variant_id: uuid.UUID, location_id: uuid.UUID, before: int,
         after: int) -> None:
    if rules.crossed_below(before=before, after=after, minimum=point.min_quantity):
        point.low_since = clock.now()
        outbox.record(session, StockRanLow(variant_id, location_id, after, point.min_quantity))
    elif after > point.min_quantity and point.low_since is not None:
        point.low_since = None


def apply_movement(*, session: Session, actor: Principal | None, variant_id: uuid.UUID, location_id: uuid.UUID,
                   kind: MovementKind, quantity: int, reason: str = "", document_type: str | None = None,
                   document_id: str | None = None, consume_reserved: int = 0) -> Movement:
    """Write one ledger line and move ``on_hand`` by ``quantity`` in the same atomic conditional update."""
    if quantity == 0:
        raise InvalidInput("A movement needs a quantity", errors=[FieldError(("body", "delta"), "must not be 0")])
    if quantity > 0:
        get_location(session=session, location_id=location_id)
        _ensure_level(session, variant_id, location_id)
    now = clock.now()
    where = [StockLevel.variant_id == variant_id, StockLevel.location_id == location_id]
    if quantity < 0:
        # Removing stock may use what is reserved for this very movement, never anyone else's promise.
        where.append(StockLevel.on_hand + quantity >= StockLevel.reserved - consume_reserved)
    row = session.execute(
        update(StockLevel).where(*where)
        .values(on_hand=StockLevel.on_hand + quantity, reserved=StockLevel.reserved - consume_reserved,
                last_movement_at=now)
        .returning(StockLevel.on_hand, StockLevel.reserved, StockLevel.safety_stock)
        .execution_options(**_NO_SYNC)).first()
    if row is None:
        error = InsufficientStock if kind in (MovementKind.SALE, MovementKind.TRANSFER_OUT) else StockBelowReserved
        raise _short(session, variant_id, location_id, -quantity, error)
    on_hand, reserved, safety = row
    movement = Movement(variant_id=variant_id, location_id=location_id,
                        kind=kind.value, quantity=quantity, on_hand_after=on_hand, reason=reason,
                        actor_id=actor.staff_id if actor else None,
                        actor_label=(actor.label or actor.email) if actor else "system",
                        document_type=document_type, document_id=document_id, occurred_at=now)
    session.add(movement)
    session.flush()
    outbox.record(session, StockMoved(movement.id, variant_id, location_id, kind.value, quantity, on_hand))
    after = max(on_hand - reserved - safety, 0)
    before = max(on_hand - quantity - (reserved + consume_reserved) - safety, 0)
    _check_low(session, variant_id, location_id, before, after)
    return movement


def _positive(quantity: int, field: str = "quantity") -> None:
    if quantity <= 0:
        raise InvalidInput("The quantity must be positive", errors=[FieldError(("body", field), "must be > 0")])


def adjust(*, session: Session, actor: Principal | None, variant_id: uuid.UUID, location_id: uuid.UUID,
           delta: int, reason: str, kind: MovementKind = MovementKind.ADJUSTMENT,
           document_type: str | None = None, document_id: str | None = None) -> Movement:
    """Correct the stock of one item at one location, with a reason (adjustment or write-off)."""
    require_at(actor, Permission.STOCK_WRITE, location_id)
    get_location(session=session, location_id=location_id)
    if not reason.strip():
        raise InvalidInput("Say why the stock changes", errors=[FieldError(("body", "reason"), "required")])
    if kind == MovementKind.WRITE_OFF and delta >= 0:
        raise InvalidInput("A write-off removes stock", errors=[FieldError(("body", "delta"), "must be < 0")])
    return apply_movement(session=session, actor=actor, variant_id=variant_id, location_id=location_id, kind=kind,
                          quantity=delta, reason=reason, document_type=document_type, document_id=document_id)


def receive(*, session: Session, actor: Principal | None, variant_id: uuid.UUID, location_id: uuid.UUID,
            quantity: int, reason: str = "goods received", document_type: str | None = None,
            document_id: str | None = None) -> Movement:
    """Put received goods on hand."""
    require_at(actor, Permission.STOCK_WRITE, location_id)
    _positive(quantity)
    return apply_movement(session=session, actor=actor, variant_id=variant_id, location_id=location_id,
                          kind=MovementKind.RECEIPT, quantity=quantity, reason=reason,
                          document_type=document_type, document_id=document_id)


def receive_opening_stock(*, session: Session, rows: Sequence[ReservationLine], reason: str = "opening stock",
                          document_id: str | None = None) -> int:
    """Put first stock into (variant, location) pairs that hold nothing yet, in bulk: one stock-level row and
    one receipt line of the ledger each, so on hand still equals the ledger's sum. Refuses pairs that have stock."""
    if not rows:
        return 0
    pairs = {(row.variant_id, row.location_id) for row in rows}
    if len(pairs) != len(rows) or any(row.quantity <= 0 for row in rows):
        raise InvalidInput("Opening stock needs one positive quantity per item and location",
                           errors=[FieldError(("body", "rows"), "duplicate pair or quantity not positive")])
    variant_ids = list({row.variant_id for row in rows})
    existing: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for start in range(0, len(variant_ids), 500):
        existing.update((row.variant_id, row.location_id) for row in session.execute(
            select(StockLevel.variant_id, StockLevel.location_id).where(
                StockLevel.variant_id.in_(variant_ids[start:start + 500]))))
    if pairs & existing:
        raise InvalidInput("Some items already have stock there; use receipts or adjustments",
                           errors=[FieldError(("body", "rows"), f"{len(pairs & existing)} pair(s) already stocked")])
    now = clock.now()
    session.execute(insert(cast(Table, StockLevel.__table__)), [
        {"id": new_id(), "variant_id": r.variant_id, "location_id": r.location_id, "on_hand": r.quantity,
         "reserved": 0, "safety_stock": 0, "last_movement_at": now} for r in rows])
    session.execute(insert(cast(Table, Movement.__table__)), [
        {"id": new_id(), "variant_id": r.variant_id, "location_id": r.location_id,
         "kind": MovementKind.RECEIPT.value, "quantity": r.quantity, "on_hand_after": r.quantity, "reason": reason,
         "actor_id": None, "actor_label": "system", "document_type": "import", "document_id": document_id,
         "occurred_at": now} for r in rows])
    return len(rows)


def restock_return(*, session: Session, actor: Principal | None, variant_id: uuid.UUID, location_id: uuid.UUID,
                   quantity: int, return_id: str, reason: str = "customer return") -> Movement:
    """Put a returned item back on hand at the location that took the return."""
    require_at(actor, Permission.RETURNS_MANAGE, location_id)
    _positive(quantity)
    return apply_movement(session=session, actor=actor, variant_id=variant_id, location_id=location_id,
                          kind=MovementKind.RETURN, quantity=quantity, reason=reason,
                          document_type=rules.DocumentType.RETURN, document_id=return_id)


def sell(*, session: Session, actor: Principal | None, variant_id: uuid.UUID, location_id: uuid.UUID,
         quantity: int, order_id: str) -> Movement:
    """Sell from the shelf without a prior hold (a POS sale): takes only unpromised stock."""
    require_at(actor, Permission.POS_SELL, location_id)
    _positive(quantity)
    return apply_movement(session=session, actor=actor, variant_id=variant_id, location_id=location_id,
                          kind=MovementKind.SALE, quantity=-quantity, reason="sale",
                          document_type=rules.DocumentType.ORDER, document_id=order_id)


def set_safety_stock(*, session: Session, actor: Principal | None, variant_id: uuid.UUID,
                     location_id: uuid.UUID, safety_stock: int) -> Availability:
    """Keep this many units back from every channel's promise."""
    require_at(actor, Permission.STOCK_WRITE, location_id)
    if safety_stock < 0:
        raise InvalidInput("Safety stock cannot be negative",
                           errors=[FieldError(("body", "safety_stock"), "must be >= 0")])
    _ensure_level(session, variant_id, location_id)
    session.execute(update(StockLevel).where(StockLevel.variant_id == variant_id,
                                             StockLevel.location_id == location_id)
                    .values(safety_stock=safety_stock).execution_options(**_NO_SYNC))
    return availability(session=session, variant_ids=[variant_id], location_ids=[location_id])[0]


# -- reservations ----------------------------------------------------------------------------------------------

def hold(*, session: Session, variant_id: uuid.UUID, location_id: uuid.UUID, quantity: int, ref: str,
         expires_at: datetime | None = None) -> rules.Hold:
    """Hold stock as ``reserve`` does, answering a plain value: two statements, no ORM object (the hot path)."""
    _positive(quantity)
    session.flush()  # what session.execute would autoflush; nearly free when nothing is pending
    connection = session.connection()
    created_at = clock.now()
    held = rules.Hold(new_id(), ref, variant_id, location_id, quantity, expires_at, created_at)
    if connection.dialect.name == "postgresql":
        # The hot path: the driver runs the two statements in the session's own transaction, without SQLAlchemy's
        # per-statement execution context and result wrapping (bench/inventory_bench.py compares it with psycopg).
        driver: Any = connection.connection.driver_connection
        row = driver.execute(_PG_HOLD, (quantity, variant_id, location_id, quantity)).fetchone()
        if row is not None:
            driver.execute(_PG_INSERT_HOLD, (held.id, ref, variant_id, location_id, quantity,
                                             ReservationStatus.HELD.value, expires_at, created_at))
    else:
        row = connection.execute(_HOLD, {"hold_variant": variant_id, "hold_location": location_id,
                                         "hold_quantity": quantity}).first()
        if row is not None:
            connection.execute(_INSERT_HOLD, {"id": held.id, "ref": ref, "variant_id": variant_id,
                                              "location_id": location_id, "quantity": quantity,
                                              "status": ReservationStatus.HELD.value, "expires_at": expires_at,
                                              "created_at": created_at, "closed_at": None})
    if row is None:
        raise _short(session, variant_id, location_id, quantity)
    on_hand, reserved, safety, point_id = row
    if point_id is not None:
        point = session.get(ReorderPoint, point_id)
        if point is not None:
            after = max(on_hand - reserved - safety, 0)
            _low(session, point, variant_id, location_id, after + quantity, after)
    return held


def reserve(*, session: Session, variant_id: uuid.UUID, location_id: uuid.UUID, quantity: int, ref: str,
            expires_at: datetime | None = None) -> Reservation:
    """Hold stock for a cart (with an expiry) or an order (without); ``InsufficientStock`` when it is not there."""
    held = hold(session=session, variant_id=variant_id, location_id=location_id, quantity=quantity, ref=ref,
                expires_at=expires_at)
    # Attach the inserted row as already persistent: the unit of work costs more than the insert.
    reservation = Reservation(id=held.id, ref=ref, variant_id=variant_id, location_id=location_id,
                              quantity=quantity, status=ReservationStatus.HELD.value, expires_at=expires_at,
                              created_at=held.created_at, closed_at=None)
    make_transient_to_detached(reservation)
    session.add(reservation)
    return reservation


def reserve_lines(*, session: Session, lines: Sequence[ReservationLine], ref: str,
                  expires_at: datetime | None = None) -> list[Reservation]:
    """Hold every line of a cart or none of them, locking rows in (variant, location) order."""
    ordered = rules.lock_order(list(lines))
    for line in ordered:
        _positive(line.quantity)
    if not ordered:
        return []
    need: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for line in ordered:
        need[(line.variant_id, line.location_id)] = need.get((line.variant_id, line.location_id), 0) + line.quantity
    # One statement locks every row in (variant, location) order and reads it with its reorder point; nothing
    # is written until every line is known to fit, so a refusal leaves no partial hold behind.
    rows = {(r.variant_id, r.location_id): r for r in session.execute(
        select(StockLevel.id, StockLevel.variant_id, StockLevel.location_id, StockLevel.on_hand, StockLevel.reserved,
               StockLevel.safety_stock, ReorderPoint)
        .outerjoin(ReorderPoint, (ReorderPoint.variant_id == StockLevel.variant_id)
                   & (ReorderPoint.location_id == StockLevel.location_id))
        .where(tuple_(StockLevel.variant_id, StockLevel.location_id).in_(list(need)))
        .order_by(StockLevel.variant_id, StockLevel.location_id)
        .with_for_update(of=StockLevel))}
    for (variant_id, location_id), quantity in need.items():
        row = rows.get((variant_id, location_id))
        snap = rules.StockSnapshot(variant_id, location_id, *((row.on_hand, row.reserved, row.safety_stock)
                                                              if row is not None else (0, 0, 0)))
        if row is None or row.on_hand - row.reserved - row.safety_stock < quantity:
            raise InsufficientStock(f"Only {snap.available} available of {quantity} asked for",
                                    variant_id=str(variant_id), location_id=str(location_id), requested=quantity,
                                    available=snap.available)
    by_id = {rows[pair].id: quantity for pair, quantity in need.items()}
    amount = case(by_id, value=StockLevel.id)
    held_ids = list(session.scalars(update(StockLevel).where(StockLevel.id.in_(list(by_id)), amount <= _AVAILABLE)
                                    .values(reserved=StockLevel.reserved + amount)
                                    .returning(StockLevel.id).execution_options(**_NO_SYNC)))
    if len(held_ids) != len(by_id):  # pragma: no cover - the rows are locked, so the check above holds
        if held_ids:
            back = case({i: by_id[i] for i in held_ids}, value=StockLevel.id)
            session.execute(update(StockLevel).where(StockLevel.id.in_(held_ids))
                            .values(reserved=StockLevel.reserved - back).execution_options(**_NO_SYNC))
        raise InsufficientStock("Stock changed while holding it")
    now = clock.now()
    values = [{"id": new_id(), "ref": ref, "variant_id": line.variant_id, "location_id": line.location_id,
               "quantity": line.quantity, "status": ReservationStatus.HELD.value, "expires_at": expires_at,
               "created_at": now, "closed_at": None} for line in ordered]
    session.execute(_INSERT_HOLD, values)
    held = []
    for value in values:
        reservation = Reservation(**value)
        make_transient_to_detached(reservation)
        session.add(reservation)
        held.append(reservation)
    for pair, quantity in need.items():
        row = rows[pair]
        if row.ReorderPoint is not None:
            after = max(row.on_hand - row.reserved - quantity - row.safety_stock, 0)
            _low(session, row.ReorderPoint, pair[0], pair[1], after + quantity, after)
    return held


def _open(session: Session, ref: str, statuses: Iterable[str]) -> list[Reservation]:
    return list(session.scalars(select(Reservation).where(Reservation.ref == ref,
                                                          Reservation.status.in_(list(statuses)))
                                .order_by(Reservation.variant_id, Reservation.location_id, Reservation.id)))


def _close(session: Session, reservation: Reservation, status: ReservationStatus, *,
           from_statuses: Iterable[str] = OPEN_RESERVATIONS) -> bool:
    """Close one reservation if still open (a conditional update, so the job and a checkout never both win)."""
    closed = session.execute(update(Reservation).where(Reservation.id == reservation.id,
                                                       Reservation.status.in_(list(from_statuses)))
                             .values(status=status.value, closed_at=clock.now())
                             .returning(Reservation.id).execution_options(**_NO_SYNC)).first()
    if closed is None:
        return False
    reservation.status = status.value
    if status != ReservationStatus.SOLD:
        session.execute(update(StockLevel).where(StockLevel.variant_id == reservation.variant_id,
                                                 StockLevel.location_id == reservation.location_id)
                        .values(reserved=StockLevel.reserved - reservation.quantity)
                        .execution_options(**_NO_SYNC))
    return True


def release(*, session: Session, ref: str) -> int:
    """Give back every open hold and allocation under ``ref`` (cart abandoned, payment failed, order cancelled)."""
    return sum(r.quantity for r in _open(session, ref, OPEN_RESERVATIONS)
               if _close(session, r, ReservationStatus.RELEASED))


def allocate(*, session: Session, ref: str) -> list[Reservation]:
    """Turn a cart's holds into allocations for the placed order: they no longer expire."""
    # Lock the holds in (variant, location) order, as everything else does, then change them in one statement.
    held = list(session.scalars(select(Reservation).where(Reservation.ref == ref,
                                                          Reservation.status == ReservationStatus.HELD.value)
                                .order_by(Reservation.variant_id, Reservation.location_id, Reservation.id)
                                .with_for_update()))
    if not held:
        raise ReservationNotFound(f"No held stock under {ref}; the holds may have expired", ref=ref)
    done = set(session.scalars(update(Reservation).where(Reservation.id.in_([r.id for r in held]),
                                                         Reservation.status == ReservationStatus.HELD.value)
                               .values(status=ReservationStatus.ALLOCATED.value, expires_at=None)
                               .returning(Reservation.id).execution_options(**_NO_SYNC)))
    allocated = []
    for reservation in held:
        if reservation.id in done:
            set_committed_value(reservation, "status", ReservationStatus.ALLOCATED.value)
            set_committed_value(reservation, "expires_at", None)
            allocated.append(reservation)
    if not allocated:
        raise ReservationNotFound(f"No held stock under {ref}; the holds may have expired", ref=ref)
    return allocated


def commit_sale(*, session: Session, actor: Principal | None, ref: str, order_id: str | None = None,
                variant_id: uuid.UUID | None = None) -> list[Movement]:
    """Fulfil (or sell at the POS) what ``ref`` holds: reserved and on hand go down together, one sale line each."""
    movements = []
    for reservation in _open(session, ref, OPEN_RESERVATIONS):
        if variant_id is not None and reservation.variant_id != variant_id:
            continue
        if actor is not None and not (actor.can(Permission.POS_SELL, reservation.location_id)
                                      or actor.can(Permission.FULFILLMENT_MANAGE, reservation.location_id)):
            raise PermissionDenied("You may not sell or fulfil at this location")
        if not _close(session, reservation, ReservationStatus.SOLD):
            continue
        movements.append(apply_movement(
            session=session, actor=actor, variant_id=reservation.variant_id, location_id=reservation.location_id,
            kind=MovementKind.SALE, quantity=-reservation.quantity, reason="sale",
            document_type=rules.DocumentType.ORDER, document_id=order_id or ref,
            consume_reserved=reservation.quantity))
    if not movements:
        raise ReservationNotFound(f"No open reservation under {ref}", ref=ref)
    return movements


def release_expired_holds(*, session: Session, batch: int = 500) -> int:
    """Give held stock of carts whose hold expired back to available; return the units released."""
    due = list(session.scalars(select(Reservation).where(Reservation.status == ReservationStatus.HELD.value,
                                                         Reservation.expires_at <= clock.now())
                               .order_by(Reservation.variant_id, Reservation.location_id).limit(batch)))
    released = [r for r in due if _close(session, r, ReservationStatus.EXPIRED,
                                         from_statuses=[ReservationStatus.HELD.value])]
    if released:
        outbox.record(session, HoldsExpired(tuple(sorted({r.ref for r in released})),
                                            sum(r.quantity for r in released)))
    return sum(r.quantity for r in released)


def reservations_for(*, session: Session, ref: str) -> list[Reservation]:
    return _open(session, ref, [s.value for s in ReservationStatus])


# -- availability ----------------------------------------------------------------------------------------------

def _as_availability(level: StockLevel) -> Availability:
    snap = rules.StockSnapshot(level.variant_id, level.location_id, level.on_hand, level.reserved, level.safety_stock)
    return Availability(level.variant_id, level.location_id, level.on_hand, level.reserved, level.safety_stock,
                        snap.available, level.last_movement_at)


def availability(*, session: Session, variant_ids: Sequence[uuid.UUID],
                 location_ids: Sequence[uuid.UUID] | None = None) -> list[Availability]:
    """Stock of up to 200 variants, at the given locations (zeros included) or wherever they are held."""
    variants = list(dict.fromkeys(variant_ids))
    if len(variants) > rules.MAX_BATCH_VARIANTS:
        raise InvalidInput(f"Ask for at most {rules.MAX_BATCH_VARIANTS} variants at a time",
                           errors=[FieldError(("body", "variant_ids"), "too many")])
    if not variants:
        return []
    session.flush()
    stmt = _AVAILABILITY.where(_LEVEL.c.variant_id.in_(variants))
    if location_ids is None:
        return sorted((Availability(v, loc, on_hand, reserved, safety, max(on_hand - reserved - safety, 0), at)
                       for v, loc, on_hand, reserved, safety, at in session.connection().execute(stmt).all()),
                      key=lambda a: (a.variant_id, a.location_id))
    locations = list(dict.fromkeys(location_ids))
    if not locations:
        return []
    # A grid slot per (variant, location) in the asked-for order, filled by position from the driver's own rows:
    # no Row object, no (variant, location) tuple built or hashed per row, which was most of the Python time at
    # 200 x 50 rows. Ids come back as the driver holds them (UUID on PostgreSQL, hex text on SQLite) and are looked
    # up by their integer or their text (hashing a UUID object runs Python code); the caller's own UUID objects go
    # into the answer.
    with _cyclic_gc_paused():
        return _grid(session, stmt.where(_LEVEL.c.location_id.in_(locations)), variants, locations)


def variants_available(*, session: Session, variant_ids: Sequence[uuid.UUID],
                       location_ids: Sequence[uuid.UUID] | None = None) -> set[uuid.UUID]:
    """Which of these variants can be sold now at one of the locations (or anywhere): for "in stock" badges on
    listings, one indexed query returning only the yes-answers instead of a grid of every (variant, location)."""
    wanted = list(dict.fromkeys(variant_ids))
    if not wanted or (location_ids is not None and not location_ids):
        return set()
    by_key = {v: v for v in wanted}
    found: set[uuid.UUID] = set()
    for start in range(0, len(wanted), 500):
        stmt = select(StockLevel.variant_id).where(StockLevel.variant_id.in_(wanted[start:start + 500]),
                                                   _AVAILABLE > 0).distinct()
        if location_ids is not None:
            stmt = stmt.where(StockLevel.location_id.in_(list(location_ids)))
        found.update(by_key[v] for v in session.scalars(stmt) if v in by_key)
    return found


def _grid(session: Session, stmt: Select[Any], variants: list[uuid.UUID],
          locations: list[uuid.UUID]) -> list[Availability]:
    result = session.connection().execute(stmt)
    rows = result.cursor.fetchall()
    result.close()
    as_utc = _moment_reader(session)
    width = len(locations)
    native = bool(rows) and isinstance(rows[0][0], uuid.UUID)
    key: Any = _UUID_INT if native else str
    variant_at = {(v.int if native else v.hex): i * width for i, v in enumerate(variants)}
    location_at = {(loc.int if native else loc.hex): j for j, loc in enumerate(locations)}
    grid: list[Availability | None] = [None] * (len(variants) * width)
    make = tuple.__new__
    for v, loc, on_hand, reserved, safety, at in rows:
        n = variant_at[key(v)] + location_at[key(loc)]
        grid[n] = make(Availability, (variants[n // width], locations[n % width], on_hand, reserved, safety,
                                      on_hand - reserved - safety if on_hand > reserved + safety else 0,
                                      None if at is None else as_utc(at)))
    return [item if item is not None else Availability(variants[n // width], locations[n % width], 0, 0, 0, 0, None)
            for n, item in enumerate(grid)]


def _moment_reader(session: Session) -> Any:
    """How this database's driver value of a ``UTCDateTime`` column becomes an aware UTC datetime."""
    dialect = session.get_bind().dialect
    reader = _MOMENT_READERS.get(dialect.name)
    if reader is None:
        column_type = _LEVEL.c.last_movement_at.type.dialect_impl(dialect)
        reader = _MOMENT_READERS[dialect.name] = column_type.result_processor(dialect, None)
    return reader


_MOMENT_READERS: dict[str, Any] = {}
_UUID_INT = attrgetter("int")


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while tens of thousands of short-lived, acyclic objects are built.

    Each would count towards a collection, and the survivors of a 10,000-row answer trigger a full collection of
    the whole process heap about every other call (bench/inventory_bench.py: half the time of a batch). Only the
    thread that found the collector on turns it back on, so overlapping calls never leave it off.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def in_stock_variant_ids(*, session: Session, location_id: uuid.UUID) -> set[uuid.UUID]:
    """Variants with something available at this location."""
    return set(session.scalars(select(StockLevel.variant_id).where(StockLevel.location_id == location_id,
                                                                   _AVAILABLE > 0)))


def nearest_with_stock(*, session: Session, variant_ids: Sequence[uuid.UUID], latitude: float, longitude: float,
                       limit: int = 10, require_all: bool = True,
                       kinds: set[str] | None = None) -> list[NearbyStock]:
    """Stores nearest to a point that have the variants available (all of them, or any), by haversine distance."""
    if not rules.valid_coordinates(latitude, longitude):
        raise InvalidInput("Coordinates are out of range", errors=[FieldError(("query", "latitude"), "invalid")])
    kinds = kinds or {rules.LocationKind.STORE.value, rules.LocationKind.FRANCHISE_STORE.value}
    locations = {loc.id: loc for loc in list_locations(session=session, kinds=kinds)}
    wanted = list(dict.fromkeys(variant_ids))
    by_location: dict[uuid.UUID, list[Availability]] = {}
    for item in availability(session=session, variant_ids=wanted, location_ids=list(locations)):
        if item.available > 0:
            by_location.setdefault(item.location_id, []).append(item)
    results = []
    for location_id, lines in by_location.items():
        if require_all and len(lines) < len(wanted):
            continue
        loc = locations[location_id]
        results.append(NearbyStock(loc.id, loc.code, loc.name, loc.city,
                                   round(rules.haversine_km(latitude, longitude, loc.latitude, loc.longitude), 2),
                                   tuple(lines)))
    return sorted(results, key=lambda r: r.distance_km)[:max(limit, 0)]


def ledger_sum(*, session: Session, variant_id: uuid.UUID, location_id: uuid.UUID) -> int:
    """The sum of every ledger line for one variant at one location (what on hand must equal)."""
    return int(session.scalar(select(func.coalesce(func.sum(Movement.quantity), 0)).where(
        Movement.variant_id == variant_id, Movement.location_id == location_id)) or 0)


def scoped_to_locations(stmt: Select[Any], column: Any, actor: Principal, location_id: uuid.UUID | None,
                        permission: Permission = Permission.STOCK_READ) -> Select[Any]:
    """Narrow a list query to one location the actor may see, or to every location they may see."""
    if location_id is not None:
        if not actor.can(permission, location_id):
            raise PermissionDenied("You may not see stock at this location", location_id=str(location_id))
        return stmt.where(column == location_id)
    allowed = actor.locations_for(permission)
    return stmt if allowed is None else stmt.where(column.in_(list(allowed)))


def page_levels(*, session: Session, actor: Principal, location_id: uuid.UUID | None = None,
                variant_id: uuid.UUID | None = None, cursor: str | None, limit: int) -> Page[Availability]:
    """Stock levels at the locations the caller may see."""
    stmt = scoped_to_locations(select(StockLevel), StockLevel.location_id, actor, location_id)
    if variant_id is not None:
        stmt = stmt.where(StockLevel.variant_id == variant_id)
    page = paginate(session, stmt, StockLevel.id, cursor=cursor, limit=limit)
    return Page(items=[_as_availability(lv) for lv in page.items], next_cursor=page.next_cursor)


def page_movements(*, session: Session, actor: Principal, location_id: uuid.UUID | None = None,
                   variant_id: uuid.UUID | None = None, kind: str | None = None, cursor: str | None,
                   limit: int) -> Page[Movement]:
    """The ledger at the locations the caller may see, oldest first."""
    stmt = scoped_to_locations(select(Movement), Movement.location_id, actor, location_id)
    if variant_id is not None:
        stmt = stmt.where(Movement.variant_id == variant_id)
    if kind is not None:
        stmt = stmt.where(Movement.kind == kind)
    return paginate(session, stmt, Movement.id, cursor=cursor, limit=limit)




def search_movements(*, session: Session, actor: Principal, location_id: uuid.UUID,
                     variant_id: uuid.UUID | None = None, kind: str | None = None, since: datetime | None = None,
                     until: datetime | None = None, newest_first: bool = True, offset: int = 0,
                     limit: int | None = 50) -> tuple[list[Movement], int]:
    """One location's ledger filtered by item, kind and time, a page of it and how many lines match in all."""
    stmt = scoped_to_locations(select(Movement), Movement.location_id, actor, location_id)
    if variant_id is not None:
        stmt = stmt.where(Movement.variant_id == variant_id)
    if kind is not None:
        stmt = stmt.where(Movement.kind == kind)
    if since is not None:
        stmt = stmt.where(Movement.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(Movement.occurred_at < until)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    order = (Movement.occurred_at.desc(), Movement.id.desc()) if newest_first else (Movement.occurred_at,
                                                                                    Movement.id)
    stmt = stmt.order_by(*order).offset(max(offset, 0))
    return list(session.scalars(stmt if limit is None else stmt.limit(limit))), total
