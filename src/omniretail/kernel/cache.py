"""A per-process read cache whose entries are tied to a data version and expire at a moment.

Reads that many requests share (a category's sorted matches and facet counts, the category menu) are kept in
process memory. Each entry remembers the version of the data it was computed from, as a version row that every
writer changes in its own transaction; a reader reads the row (one primary-key lookup) and uses an entry only
if it was made at that version and has not passed its ``expires_at`` (a moment from ``kernel.clock``, so that
publication windows and scheduled sales that begin or end between writes are honoured). Several app processes
each keep their own cache and all agree, because all read the same row.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from omniretail.kernel import clock

T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    version: int
    expires_at: datetime
    value: T


class VersionedCache(Generic[T]):
    """A bounded least-recently-used map of ``key -> value`` valid for one data version until a moment."""

    def __init__(self, *, size: int = 512):
        self._size = size
        self._entries: OrderedDict[Hashable, _Entry[T]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, *, version: int) -> T | None:
        """The value for ``key`` made at ``version`` and not yet expired, else None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version or entry.expires_at <= clock.now():
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry.value

    def put(self, key: Hashable, value: T, *, version: int, expires_at: datetime) -> T:
        """Keep ``value`` for ``key`` at ``version`` until ``expires_at``; answer the value."""
        with self._lock:
            self._entries[key] = _Entry(version, expires_at, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value

    def get_or_make(self, key: Hashable, *, version: int, make: Callable[[], tuple[T, datetime]]) -> T:
        """The cached value, or ``make()``'s (value, expires_at), kept for the next caller."""
        found = self.get(key, version=version)
        if found is not None:
            return found
        value, expires_at = make()
        return self.put(key, value, version=version, expires_at=expires_at)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
