"""The one source of "now": always UTC and timezone-aware, and movable by tests.

Code never calls ``datetime.now()`` directly, so a test can jump a hold past its expiry or a shipment
past its promised date and watch the background jobs react.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

_lock = threading.Lock()
_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """The current UTC time, shifted or frozen when a test asked for it."""
    with _lock:
        if _frozen is not None:
            return _frozen
        return datetime.now(UTC) + _offset


def advance(delta: timedelta) -> None:
    """Move the clock forward (or back) for every caller in this process."""
    global _offset, _frozen
    with _lock:
        if _frozen is not None:
            _frozen = _frozen + delta
        else:
            _offset = _offset + delta


def freeze(at: datetime) -> None:
    """Stop the clock at ``at`` (must be timezone-aware)."""
    global _frozen
    if at.tzinfo is None:
        raise ValueError("freeze() needs a timezone-aware datetime")
    with _lock:
        _frozen = at.astimezone(UTC)


def reset() -> None:
    """Return to the real time."""
    global _offset, _frozen
    with _lock:
        _offset = timedelta(0)
        _frozen = None


def as_utc(value: datetime) -> datetime:
    """Read a stored timestamp as aware UTC (SQLite hands naive values back)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
