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
from typing import Any

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


def why_not(promotion: Promotion, cart: Cart, eligible: Sequence[Line] | None = None) -> str | None:
    """The reason ``promotion`` cannot apply to ``cart``, or None when its conditions hold (``eligible``: the lines
    its scope matches, when the caller has them already)."""
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
    if eligible is None:
        eligible = _matched(promotion.scope, cart.lines)
    if not eligible and promotion.kind not in (BenefitKind.FREE_SHIPPING, BenefitKind.GIFT):
        return "no item in the cart qualifies"
    quantity = sum(line.quantity for line in eligible)
    if quantity < c.min_quantity:
        return f"buy {c.min_quantity - quantity} more qualifying item(s)"
    spend = sum(line.unit_price.amount_minor * line.quantity for line in eligible)
    if spend < c.min_spend_minor:
        missing = Money(c.min_spend_minor - spend, cart.currency)
        return f"spend {missing} more on qualifying items"
    return None


@dataclass(frozen=True)
class _Index:
    """Line positions by product, variant, brand and category, built once per evaluation so a scope is matched
    with a few dictionary look-ups instead of a test per line."""

    lines: tuple[Line, ...]
    by: dict[str, dict[object, set[int]]]

    @classmethod
    def of(cls, lines: Sequence[Line]) -> _Index:
        by: dict[str, dict[object, set[int]]] = {"product": {}, "variant": {}, "brand": {}, "category": {}}
        for i, line in enumerate(lines):
            by["product"].setdefault(line.product_id, set()).add(i)
            by["variant"].setdefault(line.variant_id, set()).add(i)
            by["brand"].setdefault(line.brand, set()).add(i)
            for category in line.category_ids:
                by["category"].setdefault(category, set()).add(i)
        return cls(tuple(lines), by)

    def where(self, kind: str, keys: frozenset[Any]) -> set[int]:
        found: set[int] = set()
        if keys:
            table = self.by[kind]
            for key in keys:
                hit = table.get(key)
                if hit:
                    found |= hit
        return found


def _matched(scope: Scope, lines: Sequence[Line], index: _Index | None = None) -> tuple[Line, ...]:
    """The lines a scope matches (as ``Scope.matches`` says, in cart order)."""
    if not (scope.product_ids or scope.variant_ids or scope.category_ids or scope.brands or scope.exclude_product_ids
            or scope.exclude_category_ids or scope.exclude_brands):
        return tuple(lines)
    if index is None:
        return tuple(line for line in lines if scope.matches(line))
    if scope.product_ids or scope.variant_ids or scope.category_ids or scope.brands:
        chosen = (index.where("product", scope.product_ids) | index.where("variant", scope.variant_ids)
                  | index.where("category", scope.category_ids) | index.where("brand", scope.brands))
    else:
        chosen = set(range(len(index.lines)))
    chosen -= (index.where("product", scope.exclude_product_ids) | index.where("brand", scope.exclude_brands)
               | index.where("category", scope.exclude_category_ids))
    return tuple(index.lines[i] for i in sorted(chosen))


def _percent_of(amount: int, percent: Decimal) -> int:
    """``amount`` times ``percent`` percent, rounded half-even (``Money.percent`` in integers when it can be)."""
    hundredths = percent * 100
    if hundredths != hundredths.to_integral_value():
        return Money(amount, "XXX").percent(percent).amount_minor
    quotient, remainder = divmod(amount * int(hundredths), 10000)
    if remainder * 2 > 10000 or (remainder * 2 == 10000 and quotient % 2):
        quotient += 1
    return quotient


def _allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split a non-negative ``amount`` by ``weights`` to the unit (``Money.allocate`` in integers)."""
    total = sum(weights)
    if total == 0:
        weights, total = [1] * len(weights), len(weights)
    shares = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:amount - sum(shares)]:
        shares[index] += 1
    return shares


def _units(lines: Iterable[Line], remaining: dict[str, int]) -> list[tuple[int, str]]:
    """Every unit as (what is left of its price, line id), cheapest first."""
    units: list[tuple[int, str]] = []
    for line in lines:
        left = remaining[line.line_id]
        each, extra = divmod(left, line.quantity)
        units.extend((each + (1 if i < extra else 0), line.line_id) for i in range(line.quantity))
    return sorted(units)


def _benefit(promotion: Promotion, matched: Sequence[Line], remaining: dict[str, int]) -> dict[str, int]:
    """Minor units off per line, never more than what is left of a line."""
    eligible = [line for line in matched if remaining[line.line_id] > 0]
    off: dict[str, int] = {}
    kind = promotion.kind
    if kind is BenefitKind.PERCENT_OFF:
        hundredths = promotion.percent * 100
        if hundredths == hundredths.to_integral_value():
            rate = int(hundredths)
            for line in eligible:
                quotient, remainder = divmod(remaining[line.line_id] * rate, 10000)
                off[line.line_id] = quotient + (remainder * 2 > 10000 or (remainder * 2 == 10000 and quotient % 2))
        else:
            for line in eligible:
                off[line.line_id] = _percent_of(remaining[line.line_id], promotion.percent)
    elif kind is BenefitKind.AMOUNT_OFF and eligible:
        pool = sum(remaining[line.line_id] for line in eligible)
        shares = _allocate(min(promotion.amount_minor, pool), [remaining[line.line_id] for line in eligible])
        off = {line.line_id: share for line, share in zip(eligible, shares, strict=True)}
    elif kind is BenefitKind.FIXED_PRICE:
        for line in eligible:
            off[line.line_id] = max(0, remaining[line.line_id] - promotion.amount_minor * line.quantity)
    elif kind is BenefitKind.BUY_X_GET_Y and promotion.buy > 0 and promotion.get > 0:
        units = _units(eligible, remaining)
        free = len(units) // (promotion.buy + promotion.get) * promotion.get
        for price, line_id in units[:free]:
            off[line_id] = off.get(line_id, 0) + _percent_of(price, promotion.percent or Decimal(100))
    elif kind is BenefitKind.BUNDLE_PRICE and promotion.buy > 0:
        units = list(reversed(_units(eligible, remaining)))  # the dearest units make the bundles
        for start in range(0, len(units) // promotion.buy * promotion.buy, promotion.buy):
            bundle = units[start:start + promotion.buy]
            saving = max(0, sum(price for price, _ in bundle) - promotion.amount_minor)
            for (_, line_id), share in zip(bundle, _allocate(saving, [price for price, _ in bundle]), strict=True):
                off[line_id] = off.get(line_id, 0) + share
    return {line_id: min(cut, remaining[line_id]) for line_id, cut in off.items() if cut > 0}


def _apply(stack: Sequence[Promotion], cart: Cart, base: dict[str, int],
           matched: dict[uuid.UUID, tuple[Line, ...]]) -> tuple[list[Adjustment], list[Skipped]]:
    remaining = dict(base)
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
        cuts = _benefit(promotion, matched[promotion.id], remaining)
        if not cuts:
            skipped.append(Skipped(promotion.id, promotion.name, "nothing left to discount"))
            continue
        for line_id, cut in cuts.items():
            remaining[line_id] -= cut
        total = sum(cuts.values())
        applied.append(Adjustment(promotion.id, promotion.name, Money(total, cart.currency),
                                  {k: Money(v, cart.currency) for k, v in sorted(cuts.items())}))
    return applied, skipped


def _solo(promotion: Promotion, cart: Cart, base: dict[str, int], matched: dict[uuid.UUID, tuple[Line, ...]]) -> int:
    """What ``promotion`` alone would save (as ``_saving(_apply([promotion]))``, without building adjustments)."""
    if promotion.kind is BenefitKind.FREE_SHIPPING:
        return (cart.shipping or Money.zero(cart.currency)).amount_minor
    if promotion.kind is BenefitKind.GIFT:
        return 0
    return sum(_benefit(promotion, matched[promotion.id], dict(base)).values())


def _saving(adjustments: Sequence[Adjustment]) -> int:
    return sum(a.amount.amount_minor for a in adjustments)


def evaluate(cart: Cart, promotions: Sequence[Promotion]) -> Evaluation:
    """The best deal for ``cart`` among ``promotions``, every discount explained and allocated to lines."""
    base = {line.line_id: line.unit_price.amount_minor * line.quantity for line in cart.lines}
    subtotal = Money(sum(base.values()), cart.currency)
    ordered = sorted(promotions, key=lambda p: (p.priority, str(p.id)))
    index = _Index.of(cart.lines)
    matched = {p.id: _matched(p.scope, cart.lines, index) for p in ordered}
    skipped: list[Skipped] = []
    eligible: list[Promotion] = []
    for promotion in ordered:
        reason = why_not(promotion, cart, matched[promotion.id])
        if reason is None:
            eligible.append(promotion)
        else:
            skipped.append(Skipped(promotion.id, promotion.name, reason))
    options: list[tuple[list[Adjustment], list[Skipped]]] = []
    for promotion in (p for p in eligible if p.exclusive):
        options.append(_apply([promotion], cart, base, matched))
    combinable = [p for p in eligible if not p.exclusive]
    best_in_group: dict[str, tuple[Promotion, int]] = {}
    for promotion in combinable:
        if promotion.group is None:
            continue
        current = best_in_group.get(promotion.group)
        saving = _solo(promotion, cart, base, matched)
        if current is None or saving > current[1]:
            best_in_group[promotion.group] = (promotion, saving)
    stack = [p for p in combinable if p.group is None or best_in_group[p.group][0] is p]
    options.append(_apply(stack, cart, base, matched))
    applied, not_applied = max(options, key=lambda option: (_saving(option[0]), -len(option[0])))
    used = {a.promotion_id for a in applied} | {s.promotion_id for s in not_applied}
    for promotion in eligible:
        if promotion.id not in used:
            reason = "does not combine with a better offer"
            skipped.append(Skipped(promotion.id, promotion.name, reason))
    skipped.extend(not_applied)
    discount = sum((a.amount for a in applied if not a.free_shipping), Money.zero(cart.currency))
    return Evaluation(adjustments=tuple(applied), skipped=tuple(skipped), subtotal=subtotal, discount=discount)
