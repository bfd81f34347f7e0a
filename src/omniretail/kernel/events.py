"""Domain events: past-tense frozen dataclasses that a service records and handlers react to.

Every subclass registers itself under ``<context>.<ClassName>`` so the outbox can store it as JSON and
turn it back into the same class in another process. Fields may be plain values, UUIDs, datetimes,
Decimals, Money, StrEnums, frozen dataclasses of those, or tuples of those.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from omniretail.kernel.money import Money

_REGISTRY: dict[str, type[Event]] = {}


class UnknownEventType(LookupError):
    """The outbox holds an event type no module in this process defines (an operational error)."""


@dataclasses.dataclass(frozen=True)
class Event:
    event_name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        parts = cls.__module__.split(".")
        context = parts[1] if len(parts) > 2 and parts[0] == "omniretail" else parts[0]
        cls.event_name = f"{context}.{cls.__name__}"
        _REGISTRY[cls.event_name] = cls


def event_type(name: str) -> type[Event]:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownEventType(name) from None


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Money):
        return {"amount_minor": value.amount_minor, "currency": value.currency}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    return value


def _load(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _load(options[0], value) if len(options) == 1 else value
    if origin in (tuple, list):
        args = typing.get_args(tp)
        item = args[0] if args else Any
        loaded = [_load(item, v) for v in value]
        return tuple(loaded) if origin is tuple else loaded
    if tp is Money:
        return Money(int(value["amount_minor"]), value["currency"])
    if tp is uuid.UUID:
        return uuid.UUID(value)
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is Decimal:
        return Decimal(value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: _load(hints[f.name], value.get(f.name)) for f in dataclasses.fields(tp)})
    return value


def to_payload(event: Event) -> dict[str, Any]:
    """The event as JSON-ready data."""
    return {f.name: _dump(getattr(event, f.name)) for f in dataclasses.fields(event)}


def from_payload(name: str, payload: dict[str, Any]) -> Event:
    """Rebuild the event recorded under ``name``."""
    cls = event_type(name)
    hints = typing.get_type_hints(cls)
    return cls(**{f.name: _load(hints[f.name], payload.get(f.name)) for f in dataclasses.fields(cls)})
