"""Order rules: the lifecycle state machine and sourcing (which locations fulfil which lines). Pure.

Sourcing, in this order of preference:
1. a pickup or counter sale is fulfilled entirely at the chosen store, or not at all;
2. otherwise the nearest eligible location that can fill the whole order;
3. otherwise the fewest shipments: repeatedly the location that fills the most remaining units (nearest on
   ties), splitting a line only when no single location has all of it.
Franchise stores take part only when the merchant allows it. To change the policy, change ``choose_sources``;
the decision and its reason are stored on the order.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class OrderStatus(StrEnum):
    PLACED = "placed"
    PAID = "paid"
    ALLOCATED = "allocated"
    PICKING = "picking"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    READY_FOR_PICKUP = "ready_for_pickup"
    PICKED_UP = "picked_up"
    CANCELLED = "cancelled"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PLACED: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.ALLOCATED, S.CANCELLED}),
    S.ALLOCATED: frozenset({S.PICKING, S.PICKED_UP, S.CANCELLED}),
    S.PICKING: frozenset({S.PACKED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.READY_FOR_PICKUP}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.READY_FOR_PICKUP: frozenset({S.PICKED_UP, S.CANCELLED}),
    S.DELIVERED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PICKED_UP: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}
# Before fulfilment starts an order may still be edited or cancelled with everything given back.
EDITABLE = frozenset({S.PLACED, S.PAID, S.ALLOCATED})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""


def can_move(current: str, target: str) -> Decision:
    """Whether an order in ``current`` may move to ``target``, and why not."""
    try:
        here, there = OrderStatus(current), OrderStatus(target)
    except ValueError:
        return Decision(False, f"unknown status {target!r}")
    if there in TRANSITIONS[here]:
        return Decision(True)
    return Decision(False, f"an order that is {here.value} cannot become {there.value}")


def status_after_refund(current: str, paid_minor: int, refunded_minor: int) -> str:
    """The status once ``refunded_minor`` of ``paid_minor`` has gone back (cancelled orders stay cancelled)."""
    if current in (S.CANCELLED, S.PLACED, S.PAID, S.ALLOCATED, S.PICKING, S.PACKED, S.SHIPPED, S.READY_FOR_PICKUP):
        return current
    if refunded_minor <= 0:
        return current
    return S.REFUNDED.value if refunded_minor >= paid_minor else S.PARTIALLY_REFUNDED.value


# -- sourcing --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """A location that could fulfil: its distance to the destination (None when unknown) and capabilities."""

    location_id: uuid.UUID
    code: str
    kind: str
    distance_km: float | None
    ships_parcels: bool
    offers_pickup: bool


@dataclass(frozen=True)
class Need:
    variant_id: uuid.UUID
    quantity: int


@dataclass(frozen=True)
class Assignment:
    variant_id: uuid.UUID
    location_id: uuid.UUID
    quantity: int


@dataclass(frozen=True)
class SourcingDecision:
    assignments: tuple[Assignment, ...]
    reason: str
    rule: str

    @property
    def ok(self) -> bool:
        return bool(self.assignments)

    @property
    def locations(self) -> tuple[uuid.UUID, ...]:
        return tuple(dict.fromkeys(a.location_id for a in self.assignments))


def _sort_key(candidate: Candidate) -> tuple[int, float, str]:
    return (candidate.distance_km is None, candidate.distance_km or 0.0, candidate.code)


def _fills(stock: Mapping[tuple[uuid.UUID, uuid.UUID], int], location_id: uuid.UUID, needs: Sequence[Need]) -> bool:
    return all(stock.get((n.variant_id, location_id), 0) >= n.quantity for n in needs)


def choose_sources(*, needs: Sequence[Need], candidates: Sequence[Candidate],
                   stock: Mapping[tuple[uuid.UUID, uuid.UUID], int], pickup_location_id: uuid.UUID | None = None,
                   allow_franchise: bool = False) -> SourcingDecision:
    """Pick the location(s) for each line; an empty decision carries the reason it cannot be filled."""
    wanted = [n for n in needs if n.quantity > 0]
    if pickup_location_id is not None:
        store = next((c for c in candidates if c.location_id == pickup_location_id), None)
        label = store.code if store else str(pickup_location_id)
        if _fills(stock, pickup_location_id, wanted):
            return SourcingDecision(tuple(Assignment(n.variant_id, pickup_location_id, n.quantity) for n in wanted),
                                    f"everything is at the chosen store {label}", "chosen_store")
        return SourcingDecision((), f"not everything is available at {label}", "chosen_store")
    eligible = sorted((c for c in candidates if c.ships_parcels and (allow_franchise or c.kind != "franchise_store")),
                      key=_sort_key)
    whole = next((c for c in eligible if _fills(stock, c.location_id, wanted)), None)
    if whole is not None:
        where = f"{whole.code} ({whole.distance_km:.1f} km)" if whole.distance_km is not None else whole.code
        return SourcingDecision(tuple(Assignment(n.variant_id, whole.location_id, n.quantity) for n in wanted),
                                f"nearest location that can fill the whole order: {where}", "single_location")
    return _fewest_shipments(wanted, eligible, stock)


def _fewest_shipments(wanted: Sequence[Need], eligible: Sequence[Candidate],
                      stock: Mapping[tuple[uuid.UUID, uuid.UUID], int]) -> SourcingDecision:
    left = {n.variant_id: n.quantity for n in wanted}
    free = dict(stock)
    assignments: list[Assignment] = []
    used: list[str] = []
    while any(left.values()):
        def whole_lines(c: Candidate) -> int:
            return sum(q for v, q in left.items() if q and free.get((v, c.location_id), 0) >= q)

        def units(c: Candidate) -> int:
            return sum(min(q, free.get((v, c.location_id), 0)) for v, q in left.items())

        best = max(eligible, key=lambda c: (whole_lines(c), units(c), -eligible.index(c)), default=None)
        if best is None or units(best) == 0:
            short = sorted(str(v) for v, q in left.items() if q)
            return SourcingDecision((), f"no eligible location has {', '.join(short)}", "fewest_shipments")
        for variant_id, quantity in list(left.items()):
            take = min(quantity, free.get((variant_id, best.location_id), 0))
            if take:
                assignments.append(Assignment(variant_id, best.location_id, take))
                free[(variant_id, best.location_id)] -= take
                left[variant_id] -= take
        used.append(best.code)
    return SourcingDecision(tuple(assignments),
                            f"no single location has everything; {len(used)} shipments from {', '.join(used)}",
                            "fewest_shipments")


# -- edits before fulfilment -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class EditLine:
    """A line as an edit sees it: what stays priced as it was sold, and new lines priced now."""

    variant_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price_minor: int
    tax_rate_bp: int
    location_id: uuid.UUID | None


@dataclass(frozen=True)
class EditPlan:
    lines: tuple[EditLine, ...]
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    delta_minor: int  # > 0: more to take from the shopper; < 0: to give back
    line_taxes: tuple[int, ...] = ()

    def line_total(self, line: EditLine) -> int:
        return line.unit_price_minor * line.quantity


def plan_edit(*, lines: Sequence[EditLine], quantities: Mapping[uuid.UUID, int], added: Sequence[EditLine],
              shipping_minor: int, discount_minor: int, old_total_minor: int, tax_of: Callable[[int, int], int],
              inclusive: bool = True, max_quantity: int = 999) -> EditPlan | str:
    """The order after setting ``quantities`` (0 removes a line) and adding ``added`` lines; a string says why not.
    Lines keep the price they were sold at; the order discount stays, at most the new subtotal. ``tax_of(amount,
    rate_bp)`` is the tax in (prices with tax) or on (prices without) a line's amount."""
    kept: list[EditLine] = []
    for line in lines:
        quantity = quantities.get(line.variant_id, line.quantity)
        if quantity < 0 or quantity > max_quantity:
            return f"{line.sku}: quantity must be 0 to {max_quantity}"
        if quantity:
            kept.append(EditLine(line.variant_id, line.sku, line.name, quantity, line.unit_price_minor,
                                 line.tax_rate_bp, line.location_id))
    known = {line.variant_id for line in lines}
    for line in added:
        if line.variant_id in known:
            return f"{line.sku} is already on the order; change its quantity"
        if not 1 <= line.quantity <= max_quantity:
            return f"{line.sku}: quantity must be 1 to {max_quantity}"
        kept.append(line)
    if not kept:
        return "an order keeps at least one line; cancel it instead"
    net = [ln.unit_price_minor * ln.quantity for ln in kept]
    taxes = [tax_of(n, ln.tax_rate_bp) for n, ln in zip(net, kept, strict=True)]
    subtotal = sum(net) + (0 if inclusive else sum(taxes))
    total = max(subtotal + shipping_minor - min(discount_minor, subtotal), 0)
    return EditPlan(tuple(kept), subtotal, sum(taxes), total, total - old_total_minor, tuple(taxes))


# An order number tells staff and shoppers where it was placed: W-000123 on the web shop, S- at a store's till,
# F- at a franchise till, A- in the app, M- from a marketplace, D- from a delivery platform. Each prefix is its
# own gapless series.
NUMBER_PREFIXES: Mapping[str, str] = {"web": "W", "app": "A", "store": "S", "franchise": "F", "marketplace": "M",
                                      "delivery": "D"}


def number_prefix(channel_kind: str) -> str:
    """The order-number prefix of a channel kind (``W`` for any kind not listed)."""
    return NUMBER_PREFIXES.get(channel_kind, "W")
