"""Checkout rules: addresses per country, phone numbers, shipping rates by zone and weight, delivery estimates
and local-delivery time windows. Pure.

To ship to a new country, add its postal code pattern and calling code, and put it in a zone. Rates are a
default policy table (``RATES``); a merchant-specific table is the next step when one is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum


class DeliveryMethod(StrEnum):
    COURIER = "courier"
    POST = "post"
    PARCEL_LOCKER = "parcel_locker"
    CLICK_AND_COLLECT = "click_and_collect"
    SAME_DAY = "same_day"
    CARRY_OUT = "carry_out"
    PLATFORM_COURIER = "platform_courier"


SHIP_METHODS = frozenset({DeliveryMethod.COURIER, DeliveryMethod.POST, DeliveryMethod.PARCEL_LOCKER})
NEEDS_ADDRESS = SHIP_METHODS | {DeliveryMethod.SAME_DAY}

POSTAL_CODES: dict[str, str] = {
    "LV": r"(LV-)?\d{4}", "LT": r"(LT-)?\d{5}", "EE": r"\d{5}", "PL": r"\d{2}-\d{3}", "DE": r"\d{5}",
    "FI": r"\d{5}", "SE": r"\d{3} ?\d{2}", "FR": r"\d{5}", "GB": r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}",
    "US": r"\d{5}(-\d{4})?", "CN": r"\d{6}",
}
CALLING_CODES: dict[str, tuple[str, int, int, str]] = {
    # country: (calling code, min national digits, max national digits, national trunk prefix)
    "LV": ("371", 8, 8, ""), "LT": ("370", 8, 8, "8"), "EE": ("372", 7, 8, ""), "PL": ("48", 9, 9, ""),
    "DE": ("49", 6, 11, "0"), "FI": ("358", 5, 10, "0"), "SE": ("46", 7, 9, "0"), "FR": ("33", 9, 9, "0"),
    "GB": ("44", 10, 10, "0"), "US": ("1", 10, 10, ""), "CN": ("86", 11, 11, ""),
}
ZONES: dict[str, str] = {"LV": "baltics", "LT": "baltics", "EE": "baltics", "PL": "eu", "DE": "eu", "FI": "eu",
                         "SE": "eu", "FR": "eu", "GB": "europe", "US": "world", "CN": "world"}


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str = ""
    phone: str = ""
    latitude: float | None = None
    longitude: float | None = None


def address_problems(address: Address) -> dict[str, str]:
    """What is wrong with an address, by field (empty when it can be shipped to)."""
    problems: dict[str, str] = {}
    country = address.country.upper()
    for field in ("name", "line1", "city"):
        if not getattr(address, field).strip():
            problems[field] = "required"
    if country not in POSTAL_CODES:
        problems["country"] = f"we do not deliver to {country or 'this country'}"
    elif not re.fullmatch(POSTAL_CODES[country], address.postal_code.strip().upper()):
        problems["postal_code"] = f"not a {country} postal code"
    if address.phone and normalize_phone(address.phone, country) is None:
        problems["phone"] = "not a phone number we can call"
    return problems


def normalize_phone(raw: str, country: str) -> str | None:
    """The number in E.164 (``+37120000000``), read in ``country``'s national format when it has no prefix."""
    cleaned = re.sub(r"[\s().\-/]", "", raw.strip())
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not re.fullmatch(r"\+?\d{5,16}", cleaned):
        return None
    if cleaned.startswith("+"):
        digits = cleaned[1:]
        for code, low, high, _trunk in sorted(CALLING_CODES.values(), key=lambda v: -len(v[0])):
            if digits.startswith(code) and low <= len(digits) - len(code) <= high:
                return "+" + digits
        return "+" + digits if 8 <= len(digits) <= 15 and country.upper() not in CALLING_CODES else None
    spec = CALLING_CODES.get(country.upper())
    if spec is None:
        return None
    code, low, high, trunk = spec
    national = cleaned[len(trunk):] if trunk and cleaned.startswith(trunk) else cleaned
    if national.startswith(code) and low <= len(national) - len(code) <= high:
        national = national[len(code):]
    if not low <= len(national) <= high:
        return None
    return f"+{code}{national}"


@dataclass(frozen=True)
class Rate:
    method: DeliveryMethod
    zone: str
    max_grams: int
    price_minor: int
    days_min: int
    days_max: int


RATES: tuple[Rate, ...] = (
    Rate(DeliveryMethod.PARCEL_LOCKER, "baltics", 20000, 299, 1, 2),
    Rate(DeliveryMethod.COURIER, "baltics", 2000, 499, 1, 2),
    Rate(DeliveryMethod.COURIER, "baltics", 10000, 799, 1, 3),
    Rate(DeliveryMethod.COURIER, "baltics", 30000, 1499, 2, 3),
    Rate(DeliveryMethod.POST, "baltics", 2000, 349, 2, 5),
    Rate(DeliveryMethod.POST, "baltics", 20000, 899, 3, 6),
    Rate(DeliveryMethod.COURIER, "eu", 2000, 999, 2, 4),
    Rate(DeliveryMethod.COURIER, "eu", 30000, 2499, 3, 5),
    Rate(DeliveryMethod.POST, "eu", 2000, 699, 4, 8),
    Rate(DeliveryMethod.COURIER, "europe", 2000, 1499, 3, 6),
    Rate(DeliveryMethod.COURIER, "world", 2000, 2999, 5, 12),
    Rate(DeliveryMethod.COURIER, "world", 30000, 5999, 6, 14),
)
FREE_SHIPPING_FROM_MINOR = 5000
SAME_DAY_PRICE_MINOR = 699
SAME_DAY_RADIUS_KM = 15.0


@dataclass(frozen=True)
class ShippingQuote:
    method: str
    price_minor: int
    days_min: int
    days_max: int
    estimate_from: date
    estimate_to: date


def shipping_quotes(*, country: str, weight_grams: int, subtotal_minor: int, today: date,
                    methods: frozenset[str] | set[str]) -> list[ShippingQuote]:
    """Every ship-to-address method for this country and parcel weight, cheapest first; free above a threshold."""
    zone = ZONES.get(country.upper())
    best: dict[str, Rate] = {}
    for rate in RATES:
        fits = rate.zone == zone and rate.method in methods and weight_grams <= rate.max_grams
        if fits and (rate.method not in best or rate.max_grams < best[rate.method].max_grams):
            best[rate.method] = rate
    quotes = []
    for rate in best.values():
        price = 0 if subtotal_minor >= FREE_SHIPPING_FROM_MINOR and zone in ("baltics", "eu") else rate.price_minor
        quotes.append(ShippingQuote(rate.method.value, price, rate.days_min, rate.days_max,
                                    business_days_after(today, rate.days_min),
                                    business_days_after(today, rate.days_max)))
    return sorted(quotes, key=lambda q: (q.price_minor, q.days_max))


def business_days_after(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


@dataclass(frozen=True)
class Window:
    starts_at: datetime
    ends_at: datetime


def delivery_windows(now: datetime, *, days: int = 2, opens: time = time(10), closes: time = time(20),
                     hours: int = 2, lead: timedelta = timedelta(hours=2)) -> list[Window]:
    """Local-delivery slots of ``hours`` between ``opens`` and ``closes`` (UTC), starting ``lead`` from now."""
    windows = []
    for offset in range(days):
        day = (now + timedelta(days=offset)).date()
        start = datetime.combine(day, opens, tzinfo=UTC)
        end_of_day = datetime.combine(day, closes, tzinfo=UTC)
        while start + timedelta(hours=hours) <= end_of_day:
            if start >= now + lead:
                windows.append(Window(start, start + timedelta(hours=hours)))
            start += timedelta(hours=hours)
    return windows


def window_ok(now: datetime, starts_at: datetime, ends_at: datetime) -> bool:
    """The chosen local-delivery window is one we offer."""
    return any(w.starts_at == starts_at and w.ends_at == ends_at for w in delivery_windows(now))
