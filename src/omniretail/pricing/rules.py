"""Price rules: which price applies now, what tax it holds, and whether two channels agree. Pure.

A shelf price in a tax-inclusive list (EU VAT) already holds the tax; in a tax-exclusive list the tax is
added at checkout. A sale price applies from its start to its end (end exclusive); when several overlap
the lowest wins, so a shopper never pays more because two campaigns met.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from omniretail.kernel.money import Money


@dataclass(frozen=True)
class SaleWindow:
    amount_minor: int
    starts_at: datetime
    ends_at: datetime | None

    def active(self, at: datetime) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


@dataclass(frozen=True)
class PriceQuote:
    """What a variant costs in a channel at a moment."""

    variant_id: uuid.UUID
    regular: Money
    current: Money
    tax_inclusive: bool
    tax_rate_bp: int

    @property
    def on_sale(self) -> bool:
        return self.current.amount_minor < self.regular.amount_minor

    @property
    def tax(self) -> Money:
        """The tax held in (inclusive lists) or added to (exclusive lists) the current price."""
        return tax_in(self.current, self.tax_rate_bp) if self.tax_inclusive else tax_on(self.current, self.tax_rate_bp)

    @property
    def gross(self) -> Money:
        return self.current if self.tax_inclusive else self.current + self.tax

    @property
    def net(self) -> Money:
        return self.current - self.tax if self.tax_inclusive else self.current


def _round_div(numerator: int, denominator: int) -> int:
    """Half-even integer division, like Money.percent."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def tax_in(gross: Money, rate_bp: int) -> Money:
    """The tax contained in a tax-inclusive amount (21 % VAT in 12.10 is 2.10)."""
    return Money(gross.amount_minor - _round_div(gross.amount_minor * 10000, 10000 + rate_bp), gross.currency)


def tax_on(net: Money, rate_bp: int) -> Money:
    """The tax to add to a tax-exclusive amount."""
    return Money(_round_div(net.amount_minor * rate_bp, 10000), net.currency)


def current_amount(regular_minor: int, sales: Iterable[SaleWindow], at: datetime) -> int:
    """The price that applies at ``at``: the lowest active sale below the regular price, else the regular."""
    active = [s.amount_minor for s in sales if s.active(at) and s.amount_minor < regular_minor]
    return min(active, default=regular_minor)


def differs_beyond(a_minor: int, b_minor: int, tolerance_bp: int) -> bool:
    """True when two prices differ by more than ``tolerance_bp`` of the lower one (0: must be equal)."""
    low, high = sorted((a_minor, b_minor))
    return (high - low) * 10000 > low * tolerance_bp


PRICE_BANDS_MAJOR = (0, 5, 10, 20, 50, 100, 200, 500, 1000, 5000)


def price_band(amount: Money, scale: int = 100) -> str:
    """The facet band a price falls in, as "10-20" in major units (``scale`` minor units per major)."""
    major = amount.amount_minor // scale
    bands = PRICE_BANDS_MAJOR
    for low, high in itertools.pairwise(bands):
        if low <= major < high:
            return f"{low}-{high}"
    return f"{bands[-1]}+"
