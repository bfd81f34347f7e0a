"""Pricing errors."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound


class PriceListNotFound(NotFound):
    """No price list has this id or code (anticipated)."""

    type = "pricing/price-list-not-found"
    title = "Price list not found"


class PriceListCodeTaken(Conflict):
    type = "pricing/code-taken"
    title = "A price list with this code exists"


class CurrencyDiffers(InvalidInput):
    """A channel was pointed at a price list in another currency (anticipated)."""

    type = "pricing/currency-differs"
    title = "The price list's currency is not the channel's"


class RuleNotFound(NotFound):
    type = "pricing/rule-not-found"
    title = "Consistency rule not found"
