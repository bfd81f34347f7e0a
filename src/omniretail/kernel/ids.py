"""Identifiers: time-ordered UUIDs for rows, short human numbers for documents people read aloud."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """A UUIDv7: unique without coordination and sorted by creation time, so keyset paging follows age."""
    return uuid.UUID(int=uuid6.uuid7().int)


def format_number(prefix: str, value: int, width: int = 6) -> str:
    """Render a document number such as ``W-000123`` (wider numbers keep all their digits)."""
    if value < 0:
        raise ValueError("document numbers are positive")
    return f"{prefix}-{value:0{width}d}"
