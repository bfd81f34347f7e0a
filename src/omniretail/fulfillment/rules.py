"""Fulfilment rules: box choice, rate shopping, tracking steps, delay detection, pickup codes. Pure.

Box choice (no well-kept 3D packing library is in the package lists, so a documented heuristic):
an item fits a box when its sorted dimensions fit the box's sorted inner dimensions one by one (any rotation);
a set of items fits when every item fits, the items' total volume is at most ``FILL`` (85 %) of the box's inner
volume, and their weight plus the box's tare is at most its limit. The cheapest box that fits wins (the smaller
on a tie). When no single box holds everything, items go largest first into as few parcels as possible, each in
the largest box, and every parcel then gets the cheapest box that fits it (a split shipment).

Rate shopping: a service's price comes from its rate table (zone of the destination country, weight band); it
meets the promise when the ship date (today, or the next working day after its cut-off) plus its transit days is
on or before the promised date. The cheapest service that meets the promise wins, else the fastest; the reason is
kept on the shipment.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

FILL = 0.85


# -- boxes -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    variant_id: uuid.UUID
    sku: str
    length_mm: int
    width_mm: int
    height_mm: int
    weight_grams: int

    @property
    def volume(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class Box:
    code: str
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_grams: int
    tare_grams: int
    cost_minor: int

    @property
    def volume(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class Parcel:
    box: Box
    items: tuple[Item, ...]

    @property
    def weight_grams(self) -> int:
        return self.box.tare_grams + sum(i.weight_grams for i in self.items)


def item_fits(item: Item, box: Box) -> bool:
    return all(a <= b for a, b in zip(sorted((item.length_mm, item.width_mm, item.height_mm)),
                                      sorted((box.length_mm, box.width_mm, box.height_mm)), strict=True))


def fits(items: Sequence[Item], box: Box) -> bool:
    """Whether ``items`` go into ``box`` by the heuristic of this module."""
    return (all(item_fits(i, box) for i in items)
            and sum(i.volume for i in items) <= box.volume * FILL
            and sum(i.weight_grams for i in items) + box.tare_grams <= box.max_weight_grams)


def cheapest_box(items: Sequence[Item], boxes: Sequence[Box]) -> Box | None:
    fitting = [b for b in boxes if fits(items, b)]
    return min(fitting, key=lambda b: (b.cost_minor, b.volume, b.code)) if fitting else None


def pack(items: Sequence[Item], boxes: Sequence[Box]) -> list[Parcel] | str:
    """Parcels for ``items``: one box if any holds them all, else a split; a string says why it cannot be done."""
    if not items:
        return "nothing to pack"
    if not boxes:
        return "no boxes are set up"
    whole = cheapest_box(items, boxes)
    if whole is not None:
        return [Parcel(whole, tuple(items))]
    largest = max(boxes, key=lambda b: (b.volume, b.max_weight_grams))
    too_big = [i.sku for i in items if not fits([i], largest)]
    if too_big:
        return f"no box holds {', '.join(sorted(set(too_big)))}"
    groups: list[list[Item]] = []
    for item in sorted(items, key=lambda i: (-i.volume, -i.weight_grams, i.sku)):
        home = next((g for g in groups if fits([*g, item], largest)), None)
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    parcels = []
    for group in groups:
        box = cheapest_box(group, boxes)
        assert box is not None  # every group fits the largest box
        parcels.append(Parcel(box, tuple(group)))
    return parcels


# -- carriers and rates ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    zone: str
    max_grams: int
    price_minor: int


@dataclass(frozen=True)
class Service:
    carrier: str
    code: str
    level: str
    transit_days: int
    cutoff: time
    zones: Mapping[str, str]  # country -> zone; "*" for the rest
    rates: tuple[Rate, ...]

    def zone_of(self, country: str) -> str | None:
        return self.zones.get(country.upper(), self.zones.get("*"))

    def price(self, country: str, grams: int) -> int | None:
        zone = self.zone_of(country)
        band = [r for r in self.rates if r.zone == zone and r.max_grams >= grams]
        return min(band, key=lambda r: r.max_grams).price_minor if band else None


def add_working_days(day: date, days: int) -> date:
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def ship_date(service: Service, now: datetime) -> date:
    """Today if before the cut-off on a working day, else the next working day."""
    today = now.date()
    if today.weekday() < 5 and now.time() < service.cutoff:
        return today
    return add_working_days(today, 1)


def arrival(service: Service, now: datetime) -> date:
    return add_working_days(ship_date(service, now), service.transit_days)


@dataclass(frozen=True)
class Quote:
    service: Service
    price_minor: int
    arrives: date


@dataclass(frozen=True)
class RateChoice:
    quote: Quote | None
    reason: str
    considered: tuple[Quote, ...] = field(default=())


def shop_rates(services: Sequence[Service], *, country: str, grams: int, now: datetime,
               promised_by: date | None) -> RateChoice:
    """The cheapest service that arrives by ``promised_by`` (any, if none is promised), with why."""
    quotes = []
    for service in services:
        price = service.price(country, grams)
        if price is not None:
            quotes.append(Quote(service, price, arrival(service, now)))
    if not quotes:
        return RateChoice(None, f"no carrier service ships {grams} g to {country}")
    ok = [q for q in quotes if promised_by is None or q.arrives <= promised_by]
    if ok:
        best = min(ok, key=lambda q: (q.price_minor, q.arrives, q.service.code))
        why = (f"cheapest of {len(ok)} service(s) arriving by {promised_by.isoformat()}" if promised_by
               else f"cheapest of {len(ok)} service(s)")
        return RateChoice(best, f"{best.service.carrier}/{best.service.code}: {why}, "
                                f"{best.price_minor} for {grams} g, arrives {best.arrives.isoformat()}", tuple(quotes))
    fastest = min(quotes, key=lambda q: (q.arrives, q.price_minor, q.service.code))
    return RateChoice(fastest, f"{fastest.service.carrier}/{fastest.service.code}: no service arrives by "
                               f"{promised_by.isoformat() if promised_by else '-'}; fastest arrives "
                               f"{fastest.arrives.isoformat()}", tuple(quotes))


# -- tracking --------------------------------------------------------------------------------------------------

class ShipmentStatus(StrEnum):
    OPEN = "open"  # pick list issued
    PACKED = "packed"  # boxed, labelled, waiting for the carrier
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    FAILED_ATTEMPT = "failed_attempt"
    EXCEPTION = "exception"


class TrackingKind(StrEnum):
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    FAILED_ATTEMPT = "failed_attempt"
    EXCEPTION = "exception"


T = ShipmentStatus
_AFTER_PACKING = frozenset({T.PACKED, T.PICKED_UP, T.IN_TRANSIT, T.OUT_FOR_DELIVERY, T.FAILED_ATTEMPT, T.EXCEPTION})
TRACKING_FROM: dict[TrackingKind, frozenset[ShipmentStatus]] = {
    TrackingKind.PICKED_UP: frozenset({T.PACKED}),
    TrackingKind.IN_TRANSIT: _AFTER_PACKING - {T.PACKED},
    TrackingKind.OUT_FOR_DELIVERY: _AFTER_PACKING - {T.PACKED},
    TrackingKind.DELIVERED: _AFTER_PACKING - {T.PACKED},
    TrackingKind.FAILED_ATTEMPT: _AFTER_PACKING - {T.PACKED},
    TrackingKind.EXCEPTION: _AFTER_PACKING,
}
# How long each state may last before the next event is overdue.
NEXT_EVENT_WITHIN: dict[ShipmentStatus, timedelta] = {
    T.PACKED: timedelta(hours=24),
    T.PICKED_UP: timedelta(hours=24),
    T.IN_TRANSIT: timedelta(hours=48),
    T.OUT_FOR_DELIVERY: timedelta(hours=12),
    T.FAILED_ATTEMPT: timedelta(hours=36),
    T.EXCEPTION: timedelta(hours=24),
}


@dataclass(frozen=True)
class Step:
    allowed: bool
    reason: str = ""


def can_track(status: str, kind: str) -> Step:
    """Whether a tracking event of ``kind`` may follow a shipment in ``status``."""
    try:
        here, what = ShipmentStatus(status), TrackingKind(kind)
    except ValueError:
        return Step(False, f"unknown tracking event {kind!r}")
    if here in TRACKING_FROM[what]:
        return Step(True)
    return Step(False, f"a shipment that is {here.value} cannot be {what.value}")


def next_expected(status: str, at: datetime) -> datetime | None:
    within = NEXT_EVENT_WITHIN.get(ShipmentStatus(status))
    return at + within if within else None


def overdue(expected_by: datetime | None, now: datetime, grace: timedelta = timedelta()) -> bool:
    return expected_by is not None and now > expected_by + grace


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, signature: str | None) -> bool:
    return bool(signature) and hmac.compare_digest(sign(secret, body), (signature or "").strip().lower())


# -- pickup and pick lists -------------------------------------------------------------------------------------

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def pickup_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def names_match(expected: str, given: str) -> bool:
    """The name the shopper gives matches the order's (case, accents of spacing aside; one name suffices)."""
    want = {w for w in expected.casefold().split() if w}
    got = {w for w in given.casefold().split() if w}
    return bool(want and got and got <= want)


@dataclass(frozen=True)
class PickLine:
    bin: str
    sku: str
    variant_id: uuid.UUID
    quantity: int
    orders: tuple[str, ...]


def pick_list(lines: Sequence[tuple[uuid.UUID, str, int, str]], bins: Mapping[uuid.UUID, str]) -> list[PickLine]:
    """One line per item from (variant, sku, quantity, order number) lines, in walking order of bin (unknown
    bins last), then SKU."""
    grouped: dict[uuid.UUID, tuple[str, int, list[str]]] = {}
    for variant_id, sku, quantity, order in lines:
        _, total, orders = grouped.get(variant_id, (sku, 0, []))
        orders.append(order)
        grouped[variant_id] = (sku, total + quantity, orders)
    result = [PickLine(bins.get(v, ""), sku, v, q, tuple(dict.fromkeys(o))) for v, (sku, q, o) in grouped.items()]
    return sorted(result, key=lambda p: (p.bin == "", p.bin, p.sku))


# -- delivery-platform (O2O) orders ----------------------------------------------------------------------------

class CourierStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    READY = "ready"
    PICKED_UP = "picked_up"  # by the platform's courier
    DELIVERED = "delivered"


COURIER_NEXT: dict[CourierStatus, CourierStatus | None] = {
    CourierStatus.NEW: CourierStatus.ACCEPTED, CourierStatus.ACCEPTED: CourierStatus.READY,
    CourierStatus.READY: CourierStatus.PICKED_UP, CourierStatus.PICKED_UP: CourierStatus.DELIVERED,
    CourierStatus.DELIVERED: None,
}


def can_courier_move(current: str, target: str) -> Step:
    """Courier states go one step at a time, in order."""
    try:
        here, there = CourierStatus(current), CourierStatus(target)
    except ValueError:
        return Step(False, f"unknown courier state {target!r}")
    if COURIER_NEXT[here] == there:
        return Step(True)
    return Step(False, f"an order that is {here.value} cannot become {there.value}")


def ticket_lines(*, store: str, number: str, platform: str, external_id: str, placed: str,
                 lines: Sequence[tuple[int, str, str]], width: int = 42) -> list[str]:
    """A kitchen/packing ticket for an ESC/POS printer (42 columns on 80 mm paper): header, items, barcode text."""
    rule = "-" * width
    out = [store[:width].center(width), rule, f"{platform.upper()} {external_id}"[:width], f"Order {number}"[:width],
           placed[:width], rule]
    for quantity, sku, name in lines:
        out.append(f"{quantity:>3} x {sku}"[:width])
        out.append(f"      {name}"[:width])
    out += [rule, f"*{number}*".center(width)]
    return out
