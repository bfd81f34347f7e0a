"""Money as integer minor units plus an ISO 4217 currency. Never a float.

Allocation splits an amount across lines by weight with the largest-remainder method, so an
order discount spread over its lines adds back up to the cent and a returned line refunds exactly
its share.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined: a programming error, never shown to shoppers."""


def minor_digits(currency: str) -> int:
    """How many decimal places the currency has (2 for EUR, 0 for JPY)."""
    return int(get_currency_precision(currency))


@dataclass(frozen=True, slots=True, order=False)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount_minor, int) or isinstance(self.amount_minor, bool):
            raise TypeError("amount_minor must be an int")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, amount: str | Decimal | int, currency: str) -> Money:
        """Read a major-unit amount ("12.50") exactly; reject more decimals than the currency has."""
        try:
            value = Decimal(str(amount))
        except InvalidOperation as exc:
            raise ValueError(f"not an amount: {amount!r}") from exc
        if not value.is_finite():
            raise ValueError(f"not an amount: {amount!r}")
        digits = minor_digits(currency)
        scaled = value.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{currency} has {digits} decimal places: {amount!r}")
        return cls(int(scaled), currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.amount_minor).scaleb(-minor_digits(self.currency))

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            raise TypeError("multiply money by a whole quantity; use percent() for rates")
        return Money(self.amount_minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor < other.amount_minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor <= other.amount_minor

    def percent(self, rate: Decimal | str) -> Money:
        """This amount times ``rate`` percent, rounded half-even to the minor unit."""
        result = (Decimal(self.amount_minor) * Decimal(rate) / 100).quantize(Decimal(1), ROUND_HALF_EVEN)
        return Money(int(result), self.currency)

    def allocate(self, weights: list[int]) -> list[Money]:
        """Split into parts proportional to ``weights`` that add up exactly to this amount."""
        if not weights or any(w < 0 for w in weights):
            raise ValueError("weights must be non-negative and non-empty")
        total = sum(weights)
        if total == 0:
            weights, total = [1] * len(weights), len(weights)
        sign = -1 if self.amount_minor < 0 else 1
        amount = abs(self.amount_minor)
        shares = [amount * w // total for w in weights]
        remainders = [amount * w % total for w in weights]
        left = amount - sum(shares)
        # Largest remainder first; ties go to the earlier line so the result is deterministic.
        for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
            shares[index] += 1
        return [Money(sign * share, self.currency) for share in shares]

    def format(self, locale: str = "en") -> str:
        """Render for people, in their locale's conventions ("€12.50", "12,50 €")."""
        return str(format_currency(self.to_decimal(), self.currency, locale=locale))

    def __str__(self) -> str:
        return f"{self.to_decimal()} {self.currency}"
