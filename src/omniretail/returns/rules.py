"""Return policy and refund arithmetic. Pure: no database, no web.

The policy engine answers "may these items come back, and if not, why" as a ``Decision`` carrying every reason:
1. the order must have reached the shopper (delivered, picked up, or partly refunded already);
2. each item must be inside its return window, counted from delivery (per category, else the default);
3. final-sale items never come back; exchange-only items come back only as an exchange;
4. a condition the policy does not accept (opened, damaged by the shopper) is refused;
5. no more units than were bought, less those already returned;
6. a sale from a store needs its receipt (or the order found by staff) when the policy asks for it.
Refunds go back to the tenders in the order they were taken; cash can only be handed back at a store, so a cash
tender of a return that arrives by post or online is refunded to store credit when the policy says so. To change
the policy, change ``Policy`` (stored per merchant as JSON) or ``evaluate``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class Via(StrEnum):
    """How the return reaches us."""

    ONLINE = "online"  # the shopper asked online and posts the parcel
    STORE = "store"  # brought to a store
    SUPPORT = "support"  # a support agent opened it for the shopper
    POST = "post"  # a parcel arrived without an online request


class Condition(StrEnum):
    RESELLABLE = "resellable"
    OPENED = "opened"
    DAMAGED = "damaged"


class RefundMethod(StrEnum):
    ORIGINAL = "original"
    STORE_CREDIT = "store_credit"
    EXCHANGE = "exchange"


class Reason(StrEnum):
    """Why the shopper returns it (kept for analytics)."""

    WRONG_SIZE = "wrong_size"
    WRONG_SHADE = "wrong_shade"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"
    NOT_AS_DESCRIBED = "not_as_described"
    CHANGED_MIND = "changed_mind"
    ARRIVED_LATE = "arrived_late"
    OTHER = "other"


class ReturnStatus(StrEnum):
    APPROVED = "approved"
    REFUND_PENDING = "refund_pending"
    COMPLETED = "completed"


RETURNABLE_ORDER_STATUSES = frozenset({"delivered", "picked_up", "partially_refunded"})
IN_PERSON = frozenset({Via.STORE})


@dataclass(frozen=True)
class Policy:
    window_days: int = 30
    category_windows: Mapping[str, int] = field(default_factory=dict)
    final_sale_skus: frozenset[str] = frozenset()
    exchange_only_skus: frozenset[str] = frozenset()
    accepted_conditions: frozenset[str] = frozenset({Condition.RESELLABLE, Condition.OPENED})
    receipt_required_for_store_sales: bool = True
    cash_by_post_to_store_credit: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"window_days": self.window_days, "category_windows": dict(self.category_windows),
                "final_sale_skus": sorted(self.final_sale_skus), "exchange_only_skus": sorted(self.exchange_only_skus),
                "accepted_conditions": sorted(self.accepted_conditions),
                "receipt_required_for_store_sales": self.receipt_required_for_store_sales,
                "cash_by_post_to_store_credit": self.cash_by_post_to_store_credit}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        base = cls()
        return cls(window_days=int(data.get("window_days", base.window_days)),
                   category_windows={str(k): int(v) for k, v in dict(data.get("category_windows") or {}).items()},
                   final_sale_skus=frozenset(data.get("final_sale_skus") or ()),
                   exchange_only_skus=frozenset(data.get("exchange_only_skus") or ()),
                   accepted_conditions=frozenset(data.get("accepted_conditions") or base.accepted_conditions),
                   receipt_required_for_store_sales=bool(data.get("receipt_required_for_store_sales", True)),
                   cash_by_post_to_store_credit=bool(data.get("cash_by_post_to_store_credit", True)))


@dataclass(frozen=True)
class LineAsk:
    sku: str
    category_ids: tuple[str, ...]
    bought: int
    returned_before: int
    quantity: int
    condition: str = Condition.RESELLABLE


@dataclass(frozen=True)
class ReturnAsk:
    order_status: str
    received_at: datetime  # when the shopper got the goods (delivery or pickup)
    now: datetime
    via: str
    store_sale: bool
    has_receipt: bool
    refund_method: str
    lines: tuple[LineAsk, ...]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...] = ()

    @classmethod
    def yes(cls) -> Decision:
        return cls(True)


def window_for(policy: Policy, category_ids: Sequence[str]) -> int:
    """The longest window of the item's categories, else the default."""
    windows = [policy.category_windows[c] for c in category_ids if c in policy.category_windows]
    return max(windows) if windows else policy.window_days


def evaluate(policy: Policy, ask: ReturnAsk) -> Decision:
    """Whether the items may come back, with every reason they may not."""
    reasons: list[str] = []
    if ask.order_status not in RETURNABLE_ORDER_STATUSES:
        reasons.append(f"the order is {ask.order_status}; only delivered or collected orders can be returned")
    if not ask.lines:
        reasons.append("choose at least one item to return")
    if ask.store_sale and policy.receipt_required_for_store_sales and not ask.has_receipt:
        reasons.append("a store sale needs its receipt or the order found by staff")
    for line in ask.lines:
        days = window_for(policy, line.category_ids)
        if ask.now > ask.received_at + timedelta(days=days):
            reasons.append(f"{line.sku}: the {days}-day return window has closed")
        if line.sku in policy.final_sale_skus:
            reasons.append(f"{line.sku}: final sale items cannot be returned")
        if line.sku in policy.exchange_only_skus and ask.refund_method != RefundMethod.EXCHANGE:
            reasons.append(f"{line.sku}: can only be exchanged")
        if line.condition not in policy.accepted_conditions:
            reasons.append(f"{line.sku}: items in {line.condition} condition are not accepted")
        if line.quantity <= 0:
            reasons.append(f"{line.sku}: the quantity must be positive")
        elif line.quantity > line.bought - line.returned_before:
            reasons.append(f"{line.sku}: only {max(line.bought - line.returned_before, 0)} can still be returned")
    return Decision(not reasons, tuple(reasons))


def line_refund(*, gross_minor: int, discount_share_minor: int, bought: int, returned_before: int,
                quantity: int) -> int:
    """What ``quantity`` more units of a line refund: its paid value (gross less its discount share) spread over
    the units so that returning every unit, in any number of steps, refunds exactly the paid value."""
    if bought <= 0 or quantity <= 0:
        return 0
    paid = max(gross_minor - discount_share_minor, 0)
    upto = min(returned_before + quantity, bought)
    return paid * upto // bought - paid * min(returned_before, bought) // bought


@dataclass(frozen=True)
class TenderLeft:
    """A tender of the order and what it may still refund."""

    payment_id: uuid.UUID
    method: str
    refundable_minor: int


@dataclass(frozen=True)
class RefundSlice:
    payment_id: uuid.UUID
    amount_minor: int
    to_store_credit: bool


def tender_plan(tenders: Sequence[TenderLeft], amount_minor: int, *, method: str, via: str, policy: Policy
                ) -> list[RefundSlice] | str:
    """Split a refund over the tenders in the order they were taken; a string says why it cannot be done."""
    if amount_minor <= 0:
        return []
    available = sum(max(t.refundable_minor, 0) for t in tenders)
    if amount_minor > available:
        return f"only {available} can still be refunded"
    slices: list[RefundSlice] = []
    left = amount_minor
    for tender in tenders:
        take = min(left, max(tender.refundable_minor, 0))
        if not take:
            continue
        to_credit = (method == RefundMethod.STORE_CREDIT
                     or (tender.method == "cash" and via not in IN_PERSON and policy.cash_by_post_to_store_credit))
        slices.append(RefundSlice(tender.payment_id, take, to_credit))
        left -= take
        if not left:
            break
    return slices


def needs_customer(slices: Sequence[RefundSlice]) -> bool:
    return any(s.to_store_credit for s in slices)


@dataclass(frozen=True)
class Settlement:
    refund_minor: int
    collect_minor: int


def exchange_settlement(*, returned_value_minor: int, new_price_minor: int) -> Settlement:
    """An exchange refunds what the returned items were worth above the new item, or collects the difference."""
    difference = returned_value_minor - new_price_minor
    return Settlement(max(difference, 0), max(-difference, 0))
