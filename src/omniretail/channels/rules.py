"""What a channel may be: its kinds, payment and delivery methods, and the checks on a channel's setup.

Pure: no database. To add a payment or delivery method, add it to the sets below (and teach the payments
or fulfilment context to handle it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

LOCALES = ("en", "ru", "pl", "lv", "zh")


class ChannelKind(StrEnum):
    WEB = "web"
    APP = "app"
    STORE = "store"
    FRANCHISE = "franchise"
    MARKETPLACE = "marketplace"
    DELIVERY = "delivery"


PAYMENT_METHODS = frozenset({"card", "wallet", "pay_later", "qr", "cash", "gift_card", "store_credit",
                             "bank_transfer", "marketplace"})
DELIVERY_METHODS = frozenset({"courier", "parcel_locker", "post", "click_and_collect", "carry_out",
                              "same_day", "platform_courier"})
# Kinds that sell over a counter: they need at least one store location to sell from.
COUNTER_KINDS = frozenset({ChannelKind.STORE, ChannelKind.FRANCHISE})


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def check_setup(*, kind: str, currency: str, locales: list[str], default_locale: str,
                payment_methods: list[str], delivery_methods: list[str]) -> list[Problem]:
    """Everything wrong with a channel's settings; an empty list when it may be saved."""
    problems: list[Problem] = []
    if kind not in set(ChannelKind):
        problems.append(Problem("kind", f"unknown channel kind {kind!r}"))
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        problems.append(Problem("currency", f"not an ISO 4217 code: {currency!r}"))
    if not locales:
        problems.append(Problem("locales", "a channel speaks at least one language"))
    for locale in locales:
        if locale not in LOCALES:
            problems.append(Problem("locales", f"unsupported locale {locale!r}"))
    if default_locale not in locales:
        problems.append(Problem("default_locale", "the default locale must be one of the channel's locales"))
    for method in payment_methods:
        if method not in PAYMENT_METHODS:
            problems.append(Problem("payment_methods", f"unknown payment method {method!r}"))
    for method in delivery_methods:
        if method not in DELIVERY_METHODS:
            problems.append(Problem("delivery_methods", f"unknown delivery method {method!r}"))
    return problems
