"""Fulfilment use cases: boxes and carriers, shipments from allocations (pick list, packing with box choice and
rate shopping, label), tracking events from carriers or staff. Flush, never commit. Pickups live in
``fulfillment.pickups`` and delay detection in ``fulfillment.delays``; both are re-exported here."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.fulfillment import notify, ports, rules
from omniretail.fulfillment.events import ShipmentTracked
from omniretail.fulfillment.exceptions import (
    BadSignature,
    CannotPack,
    NothingToShip,
    ShipmentNotFound,
    TrackingRefused,
)
from omniretail.fulfillment.models import (
    BinAssignment,
    Box,
    CarrierService,
    Delay,
    DispatchWatch,
    Setting,
    Shipment,
    ShipmentLine,
    TrackingEvent,
)
from omniretail.fulfillment.rules import ShipmentStatus, TrackingKind
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.numbers import next_number
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus, can_move

PICKUP_METHODS = frozenset({"click_and_collect", "pickup"})
COUNTER_METHODS = frozenset({"carry_out", "platform_courier"})
DEFAULTS: dict[str, Any] = {"dispatch_target_hours": 24, "pickup_hold_days": 7, "promise_days": 3,
                            "delay_grace_minutes": 0, "platform_webhooks": {}}


# -- setup -----------------------------------------------------------------------------------------------------

def settings(*, session: Session) -> dict[str, Any]:
    row = session.scalar(select(Setting).where(Setting.code == "default"))
    return {**DEFAULTS, **(row.values if row else {})}


def set_settings(*, session: Session, actor: Principal | None, **values: Any) -> dict[str, Any]:
    """Change the dispatch target, pickup hold days, default promise or delay grace."""
    if actor is not None:
        identity_service.require(actor, Permission.SETTINGS_MANAGE)
    row = session.scalar(select(Setting).where(Setting.code == "default"))
    if row is None:
        row = Setting(code="default", values={})
        session.add(row)
    row.values = {**row.values, **{k: v for k, v in values.items() if k in DEFAULTS}}
    session.flush()
    return settings(session=session)


def add_box(*, session: Session, code: str, name: str, length_mm: int, width_mm: int, height_mm: int,
            max_weight_grams: int, tare_grams: int, cost_minor: int, currency: str) -> Box:
    """Add a box to the merchant's box list."""
    box = Box(code=code, name=name, length_mm=length_mm, width_mm=width_mm, height_mm=height_mm,
              max_weight_grams=max_weight_grams, tare_grams=tare_grams, cost_minor=cost_minor, currency=currency)
    session.add(box)
    session.flush()
    return box


def add_carrier_service(*, session: Session, carrier: str, code: str, name: str, level: str, transit_days: int,
                        cutoff: str, currency: str, zones: dict[str, str], rates: list[dict[str, Any]],
                        webhook_secret: str) -> CarrierService:
    """Add a carrier service with its zones and rate table (``[{zone, max_grams, price_minor}]``)."""
    row = CarrierService(carrier=carrier, code=code, name=name, level=level, transit_days=transit_days,
                         cutoff=cutoff, currency=currency, zones=zones, rates=rates, webhook_secret=webhook_secret)
    session.add(row)
    session.flush()
    return row


def boxes(*, session: Session) -> list[Box]:
    return list(session.scalars(select(Box).where(Box.is_active.is_(True)).order_by(Box.code)))


def carrier_services(*, session: Session, carrier: str | None = None) -> list[CarrierService]:
    stmt = select(CarrierService).where(CarrierService.is_active.is_(True)).order_by(CarrierService.carrier,
                                                                                    CarrierService.code)
    return list(session.scalars(stmt if carrier is None else stmt.where(CarrierService.carrier == carrier)))


def set_bin(*, session: Session, location_id: uuid.UUID, variant_id: uuid.UUID, bin: str) -> None:
    row = session.scalar(select(BinAssignment).where(BinAssignment.location_id == location_id,
                                                     BinAssignment.variant_id == variant_id))
    if row is None:
        session.add(BinAssignment(location_id=location_id, variant_id=variant_id, bin=bin))
    else:
        row.bin = bin
    session.flush()


def _as_box(b: Box) -> rules.Box:
    return rules.Box(b.code, b.length_mm, b.width_mm, b.height_mm, b.max_weight_grams, b.tare_grams, b.cost_minor)


def as_service(c: CarrierService) -> rules.Service:
    hh, mm = (int(x) for x in c.cutoff.split(":"))
    return rules.Service(c.carrier, c.code, c.level, c.transit_days, time(hh, mm), dict(c.zones),
                         tuple(rules.Rate(str(r["zone"]), int(r["max_grams"]), int(r["price_minor"])) for r in c.rates))


# -- shipments -------------------------------------------------------------------------------------------------

def _step(session: Session, order: ordering_service.Order, to: OrderStatus, actor: str) -> None:
    """Move the order one step if it may (several shipments reach each step one after another)."""
    if order.status != to.value and can_move(order.status, to).allowed:
        ordering_service.move(session=session, order=order, to=to, actor=actor)


def shipments_of(*, session: Session, order_id: uuid.UUID) -> list[Shipment]:
    return list(session.scalars(select(Shipment).where(Shipment.order_id == order_id).order_by(Shipment.number)))


def get_shipment(*, session: Session, shipment_id: uuid.UUID, lock: bool = False) -> Shipment:
    stmt = select(Shipment).where(Shipment.id == shipment_id)
    row = session.scalar(stmt.with_for_update() if lock else stmt)
    if row is None:
        raise ShipmentNotFound()
    return row


def start_shipments(*, session: Session, actor: Principal | None, order_id: uuid.UUID) -> list[Shipment]:
    """Open one shipment per location that holds the order's allocations, and start picking."""
    order = ordering_service.get_order(session=session, order_id=order_id)
    if shipments_of(session=session, order_id=order.id):
        return shipments_of(session=session, order_id=order.id)
    by_location: dict[uuid.UUID, dict[uuid.UUID, int]] = {}
    for r in inventory_service.reservations_for(session=session, ref=order.hold_ref):
        if r.status == "allocated":
            by_location.setdefault(r.location_id, {})
            by_location[r.location_id][r.variant_id] = by_location[r.location_id].get(r.variant_id, 0) + r.quantity
    if not by_location:
        raise NothingToShip(f"Order {order.number} holds no allocated stock")
    skus = {ln.variant_id: ln.sku for ln in order.lines}
    country = str((order.delivery.get("address") or {}).get("country") or "LV")[:2].upper()
    made = []
    for location_id, items in sorted(by_location.items()):
        if actor is not None:
            identity_service.require(actor, Permission.FULFILLMENT_MANAGE, location_id)
        shipment = Shipment(number=next_number(session=session, prefix="SH"), order_id=order.id,
                            order_number=order.number, location_id=location_id, status=ShipmentStatus.OPEN.value,
                            country=country, currency=order.currency, promised_by=promised_by(session, order),
                            lines=[ShipmentLine(variant_id=v, sku=skus.get(v, str(v)), quantity=q)
                                   for v, q in sorted(items.items())])
        session.add(shipment)
        made.append(shipment)
    session.flush()
    _step(session, order, OrderStatus.PICKING, _label(actor))
    return made


def _label(actor: Principal | None) -> str:
    return f"staff:{actor.email}" if actor is not None else "system"


def promised_by(session: Session, order: ordering_service.Order) -> date:
    days = int(order.delivery.get("eta_days") or settings(session=session)["promise_days"])
    return rules.add_working_days(order.created_at.date(), days)


@dataclass(frozen=True)
class PickListRead:
    location_id: uuid.UUID
    shipments: int
    lines: list[rules.PickLine]


def pick_list(*, session: Session, actor: Principal | None, location_id: uuid.UUID) -> PickListRead:
    """What to pick at a location for every open shipment, grouped by bin in walking order."""
    if actor is not None:
        identity_service.require(actor, Permission.FULFILLMENT_MANAGE, location_id)
    rows = session.execute(select(ShipmentLine.variant_id, ShipmentLine.sku, ShipmentLine.quantity,
                                  Shipment.order_number)
                           .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
                           .where(Shipment.location_id == location_id,
                                  Shipment.status == ShipmentStatus.OPEN.value)).all()
    bins: dict[uuid.UUID, str] = {v: b for v, b in session.execute(
        select(BinAssignment.variant_id, BinAssignment.bin).where(BinAssignment.location_id == location_id))}
    count = len({r[3] for r in rows})
    return PickListRead(location_id, count, rules.pick_list([(r[0], r[1], r[2], r[3]) for r in rows], bins))


def items_of(session: Session, lines: Sequence[tuple[uuid.UUID, str, int]]) -> list[rules.Item]:
    items = []
    for variant_id, sku, quantity in lines:
        v = catalog_service.get_variant(session=session, variant_id=variant_id)
        items.extend([rules.Item(variant_id, sku, v.length_mm or 1, v.width_mm or 1, v.height_mm or 1,
                                 v.weight_grams)] * quantity)
    return items


def plan_parcels(*, session: Session, lines: Sequence[tuple[uuid.UUID, str, int]], country: str, now: datetime,
                 promised: date | None) -> list[tuple[rules.Parcel, rules.RateChoice]]:
    """Boxes for the items and the carrier service for each parcel (what packing and the bench use)."""
    parcels = rules.pack(items_of(session, lines), [_as_box(b) for b in boxes(session=session)])
    if isinstance(parcels, str):
        raise CannotPack(parcels)
    services = [as_service(c) for c in carrier_services(session=session)]
    return [(p, rules.shop_rates(services, country=country, grams=p.weight_grams, now=now, promised_by=promised))
            for p in parcels]


def pack(*, session: Session, actor: Principal | None, shipment_id: uuid.UUID) -> list[Shipment]:
    """Box the shipment (the cheapest box that fits; split into more parcels when one box is not enough), buy
    the cheapest carrier service that keeps the promise, book it and keep why."""
    shipment = get_shipment(session=session, shipment_id=shipment_id, lock=True)
    if actor is not None:
        identity_service.require(actor, Permission.FULFILLMENT_MANAGE, shipment.location_id)
    if shipment.status != ShipmentStatus.OPEN:
        return [shipment]
    now = clock.now()
    planned = plan_parcels(session=session, lines=[(ln.variant_id, ln.sku, ln.quantity) for ln in shipment.lines],
                           country=shipment.country, now=now, promised=shipment.promised_by)
    result = []
    skus = {ln.variant_id: ln.sku for ln in shipment.lines}
    for i, (parcel, choice) in enumerate(planned):
        if choice.quote is None:
            raise CannotPack(choice.reason)
        target = shipment if i == 0 else _split_off(session, shipment)
        counts: dict[uuid.UUID, int] = {}
        for item in parcel.items:
            counts[item.variant_id] = counts.get(item.variant_id, 0) + 1
        if len(planned) > 1:
            target.lines = [ShipmentLine(variant_id=v, sku=skus.get(v, str(v)), quantity=q) for v, q in counts.items()]
        booking = ports.carrier_for(choice.quote.service.carrier).book(ports.ParcelToBook(
            target.number, choice.quote.service.code, target.country, parcel.weight_grams))
        target.box_code, target.weight_grams = parcel.box.code, parcel.weight_grams
        target.carrier, target.service_code = choice.quote.service.carrier, choice.quote.service.code
        target.price_minor, target.rate_reason = choice.quote.price_minor, choice.reason[:300]
        target.tracking_number, target.status = booking.tracking_number, ShipmentStatus.PACKED.value
        target.packed_at, target.updated_at = now, now
        target.expected_by = rules.next_expected(ShipmentStatus.PACKED, now)
        result.append(target)
    session.flush()
    order = ordering_service.get_order(session=session, order_id=shipment.order_id)
    if all(s.status != ShipmentStatus.OPEN for s in shipments_of(session=session, order_id=order.id)):
        _step(session, order, OrderStatus.PACKED, _label(actor))
    return result


def _split_off(session: Session, shipment: Shipment) -> Shipment:
    other = Shipment(number=next_number(session=session, prefix="SH"), order_id=shipment.order_id,
                     order_number=shipment.order_number, location_id=shipment.location_id,
                     status=ShipmentStatus.OPEN.value, country=shipment.country, currency=shipment.currency,
                     promised_by=shipment.promised_by)
    session.add(other)
    return other


def label_pdf(*, session: Session, shipment: Shipment) -> bytes:
    """The shipping label of a packed shipment."""
    from omniretail.fulfillment import labels

    if not shipment.tracking_number:
        raise CannotPack("Pack the shipment before printing its label")
    order = ordering_service.get_order(session=session, order_id=shipment.order_id)
    origin = inventory_service.get_location(session=session, location_id=shipment.location_id)
    address = order.delivery.get("address") or {}
    to = ", ".join(str(address.get(k) or "") for k in ("name", "line1", "postal_code", "city", "country"))
    return labels.shipping_label(tracking_number=shipment.tracking_number, carrier=shipment.carrier or "",
                                 service=shipment.service_code or "", shipment_number=shipment.number,
                                 order_number=shipment.order_number, ship_from=f"{origin.name}, {origin.city}",
                                 ship_to=to, weight_grams=shipment.weight_grams, box=shipment.box_code or "")


# -- tracking --------------------------------------------------------------------------------------------------

def track(*, session: Session, shipment: Shipment, kind: str, source: str, at: datetime | None = None,
          note: str = "", external_id: str | None = None) -> TrackingEvent | None:
    """Apply one tracking step: the shipment's state, the order's (shipped, delivered), an e-mail to the shopper.
    A webhook event seen before (same external id) changes nothing and returns None."""
    if external_id is not None and session.scalar(select(TrackingEvent.id).where(
            TrackingEvent.shipment_id == shipment.id, TrackingEvent.external_id == external_id)) is not None:
        return None
    step = rules.can_track(shipment.status, kind)
    if not step.allowed:
        raise TrackingRefused(step.reason, status_now=shipment.status)
    when = at or clock.now()
    event = TrackingEvent(shipment_id=shipment.id, kind=kind, at=when, source=source, note=note[:500],
                          external_id=external_id)
    session.add(event)
    shipment.status, shipment.updated_at = ShipmentStatus(kind).value, clock.now()
    shipment.expected_by, shipment.delayed_at = rules.next_expected(shipment.status, when), None
    if kind == TrackingKind.PICKED_UP:
        shipment.shipped_at = when
        _dispatched(session, shipment.order_id, when)
    if kind == TrackingKind.DELIVERED:
        shipment.delivered_at = when
    _resolve_delays(session, shipment.id)
    session.flush()
    order = ordering_service.get_order(session=session, order_id=shipment.order_id)
    siblings = shipments_of(session=session, order_id=order.id)
    if kind == TrackingKind.PICKED_UP and all(s.shipped_at for s in siblings):
        _step(session, order, OrderStatus.SHIPPED, source)
    if kind == TrackingKind.DELIVERED and all(s.delivered_at for s in siblings):
        _step(session, order, OrderStatus.DELIVERED, source)
    notify.queue(session=session, order=order, kind=kind, shipment_id=shipment.id,
                 data={"tracking": shipment.tracking_number or ""})
    record(session, ShipmentTracked(shipment.id, order.id, kind, when))
    return event


def _dispatched(session: Session, order_id: uuid.UUID, when: datetime) -> None:
    watch = session.scalar(select(DispatchWatch).where(DispatchWatch.order_id == order_id))
    if watch is not None and watch.shipped_at is None:
        watch.shipped_at = when
    for delay in session.scalars(select(Delay).where(Delay.order_id == order_id, Delay.kind == "dispatch",
                                                     Delay.resolved_at.is_(None))):
        delay.resolved_at = when


def _resolve_delays(session: Session, shipment_id: uuid.UUID) -> None:
    for delay in session.scalars(select(Delay).where(Delay.shipment_id == shipment_id, Delay.resolved_at.is_(None))):
        delay.resolved_at = clock.now()


def track_by_staff(*, session: Session, actor: Principal, shipment_id: uuid.UUID, kind: str, note: str = ""
                   ) -> TrackingEvent:
    """Enter a tracking step by hand (the courier called, the parcel came back...)."""
    shipment = get_shipment(session=session, shipment_id=shipment_id, lock=True)
    identity_service.require(actor, Permission.FULFILLMENT_MANAGE, shipment.location_id)
    event = track(session=session, shipment=shipment, kind=kind, source=f"staff:{actor.email}", note=note)
    assert event is not None
    return event


def receive_webhook(*, session: Session, carrier: str, body: bytes, signature: str | None) -> bool:
    """Apply a carrier's signed tracking event (HMAC-SHA256 of the body with the carrier's secret); a bad
    signature is refused, a redelivery changes nothing (returns False)."""
    secrets_ = {c.webhook_secret for c in carrier_services(session=session, carrier=carrier)}
    if not secrets_ or not any(rules.signature_ok(s, body, signature) for s in secrets_):
        raise BadSignature()
    try:
        payload = json.loads(body)
        tracking, kind, event_id = str(payload["tracking_number"]), str(payload["kind"]), str(payload["id"])[:120]
        at = datetime.fromisoformat(payload["at"]) if payload.get("at") else None
    except (ValueError, KeyError, TypeError) as exc:
        raise BadSignature("The webhook body is not a tracking event") from exc
    shipment = session.scalar(select(Shipment).where(Shipment.tracking_number == tracking).with_for_update())
    if shipment is None:
        raise ShipmentNotFound(f"No shipment {tracking}")
    return track(session=session, shipment=shipment, kind=kind, source=f"carrier:{carrier}", at=at,
                 note=str(payload.get("note") or ""), external_id=event_id) is not None


def tracking_events(*, session: Session, shipment_id: uuid.UUID) -> list[TrackingEvent]:
    return list(session.scalars(select(TrackingEvent).where(TrackingEvent.shipment_id == shipment_id)
                                .order_by(TrackingEvent.at, TrackingEvent.id)))


def watch_dispatch(*, session: Session, order_id: uuid.UUID) -> None:
    """Start watching a placed order that ships against the merchant's dispatch target."""
    order = ordering_service.get_order(session=session, order_id=order_id)
    method = str(order.delivery.get("method") or "")
    if method in PICKUP_METHODS or method in COUNTER_METHODS or order.status in ("cancelled", "picked_up"):
        return
    if session.scalar(select(DispatchWatch.id).where(DispatchWatch.order_id == order.id)) is not None:
        return
    hours = int(settings(session=session)["dispatch_target_hours"])
    session.add(DispatchWatch(order_id=order.id, order_number=order.number, location_id=order.location_id,
                              due_at=order.created_at + timedelta(hours=hours)))
    session.flush()


from omniretail.fulfillment.delays import detect_delays, open_delays  # noqa: E402
from omniretail.fulfillment.pickups import cancel_uncollected, handover, mark_ready_for_pickup  # noqa: E402

__all__ = ["Box", "CarrierService", "Delay", "Shipment", "TrackingEvent", "add_box", "add_carrier_service",
           "boxes", "cancel_uncollected", "carrier_services", "detect_delays", "get_shipment", "handover",
           "label_pdf", "mark_ready_for_pickup", "open_delays", "pack", "pick_list", "plan_parcels",
           "receive_webhook", "settings", "shipments_of", "start_shipments", "track", "track_by_staff",
           "tracking_events", "watch_dispatch"]


def search_shipments(*, session: Session, location_ids: frozenset[uuid.UUID] | None,
                     location_id: uuid.UUID | None = None, statuses: Sequence[str] | None = None, offset: int = 0,
                     limit: int | None = 50) -> tuple[list[Shipment], int]:
    """The fulfilment queue: shipments at these locations (None: everywhere) by status, oldest promise first,
    and how many match."""
    from sqlalchemy import func

    stmt = select(Shipment)
    if location_ids is not None:
        stmt = stmt.where(Shipment.location_id.in_(list(location_ids)))
    if location_id is not None:
        stmt = stmt.where(Shipment.location_id == location_id)
    if statuses:
        stmt = stmt.where(Shipment.status.in_(list(statuses)))
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    stmt = stmt.order_by(Shipment.promised_by, Shipment.number).offset(max(offset, 0))
    return list(session.scalars(stmt if limit is None else stmt.limit(limit))), total
