"""The promotions engine: pure, deterministic, and explained.

``evaluate(cart, promotions)`` answers which promotions apply to a cart, how much each takes off, how that
amount is spread over the lines (so a returned line refunds exactly its share), and why every other promotion
did not apply. It never touches a database: the cart and the promotions come in as values.

Stacking: promotions are applied in priority order (lower number first) to what is left of each line, so
discounts never take a line below zero. Promotions sharing a ``group`` do not combine: only the best of them
counts. An ``exclusive`` promotion never combines with anything. Between "the best exclusive promotion alone"
and "the best combination of the others", the shopper gets whichever saves more (best deal). To add a kind of
benefit, add a ``BenefitKind`` and a ``_benefit_*`` function that returns per-line amounts.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from omniretail.kernel.money import Money


class BenefitKind(StrEnum):
    PERCENT_OFF = "percent_off"          # percent off eligible lines
    AMOUNT_OFF = "amount_off"            # a fixed amount off the eligible lines together
    FIXED_PRICE = "fixed_price"          # each eligible unit costs ``amount``
    BUY_X_GET_Y = "buy_x_get_y"          # for every ``buy`` units, ``get`` more of the cheapest at ``percent`` off
    BUNDLE_PRICE = "bundle_price"        # every ``buy`` eligible units together cost ``amount``
    FREE_SHIPPING = "free_shipping"
    GIFT = "gift"                        # a gift line of ``gift_variant_id`` while gift stock lasts


@dataclass(frozen=True)
class Line:
    line_id: str
    variant_id: uuid.UUID
    product_id: uuid.UUID
    quantity: int
    unit_price: Money
    brand: str = ""
    category_ids: frozenset[uuid.UUID] = frozenset()

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Cart:
    currency: str
    lines: tuple[Line, ...]
    at: datetime
    channel: str = "web"
    location_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    segments: frozenset[str] = frozenset()
    tier: str | None = None
    coupon_codes: frozenset[str] = frozenset()
    first_order: bool = False
    shipping: Money | None = None
    gift_stock: dict[uuid.UUID, int] = field(default_factory=dict)
    coupon_uses: dict[str, int] = field(default_factory=dict)  # this customer's earlier uses per code


@dataclass(frozen=True)
class Scope:
    """Which lines a promotion looks at; empty include-sets mean "everything"."""

    product_ids: frozenset[uuid.UUID] = frozenset()
    variant_ids: frozenset[uuid.UUID] = frozenset()
    category_ids: frozenset[uuid.UUID] = frozenset()
    brands: frozenset[str] = frozenset()
    exclude_product_ids: frozenset[uuid.UUID] = frozenset()
    exclude_category_ids: frozenset[uuid.UUID] = frozenset()
    exclude_brands: frozenset[str] = frozenset()

    def matches(self, line: Line) -> bool:
        if (line.product_id in self.exclude_product_ids or line.brand in self.exclude_brands
                or line.category_ids & self.exclude_category_ids):
            return False
        includes = (self.product_ids, self.variant_ids, self.category_ids, self.brands)
        if not any(includes):
            return True
        return (line.product_id in self.product_ids or line.variant_id in self.variant_ids
                or bool(line.category_ids & self.category_ids) or line.brand in self.brands)


@dataclass(frozen=True)
class Conditions:
    channels: frozenset[str] = frozenset()
    location_ids: frozenset[uuid.UUID] = frozenset()
    segments: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    weekdays: frozenset[int] = frozenset()     # 0 = Monday
    hours: tuple[int, int] | None = None        # [from, to) in UTC hours
    min_quantity: int = 0
    min_spend_minor: int = 0
    coupon_code: str | None = None
    first_order_only: bool = False
    per_customer_limit: int | None = None


@dataclass(frozen=True)
class Promotion:
    id: uuid.UUID
    name: str
    kind: BenefitKind
    percent: Decimal = Decimal(0)
    amount_minor: int = 0
    buy: int = 0
    get: int = 0
    gift_variant_id: uuid.UUID | None = None
    priority: int = 100
    exclusive: bool = False
    group: str | None = None
    scope: Scope = Scope()
    conditions: Conditions = Conditions()


@dataclass(frozen=True)
class Adjustment:
    """One applied promotion: the amount off, per line, and the words for the cart and receipt."""

    promotion_id: uuid.UUID
    name: str
    amount: Money
    per_line: dict[str, Money]
    free_shipping: bool = False
    gift_variant_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Skipped:
    promotion_id: uuid.UUID
    name: str
    reason: str


@dataclass(frozen=True)
class Evaluation:
    adjustments: tuple[Adjustment, ...]
    skipped: tuple[Skipped, ...]
    subtotal: Money
    discount: Money

    @property
    def total(self) -> Money:
        return self.subtotal - self.discount

    def line_discount(self, line_id: str) -> Money:
        return sum((a.per_line.get(line_id, Money.zero(self.subtotal.currency)) for a in self.adjustments),
                   Money.zero(self.subtotal.currency))


def why_not(promotion: Promotion, cart: Cart) -> str | None:
    """The reason ``promotion`` cannot apply to ``cart``, or None when its conditions hold."""
    c = promotion.conditions
    if c.channels and cart.channel not in c.channels:
        return f"not offered in the {cart.channel} channel"
    if c.location_ids and cart.location_id not in c.location_ids:
        return "not offered at this store"
    if c.starts_at and cart.at < c.starts_at:
        return "has not started yet"
    if c.ends_at and cart.at >= c.ends_at:
        return "has ended"
    if c.weekdays and cart.at.weekday() not in c.weekdays:
        return "not offered on this day"
    if c.hours and not c.hours[0] <= cart.at.hour < c.hours[1]:
        return "not offered at this hour"
    if c.segments and not c.segments & cart.segments:
        return "for selected customers only"
    if c.tiers and cart.tier not in c.tiers:
        return "for other loyalty tiers"
    if c.first_order_only and not cart.first_order:
        return "first order only"
    if c.coupon_code:
        if c.coupon_code not in cart.coupon_codes:
            return "needs its coupon code"
        if c.per_customer_limit is not None and cart.coupon_uses.get(c.coupon_code, 0) >= c.per_customer_limit:
            return "coupon already used the allowed number of times"
    eligible = [line for line in cart.lines if promotion.scope.matches(line)]
    if not eligible and promotion.kind not in (BenefitKind.FREE_SHIPPING, BenefitKind.GIFT):
        return "no item in the cart qualifies"
    quantity = sum(line.quantity for line in eligible)
    if quantity < c.min_quantity:
        return f"buy {c.min_quantity - quantity} more qualifying item(s)"
    spend = sum(line.total.amount_minor for line in eligible)
    if spend < c.min_spend_minor:
        missing = Money(c.min_spend_minor - spend, cart.currency)
        return f"spend {missing} more on qualifying items"
    return None


def _units(lines: Iterable[Line], remaining: dict[str, int]) -> list[tuple[int, str]]:
    """Every unit as (what is left of its price, line id), cheapest first."""
    units: list[tuple[int, str]] = []
    for line in lines:
        left = remaining[line.line_id]
        each, extra = divmod(left, line.quantity)
        units.extend((each + (1 if i < extra else 0), line.line_id) for i in range(line.quantity))
    return sorted(units)


def _benefit(promotion: Promotion, cart: Cart, remaining: dict[str, int]) -> dict[str, int]:
    """Minor units off per line, never more than what is left of a line."""
    eligible = [line for line in cart.lines if promotion.scope.matches(line) and remaining[line.line_id] > 0]
    off: dict[str, int] = {}
    kind = promotion.kind
    if kind is BenefitKind.PERCENT_OFF:
        for line in eligible:
            off[line.line_id] = Money(remaining[line.line_id], cart.currency).percent(promotion.percent).amount_minor
    elif kind is BenefitKind.AMOUNT_OFF and eligible:
        pool = sum(remaining[line.line_id] for line in eligible)
        amount = min(promotion.amount_minor, pool)
        shares = Money(amount, cart.currency).allocate([remaining[line.line_id] for line in eligible])
        off = {line.line_id: share.amount_minor for line, share in zip(eligible, shares, strict=True)}
    elif kind is BenefitKind.FIXED_PRICE:
        for line in eligible:
            off[line.line_id] = max(0, remaining[line.line_id] - promotion.amount_minor * line.quantity)
    elif kind is BenefitKind.BUY_X_GET_Y and promotion.buy > 0 and promotion.get > 0:
        units = _units(eligible, remaining)
        free = len(units) // (promotion.buy + promotion.get) * promotion.get
        for price, line_id in units[:free]:
            cut = Money(price, cart.currency).percent(promotion.percent or Decimal(100)).amount_minor
            off[line_id] = off.get(line_id, 0) + cut
    elif kind is BenefitKind.BUNDLE_PRICE and promotion.buy > 0:
        units = list(reversed(_units(eligible, remaining)))  # the dearest units make the bundles
        for start in range(0, len(units) // promotion.buy * promotion.buy, promotion.buy):
            bundle = units[start:start + promotion.buy]
            saving = max(0, sum(price for price, _ in bundle) - promotion.amount_minor)
            shares = Money(saving, cart.currency).allocate([price for price, _ in bundle])
            for (_, line_id), share in zip(bundle, shares, strict=True):
                off[line_id] = off.get(line_id, 0) + share.amount_minor
    return {line_id: min(cut, remaining[line_id]) for line_id, cut in off.items() if cut > 0}


def _apply(stack: Sequence[Promotion], cart: Cart) -> tuple[list[Adjustment], list[Skipped]]:
    remaining = {line.line_id: line.total.amount_minor for line in cart.lines}
    applied: list[Adjustment] = []
    skipped: list[Skipped] = []
    for promotion in stack:
        if promotion.kind is BenefitKind.FREE_SHIPPING:
            shipping = cart.shipping or Money.zero(cart.currency)
            applied.append(Adjustment(promotion.id, promotion.name, shipping, {}, free_shipping=True))
            continue
        if promotion.kind is BenefitKind.GIFT:
            if promotion.gift_variant_id is None or cart.gift_stock.get(promotion.gift_variant_id, 0) <= 0:
                skipped.append(Skipped(promotion.id, promotion.name, "the gift is out of stock"))
                continue
            applied.append(Adjustment(promotion.id, promotion.name, Money.zero(cart.currency), {},
                                      gift_variant_id=promotion.gift_variant_id))
            continue
        cuts = _benefit(promotion, cart, remaining)
        if not cuts:
            skipped.append(Skipped(promotion.id, promotion.name, "nothing left to discount"))
            continue
        for line_id, cut in cuts.items():
            remaining[line_id] -= cut
        total = sum(cuts.values())
        applied.append(Adjustment(promotion.id, promotion.name, Money(total, cart.currency),
                                  {k: Money(v, cart.currency) for k, v in sorted(cuts.items())}))
    return applied, skipped


def _saving(adjustments: Sequence[Adjustment]) -> int:
    return sum(a.amount.amount_minor for a in adjustments)


def evaluate(cart: Cart, promotions: Sequence[Promotion]) -> Evaluation:
    """The best deal for ``cart`` among ``promotions``, every discount explained and allocated to lines."""
    subtotal = sum((line.total for line in cart.lines), Money.zero(cart.currency))
    ordered = sorted(promotions, key=lambda p: (p.priority, str(p.id)))
    skipped: list[Skipped] = []
    eligible: list[Promotion] = []
    for promotion in ordered:
        reason = why_not(promotion, cart)
        if reason is None:
            eligible.append(promotion)
        else:
            skipped.append(Skipped(promotion.id, promotion.name, reason))
    options: list[tuple[list[Adjustment], list[Skipped]]] = []
    for promotion in (p for p in eligible if p.exclusive):
        options.append(_apply([promotion], cart))
    combinable = [p for p in eligible if not p.exclusive]
    best_in_group: dict[str, Promotion] = {}
    for promotion in combinable:
        if promotion.group is None:
            continue
        current = best_in_group.get(promotion.group)
        if current is None or _saving(_apply([promotion], cart)[0]) > _saving(_apply([current], cart)[0]):
            best_in_group[promotion.group] = promotion
    stack = [p for p in combinable if p.group is None or best_in_group[p.group] is p]
    options.append(_apply(stack, cart))
    applied, not_applied = max(options, key=lambda option: (_saving(option[0]), -len(option[0])))
    used = {a.promotion_id for a in applied} | {s.promotion_id for s in not_applied}
    for promotion in eligible:
        if promotion.id not in used:
            reason = "does not combine with a better offer"
            skipped.append(Skipped(promotion.id, promotion.name, reason))
    skipped.extend(not_applied)
    discount = sum((a.amount for a in applied if not a.free_shipping), Money.zero(cart.currency))
    return Evaluation(adjustments=tuple(applied), skipped=tuple(skipped), subtotal=subtotal, discount=discount)
