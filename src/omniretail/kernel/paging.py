"""Cursor (keyset) pagination: stable under inserts, and as fast on page 1,000 as on page 1."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from omniretail.kernel.errors import FieldError, InvalidInput

T = TypeVar("T")
MAX_LIMIT = 200


def encode_cursor(last_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": str(last_id)}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> uuid.UUID:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return uuid.UUID(json.loads(base64.urlsafe_b64decode(padded))["after"])
    except (binascii.Error, ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise InvalidInput("The cursor is not one this server gave out",
                           errors=[FieldError(("query", "cursor"), "invalid cursor")]) from exc


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


class PageRead(BaseModel, Generic[T]):
    """A page of results; pass ``next_cursor`` back as ``cursor`` for the next one."""

    items: list[T]
    next_cursor: str | None


def paginate(session: Session, stmt: Select[Any], id_column: InstrumentedAttribute[Any], *,
             cursor: str | None, limit: int) -> Page[Any]:
    """Run ``stmt`` ordered by its time-ordered id, after ``cursor``, at most ``limit`` rows."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        stmt = stmt.where(id_column > decode_cursor(cursor))
    rows = list(session.scalars(stmt.order_by(id_column).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode_cursor(rows[-1].id) if more and rows else None)
