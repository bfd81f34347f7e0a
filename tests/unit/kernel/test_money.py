from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omniretail.kernel.money import CurrencyMismatch, Money


def test_parse_reads_major_units_exactly():
    assert Money.parse("12.50", "EUR") == Money(1250, "EUR")
    assert Money.parse("1999", "JPY") == Money(1999, "JPY")


def test_parse_refuses_more_decimals_than_the_currency_has():
    with pytest.raises(ValueError, match="2 decimal places"):
        Money.parse("0.005", "EUR")


def test_floats_are_refused_as_amounts():
    with pytest.raises(TypeError):
        Money(12.5, "EUR")  # type: ignore[arg-type]


def test_adding_different_currencies_is_an_error():
    with pytest.raises(CurrencyMismatch):
        Money(100, "EUR") + Money(100, "PLN")


def test_a_ten_euro_discount_over_three_equal_lines_leaves_no_cent_behind():
    parts = Money(1000, "EUR").allocate([1, 1, 1])

    assert parts == [Money(334, "EUR"), Money(333, "EUR"), Money(333, "EUR")]


def test_percent_rounds_half_even_to_the_cent():
    assert Money(1250, "EUR").percent(Decimal("21")) == Money(262, "EUR")


def test_format_follows_the_shoppers_locale():
    assert Money(1250, "EUR").format("en") == "€12.50"
    assert Money(1250, "EUR").format("pl").replace("\xa0", " ") == "12,50 €"


@given(amount=st.integers(min_value=-10**9, max_value=10**9),
       weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40))
def test_allocation_always_sums_to_the_whole_amount(amount, weights):
    parts = Money(amount, "EUR").allocate(weights)

    assert sum(p.amount_minor for p in parts) == amount
    assert len(parts) == len(weights)
    if sum(weights) and amount >= 0:
        for part, weight in zip(parts, weights, strict=True):
            exact = amount * weight / sum(weights)
            assert abs(part.amount_minor - exact) < 1
