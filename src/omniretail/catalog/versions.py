"""The catalog's read version: one value that changes whenever what a storefront shows may change.

Every transaction that writes a catalog, pricing or channel table (through the ORM or a Core statement on the
session) gives ``catalog_read_version`` a new random value just before it commits, in that same transaction.
Per-process caches of storefront reads (``kernel.cache.VersionedCache``) keep an entry only for the version it
was made at, so a change is seen by every process on its next request. The bump comes last in the transaction,
so the one row lock it takes on PostgreSQL is held only while committing and never takes part in a deadlock.

A session that has written such tables but not committed reads no cached entry (``current`` answers None), so
a change is visible inside its own transaction too. Statements sent on ``session.connection()`` directly are
not seen: catalog, pricing and channel writes go through ``session.execute`` or the unit of work.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import BigInteger, Integer, column, event, select, table
from sqlalchemy.orm import ORMExecuteState, Session

from omniretail.kernel.db import conflict_insert

WATCHED = ("catalog_", "pricing_", "channels_")
_TABLE = table("catalog_read_version", column("id", Integer), column("version", BigInteger))
_PENDING = "catalog_read_version_pending"


def _watched(name: str | None) -> bool:
    return bool(name) and name.startswith(WATCHED) and name != "catalog_read_version"  # type: ignore[union-attr]


def current(session: Session) -> int | None:
    """The committed read version, or None while this session holds catalog writes of its own."""
    if session.info.get(_PENDING):
        return None
    return int(session.connection().execute(select(_TABLE.c.version).where(_TABLE.c.id == 1)).scalar() or 0)


def bump(session: Session) -> None:
    """Give the read version a new value (in the caller's transaction)."""
    # A random value rather than a count: a process that talks to several databases (tests, tools) can never
    # take one database's entry for another's just because both counters stand at the same number.
    token = secrets.randbits(62)
    stmt = conflict_insert(session)(_TABLE).values(id=1, version=token)
    session.connection().execute(stmt.on_conflict_do_update(index_elements=[_TABLE.c.id],
                                                            set_={"version": token}))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    if session.info.get(_PENDING):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        mapped = getattr(type(obj), "__table__", None)
        if mapped is not None and _watched(getattr(mapped, "name", None)):
            session.info[_PENDING] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and not state.session.info.get(_PENDING):
        target = getattr(state.statement, "table", None)
        if _watched(getattr(target, "name", None)):
            state.session.info[_PENDING] = True


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit bumps, so the row lock is still taken last
    session.flush()  # the commit's own flush comes after this hook; its writes must count too
    if session.info.pop(_PENDING, False):
        bump(session)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
