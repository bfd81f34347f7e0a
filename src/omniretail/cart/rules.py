"""Cart rules: why a line cannot be bought, and what the cart costs. Pure.

Promotions and loyalty plug in through ``Offers``: ``cart.service.offers_for`` is the one place that asks them
for adjustments and points; until those contexts exist it returns ``Offers.none()``, and totals already
subtract whatever adjustments it returns.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from omniretail.kernel.money import Money
from omniretail.pricing.rules import tax_in, tax_on

MAX_QUANTITY_PER_LINE = 20


class Problem(StrEnum):
    """Why a line cannot be bought now (safe to show the shopper)."""

    NOT_FOUND = "not_found"
    NOT_PUBLISHED = "not_published"
    NO_PRICE = "no_price"
    OUT_OF_STOCK = "out_of_stock"
    QUANTITY_LIMIT = "quantity_limit"


@dataclass(frozen=True)
class LineCheck:
    problem: Problem | None
    detail: str = ""


def check_line(*, quantity: int, exists: bool, active: bool, published: bool, priced: bool, available: int | None,
               max_quantity: int, store_label: str | None = None) -> LineCheck:
    """Say whether a line can be bought, and why not; ``available`` None means stock is not checked here."""
    if not exists or not active:
        return LineCheck(Problem.NOT_FOUND, "this item is no longer sold")
    if not published:
        return LineCheck(Problem.NOT_PUBLISHED, "not sold in this channel")
    if not priced:
        return LineCheck(Problem.NO_PRICE, "no price in this channel")
    if quantity > max_quantity:
        return LineCheck(Problem.QUANTITY_LIMIT, f"at most {max_quantity} per order")
    if available is not None and available < quantity:
        where = f" at {store_label}" if store_label else ""
        if available <= 0:
            return LineCheck(Problem.OUT_OF_STOCK, f"out of stock{where}")
        return LineCheck(Problem.OUT_OF_STOCK, f"only {available} available{where}")
    return LineCheck(None)


@dataclass(frozen=True)
class Adjustment:
    """A discount a promotion or a points redemption grants (negative amount), the label and the reason the shopper
    sees, and how it is spread over the lines (``per_line``: variant id and minor units off, adding up to
    ``-amount``). A ``shipping`` adjustment takes its amount off the shipping instead of the lines."""

    label: str
    amount: Money
    source: str = ""
    reason: str = ""
    per_line: tuple[tuple[uuid.UUID, int], ...] = ()
    shipping: bool = False
    points: int = 0


@dataclass(frozen=True)
class Offers:
    """What promotions and loyalty add to a cart: adjustments, the points the order will earn, and the reasons
    offers did not apply (``notes``: label, reason)."""

    adjustments: tuple[Adjustment, ...] = field(default_factory=tuple)
    points: int = 0
    notes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def none(cls) -> Offers:
        return cls()

    @property
    def points_spent(self) -> int:
        return sum(a.points for a in self.adjustments)


@dataclass(frozen=True)
class PricedLine:
    variant_id: uuid.UUID
    quantity: int
    unit_price: Money
    tax_rate_bp: int
    tax_inclusive: bool

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def tax(self) -> Money:
        return tax_in(self.total, self.tax_rate_bp) if self.tax_inclusive else tax_on(self.total, self.tax_rate_bp)

    @property
    def gross(self) -> Money:
        return self.total if self.tax_inclusive else self.total + self.tax


@dataclass(frozen=True)
class Totals:
    subtotal: Money
    tax: Money
    shipping: Money
    discount: Money
    total: Money
    points: int
    weight_grams: int


def totals(lines: Sequence[PricedLine], *, currency: str, shipping: Money | None = None,
           offers: Offers | None = None, weight_grams: int = 0) -> Totals:
    """What the cart costs: gross lines plus shipping, less adjustments (never below zero). Shipping adjustments
    come off the shipping (which then shows what is charged); the others are the order discount, at most the
    subtotal."""
    zero = Money.zero(currency)
    offers = offers or Offers.none()
    subtotal = sum((line.gross for line in lines), zero)
    tax = sum((line.tax for line in lines), zero)
    shipping = shipping or zero
    shipping_off = -sum((a.amount for a in offers.adjustments if a.shipping), zero)
    shipping = max(zero, shipping - shipping_off, key=lambda m: m.amount_minor)
    discount = -sum((a.amount for a in offers.adjustments if not a.shipping), zero)
    discount = min(max(discount, zero, key=lambda m: m.amount_minor), subtotal, key=lambda m: m.amount_minor)
    total = subtotal + shipping - discount
    if total.amount_minor < 0:
        total = zero
    return Totals(subtotal, tax, shipping, discount, total, offers.points, weight_grams)
