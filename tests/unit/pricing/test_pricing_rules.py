"""Pricing rules: tax held in or added to a price, sale windows, price bands, the consistency rule."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from omniretail.kernel.money import Money
from omniretail.pricing.rules import PriceQuote, SaleWindow, current_amount, differs_beyond, price_band, tax_in, tax_on

NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def test_latvian_vat_held_in_a_shelf_price_of_12_10_is_2_10():
    assert tax_in(Money(1210, "EUR"), 2100) == Money(210, "EUR")


def test_tax_added_to_a_net_price_rounds_half_to_even():
    assert tax_on(Money(1000, "EUR"), 2100) == Money(210, "EUR")
    assert tax_on(Money(50, "EUR"), 500) == Money(2, "EUR")
    assert tax_on(Money(150, "EUR"), 500) == Money(8, "EUR")


def test_a_quote_from_a_tax_inclusive_list_splits_gross_into_net_and_tax():
    quote = PriceQuote(uuid.uuid4(), Money(1499, "EUR"), Money(1199, "EUR"), tax_inclusive=True, tax_rate_bp=2100)

    assert quote.on_sale
    assert quote.gross == Money(1199, "EUR")
    assert quote.net + quote.tax == quote.gross


def test_a_quote_from_a_tax_exclusive_list_adds_the_tax_on_top():
    quote = PriceQuote(uuid.uuid4(), Money(1000, "CNY"), Money(1000, "CNY"), tax_inclusive=False, tax_rate_bp=1300)

    assert not quote.on_sale
    assert quote.gross == Money(1130, "CNY")


def test_a_sale_applies_from_its_start_until_just_before_its_end():
    sale = SaleWindow(999, NOON, NOON + DAY)

    assert current_amount(1499, [sale], NOON) == 999
    assert current_amount(1499, [sale], NOON - timedelta(seconds=1)) == 1499
    assert current_amount(1499, [sale], NOON + DAY) == 1499


def test_overlapping_sales_give_the_lowest_price_and_never_a_higher_one():
    sales = [SaleWindow(1199, NOON - DAY, None), SaleWindow(999, NOON - DAY, NOON + DAY),
             SaleWindow(1999, NOON - DAY, None)]

    assert current_amount(1499, sales, NOON) == 999
    assert current_amount(1499, sales, NOON + 2 * DAY) == 1199


@pytest.mark.parametrize(("minor", "band"), [(0, "0-5"), (499, "0-5"), (500, "5-10"), (1499, "10-20"),
                                             (99_999, "500-1000"), (600_000, "5000+")])
def test_price_bands_are_in_major_units_low_inclusive(minor, band):
    assert price_band(Money(minor, "EUR")) == band


def test_the_consistency_rule_tolerates_a_difference_up_to_its_basis_points_of_the_lower_price():
    assert not differs_beyond(1000, 1000, 0)
    assert differs_beyond(1000, 1001, 0)
    assert not differs_beyond(1000, 1050, 500)
    assert differs_beyond(1051, 1000, 500)
