"""Customers rules, pure: loyalty card check digits, distances, consent history, RFM scores and the small JSON
rule language that defines segments.

A segment rule is JSON data:

``{"all": [rule, ...]}``, ``{"any": [rule, ...]}``, ``{"not": rule}``
    combine rules (``all`` of nothing is true, ``any`` of nothing is false).
``{"field": NAME, "op": OP, "value": VALUE}``
    compare one fact. ``OP`` is ``eq ne lt le gt ge in``. ``NAME`` is one of ``FIELDS`` or ``orders.<channel
    kind>`` (orders in that channel kind) or ``share.<channel kind>`` (that channel's percentage of the orders).
    ``spend_minor`` is net spend in the customer's main ``currency`` (the one they spent most in).
``{"tag": "vip"}``
    the customer carries the tag.
``{"rfm": {"r": [min, max], "f": [min, max], "m": [min, max]}}``
    recency, frequency and monetary scores (1-5, 5 best) within the inclusive ranges given.
``{"within_km": {"km": 10, "location": "<location id>"}}`` or ``{"within_km": {"km": 10, "lat": .., "lon": ..}}``
    the customer's home is at most ``km`` from the store (its coordinates are given in ``Context.locations``) or
    the point; customers without home coordinates never match.

To add a fact: add it to ``Facts`` and to ``FIELDS``; ``validate`` and ``matches`` pick it up.
"""

from __future__ import annotations

import bisect
import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CONSENT_CHANNELS = ("email", "sms", "push")
IDENTITY_KINDS = ("email", "phone", "card")
EARTH_RADIUS_KM = 6371.0088
CARD_PREFIX = "29"
CARD_LENGTH = 13


# --- loyalty card numbers ------------------------------------------------------------------------------------------

def luhn_check_digit(body: str) -> str:
    """The Luhn check digit that makes ``body + digit`` a valid card number."""
    if not body.isdigit():
        raise ValueError("a card number body is digits only")
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def card_number(serial: int) -> str:
    """The loyalty card number for a serial: prefix, zero-padded serial, Luhn check digit (13 digits)."""
    body = f"{CARD_PREFIX}{serial:0{CARD_LENGTH - len(CARD_PREFIX) - 1}d}"
    if len(body) != CARD_LENGTH - 1:
        raise ValueError("serial too large for a card number")
    return body + luhn_check_digit(body)


def is_card_number(value: str) -> bool:
    """Whether ``value`` looks like one of our card numbers and its check digit is right."""
    return (len(value) == CARD_LENGTH and value.isdigit() and value.startswith(CARD_PREFIX)
            and luhn_check_digit(value[:-1]) == value[-1])


# --- places --------------------------------------------------------------------------------------------------------

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# --- consents ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConsentEntry:
    channel: str
    granted: bool
    at: datetime
    source: str


def current_consents(history: Iterable[ConsentEntry]) -> dict[str, ConsentEntry | None]:
    """The latest entry per channel (``None``: never asked, which counts as no)."""
    latest: dict[str, ConsentEntry | None] = dict.fromkeys(CONSENT_CHANNELS)
    for entry in history:
        seen = latest.get(entry.channel)
        if seen is None or entry.at >= seen.at:
            latest[entry.channel] = entry
    return latest


# --- RFM -----------------------------------------------------------------------------------------------------------

def quintile_edges(values: Sequence[float]) -> tuple[float, float, float, float]:
    """The 20th, 40th, 60th and 80th percentiles of ``values`` (nearest rank); all zeros when empty."""
    if not values:
        return (0.0, 0.0, 0.0, 0.0)
    ordered = sorted(values)
    n = len(ordered)
    picks = [ordered[min(n - 1, max(0, math.ceil(q * n / 5) - 1))] for q in (1, 2, 3, 4)]
    return (picks[0], picks[1], picks[2], picks[3])


def score(value: float, edges: tuple[float, float, float, float], *, higher_is_better: bool = True) -> int:
    """1-5: the quintile ``value`` falls in (5 is best)."""
    rank = bisect.bisect_left(edges, value) + 1 if higher_is_better else 5 - bisect.bisect_right(edges, value)
    return max(1, min(5, rank))


@dataclass(frozen=True)
class RfmEdges:
    recency: tuple[float, float, float, float]
    frequency: tuple[float, float, float, float]
    monetary: tuple[float, float, float, float]


def rfm_edges(facts: Iterable[Facts]) -> RfmEdges:
    """Quintile edges over the customers who bought at least once."""
    buyers = [f for f in facts if f.orders > 0]
    return RfmEdges(recency=quintile_edges([float(f.recency_days) for f in buyers if f.recency_days is not None]),
                    frequency=quintile_edges([float(f.orders) for f in buyers]),
                    monetary=quintile_edges([float(f.spend_minor) for f in buyers]))


def rfm_scores(facts: Facts, edges: RfmEdges) -> tuple[int, int, int]:
    """(recency, frequency, monetary) scores 1-5; a customer who never bought scores (1, 1, 1)."""
    if facts.orders == 0 or facts.recency_days is None:
        return (1, 1, 1)
    return (score(float(facts.recency_days), edges.recency, higher_is_better=False),
            score(float(facts.orders), edges.frequency), score(float(facts.spend_minor), edges.monetary))


# --- the rule language ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Facts:
    """What a segment rule can look at for one customer."""

    customer_id: uuid.UUID
    orders: int = 0
    spend_minor: int = 0
    currency: str | None = None
    recency_days: int | None = None
    orders_by_channel: Mapping[str, int] = field(default_factory=dict)
    rfm: tuple[int, int, int] = (1, 1, 1)
    tier: str | None = None
    home_location: str | None = None
    language: str | None = None
    tags: frozenset[str] = frozenset()
    home: tuple[float, float] | None = None

    def value(self, name: str) -> Any:
        if name.startswith("orders."):
            return self.orders_by_channel.get(name.removeprefix("orders."), 0)
        if name.startswith("share."):
            kind = name.removeprefix("share.")
            return 0 if self.orders == 0 else round(100 * self.orders_by_channel.get(kind, 0) / self.orders)
        if name == "r":
            return self.rfm[0]
        if name == "f":
            return self.rfm[1]
        if name == "m":
            return self.rfm[2]
        if name == "rfm":
            return "".join(str(s) for s in self.rfm)
        return getattr(self, name)


@dataclass(frozen=True)
class Context:
    """Outside facts a rule may refer to: store coordinates by location id (string form)."""

    locations: Mapping[str, tuple[float, float]] = field(default_factory=dict)


FIELDS: dict[str, type] = {"orders": int, "spend_minor": int, "currency": str, "recency_days": int, "r": int,
                           "f": int, "m": int, "rfm": str, "tier": str, "home_location": str, "language": str}
OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in")
MAX_DEPTH = 8


def _field_type(name: str) -> type | None:
    if name.startswith(("orders.", "share.")) and len(name.split(".", 1)[1]) > 0:
        return int
    return FIELDS.get(name)


def validate(rule: Any, path: tuple[str | int, ...] = (), depth: int = 0) -> list[tuple[tuple[str | int, ...], str]]:
    """Every problem with ``rule`` as (path, message); empty when the rule is well formed."""
    if depth > MAX_DEPTH:
        return [(path, f"rules nest at most {MAX_DEPTH} levels")]
    if not isinstance(rule, dict) or len(rule) != (3 if "field" in rule else 1):
        return [(path, "a rule is an object with one of all, any, not, field/op/value, tag, rfm, within_km")]
    if "field" in rule:
        return _validate_comparison(rule, path)
    (key, arg), = rule.items()
    here = (*path, key)
    if key in ("all", "any"):
        if not isinstance(arg, list):
            return [(here, "expected a list of rules")]
        return [p for i, sub in enumerate(arg) for p in validate(sub, (*here, i), depth + 1)]
    if key == "not":
        return validate(arg, here, depth + 1)
    if key == "tag":
        return [] if isinstance(arg, str) and arg else [(here, "expected a tag")]
    if key == "rfm":
        return _validate_rfm(arg, here)
    if key == "within_km":
        return _validate_within(arg, here)
    return [(here, f"unknown rule {key!r}")]


def _validate_comparison(rule: dict[str, Any], path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    name, op, value = rule.get("field"), rule.get("op"), rule.get("value")
    kind = _field_type(name) if isinstance(name, str) else None
    if kind is None:
        problems.append(((*path, "field"), f"unknown field; one of {', '.join(FIELDS)}, orders.<channel>, "
                                           "share.<channel>"))
    if op not in OPS:
        problems.append(((*path, "op"), f"unknown operator; one of {', '.join(OPS)}"))
    if kind is not None and op in OPS:
        values = value if op == "in" else [value]
        if not isinstance(values, list) or not values:
            problems.append(((*path, "value"), "expected a non-empty list"))
        elif not all(_fits(v, kind) for v in values):
            problems.append(((*path, "value"), f"expected {'a number' if kind is int else 'text'}"))
    return problems


def _fits(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str)


def _validate_rfm(arg: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if not isinstance(arg, dict) or not arg or set(arg) - {"r", "f", "m"}:
        return [(path, "expected an object with r, f and/or m ranges")]
    problems = []
    for key, bounds in arg.items():
        ok = (isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, int) and 1 <= b <= 5
                                                                     for b in bounds) and bounds[0] <= bounds[1])
        if not ok:
            problems.append(((*path, key), "expected [min, max] scores between 1 and 5"))
    return problems


def _validate_within(arg: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if not isinstance(arg, dict):
        return [(path, "expected an object with km and a location or lat/lon")]
    problems = []
    km = arg.get("km")
    if not isinstance(km, (int, float)) or isinstance(km, bool) or km <= 0:
        problems.append(((*path, "km"), "expected a positive distance in km"))
    if "location" in arg:
        try:
            uuid.UUID(str(arg["location"]))
        except ValueError:
            problems.append(((*path, "location"), "expected a location id"))
        if set(arg) - {"km", "location"}:
            problems.append((path, "give a location or lat/lon, not both"))
    else:
        lat, lon = arg.get("lat"), arg.get("lon")
        if not (isinstance(lat, (int, float)) and -90 <= lat <= 90 and isinstance(lon, (int, float))
                and -180 <= lon <= 180) or set(arg) - {"km", "lat", "lon"}:
            problems.append((path, "expected lat (-90..90) and lon (-180..180) or a location"))
    return problems


def locations_in(rule: Any) -> set[str]:
    """The location ids a (valid) rule refers to, so the caller can look their coordinates up."""
    if not isinstance(rule, dict):
        return set()
    found: set[str] = set()
    for key, arg in rule.items():
        if key in ("all", "any") and isinstance(arg, list):
            for sub in arg:
                found |= locations_in(sub)
        elif key == "not":
            found |= locations_in(arg)
        elif key == "within_km" and isinstance(arg, dict) and "location" in arg:
            found.add(str(arg["location"]))
    return found


def matches(rule: Mapping[str, Any], facts: Facts, context: Context | None = None) -> bool:
    """Whether the customer described by ``facts`` is in the segment defined by a valid ``rule``."""
    ctx = context or Context()
    if "field" in rule:
        return _compare(facts.value(rule["field"]), rule["op"], rule["value"])
    (key, arg), = rule.items()
    if key == "all":
        return all(matches(sub, facts, ctx) for sub in arg)
    if key == "any":
        return any(matches(sub, facts, ctx) for sub in arg)
    if key == "not":
        return not matches(arg, facts, ctx)
    if key == "tag":
        return arg in facts.tags
    if key == "rfm":
        return all(lo <= facts.value(k) <= hi for k, (lo, hi) in arg.items())
    if key == "within_km":
        return _within(arg, facts, ctx)
    raise ValueError(f"unknown rule {key!r}")


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "in":
        return actual in expected
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if actual is None:
        return False
    try:
        if op == "lt":
            return bool(actual < expected)
        if op == "le":
            return bool(actual <= expected)
        if op == "gt":
            return bool(actual > expected)
        if op == "ge":
            return bool(actual >= expected)
    except TypeError:
        return False
    raise ValueError(f"unknown operator {op!r}")


def _within(arg: Mapping[str, Any], facts: Facts, ctx: Context) -> bool:
    if facts.home is None:
        return False
    if "location" in arg:
        point = ctx.locations.get(str(arg["location"]))
        if point is None:
            return False
    else:
        point = (float(arg["lat"]), float(arg["lon"]))
    return haversine_km(facts.home[0], facts.home[1], point[0], point[1]) <= float(arg["km"])
