"""The transactional outbox and the dispatcher that delivers it.

A service records an event in the same transaction as its change (``record``). After commit, a
dispatcher claims pending events in batches (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so any number of
workers share the queue), and runs each handler in its own short transaction that first inserts a
(handler, event id) row into ``kernel_processed_event``. The handler's writes and that row commit
together, so a redelivery after a crash, a lease expiry or a retry skips the handlers that already
ran: delivery is at least once, the effect is exactly once. A failing handler leaves the event for a
retry with exponential backoff and, after ``max_attempts``, moves it to the dead letters
(``omniretail events dead-letters``), logging its id every time; nothing is swallowed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Index, Integer, String, Text, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, Session, mapped_column

from omniretail.kernel import clock, jobs
from omniretail.kernel.db import Base, Database, affected, conflict_insert
from omniretail.kernel.events import Event, UnknownEventType, from_payload, to_payload
from omniretail.kernel.ids import new_id

log = logging.getLogger("omniretail.events")

PENDING, DONE, DEAD = "pending", "done", "dead"


class OutboxEvent(Base):
    __tablename__ = "kernel_outbox_event"
    __table_args__ = (Index("ix_kernel_outbox_event_due", "status", "available_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    event_type: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]]
    occurred_at: Mapped[datetime] = mapped_column(default=clock.now)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(default=clock.now)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None]


class ProcessedEvent(Base):
    __tablename__ = "kernel_processed_event"

    handler: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(default=clock.now)


@dataclass(frozen=True)
class HandlerContext:
    """What a handler gets besides the event: the open session and the adapters from bootstrap."""

    session: Session
    adapters: Any
    event_id: uuid.UUID


Handler = Callable[[HandlerContext, Any], None]
HandlerMap = Mapping[type[Event], Sequence[Handler]]

_wakeup = threading.Event()


def record(session: Session, event: Event) -> uuid.UUID:
    """Add ``event`` to the outbox in the caller's transaction; it is delivered only if that commits."""
    row = OutboxEvent(id=new_id(), event_type=event.event_name, payload=to_payload(event),
                      occurred_at=clock.now(), available_at=clock.now())
    session.add(row)
    session.info["outbox_recorded"] = True
    return row.id


@sa_event.listens_for(Session, "after_commit")
def _wake_dispatcher(session: Session) -> None:
    if session.info.pop("outbox_recorded", False):
        _wakeup.set()


def handler_key(handler: Handler) -> str:
    return f"{handler.__module__}.{getattr(handler, '__qualname__', repr(handler))}"


def backoff(attempts: int) -> timedelta:
    """Wait before retry number ``attempts``: 2 s, 4 s, 8 s ... capped at one hour."""
    return timedelta(seconds=min(2 ** attempts, 3600))


@dataclass(frozen=True)
class Claimed:
    id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    attempts: int


class Dispatcher:
    """Claims due events and runs their handlers; one per thread or process."""

    def __init__(self, db: Database, handlers: HandlerMap, *, adapters: Any = None, batch_size: int = 100,
                 lease: timedelta = timedelta(seconds=60), max_attempts: int = 8,
                 worker_id: str | None = None, jobs: Sequence[Any] = ()):
        self.db = db
        self.handlers = handlers
        self.adapters = adapters
        self.batch_size = batch_size
        self.lease = lease
        self.max_attempts = max_attempts
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.jobs = list(jobs)

    def claim(self) -> list[Claimed]:
        """Take a batch of due events that nobody else holds, under a lease."""
        now = clock.now()
        due = (select(OutboxEvent.id)
               .where(OutboxEvent.status == PENDING, OutboxEvent.available_at <= now,
                      (OutboxEvent.claimed_until.is_(None)) | (OutboxEvent.claimed_until < now))
               .order_by(OutboxEvent.available_at, OutboxEvent.id)
               .limit(self.batch_size)
               .with_for_update(skip_locked=True))
        with self.db.transaction() as session:
            ids = list(session.scalars(due))
            if not ids:
                return []
            session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(ids))
                            .values(claimed_by=self.worker_id, claimed_until=now + self.lease))
            rows = session.execute(select(OutboxEvent.id, OutboxEvent.event_type, OutboxEvent.payload,
                                          OutboxEvent.attempts).where(OutboxEvent.id.in_(ids))
                                   .order_by(OutboxEvent.available_at, OutboxEvent.id)).all()
        return [Claimed(r.id, r.event_type, r.payload, r.attempts) for r in rows]

    def _mark_processed(self, session: Session, key: str, event_id: uuid.UUID) -> bool:
        values = {"handler": key, "event_id": event_id, "processed_at": clock.now()}
        insert = conflict_insert(session)
        # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
        stmt = insert(ProcessedEvent).values(**values).on_conflict_do_nothing().returning(ProcessedEvent.event_id)
        return session.execute(stmt).first() is not None

    def deliver(self, claimed: Claimed) -> bool:
        """Run every handler of one event that has not run yet; False if one failed."""
        try:
            event = from_payload(claimed.event_type, claimed.payload)
        except (UnknownEventType, TypeError, ValueError, KeyError) as exc:
            self._fail(claimed, f"cannot decode: {exc!r}", dead=True)
            return False
        for handler in self.handlers.get(type(event), ()):
            key = handler_key(handler)
            try:
                with self.db.transaction() as session:
                    if not self._mark_processed(session, key, claimed.id):
                        continue
                    handler(HandlerContext(session=session, adapters=self.adapters, event_id=claimed.id), event)
            except Exception:
                self._fail(claimed, f"{key}: {traceback.format_exc(limit=8)}")
                return False
        return True

    def _fail(self, claimed: Claimed, error: str, *, dead: bool = False) -> None:
        attempts = claimed.attempts + 1
        dead = dead or attempts >= self.max_attempts
        log.error("event handler failed", extra={"event_id": str(claimed.id), "event_type": claimed.event_type,
                                                  "attempt": attempts, "dead_letter": dead, "error": error})
        with self.db.transaction() as session:
            session.execute(update(OutboxEvent).where(OutboxEvent.id == claimed.id).values(
                attempts=attempts, last_error=error[-4000:], claimed_by=None, claimed_until=None,
                status=DEAD if dead else PENDING, available_at=clock.now() + backoff(attempts)))

    def run_once(self) -> int:
        """Claim one batch and deliver it; return how many events it claimed."""
        batch = self.claim()
        delivered = [c.id for c in batch if self.deliver(c)]
        if delivered:
            with self.db.transaction() as session:
                session.execute(update(OutboxEvent)
                                .where(OutboxEvent.id.in_(delivered), OutboxEvent.claimed_by == self.worker_id)
                                .values(status=DONE, processed_at=clock.now(), claimed_by=None,
                                        claimed_until=None))
        return len(batch)

    def run_jobs(self) -> int:
        return jobs.run_due(self.db, self.jobs, adapters=self.adapters)

    def drain(self, *, max_rounds: int = 1000) -> int:
        """Deliver until nothing is due (tests call this instead of waiting for a thread)."""
        total = 0
        for _ in range(max_rounds):
            claimed = self.run_once()
            total += claimed
            if not claimed:
                break
        return total

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 1.0) -> None:
        """Deliver and run due jobs until ``stop`` is set; wake early when a commit recorded events."""
        log.info("dispatcher started", extra={"worker_id": self.worker_id})
        while not stop.is_set():
            try:
                busy = self.run_once()
                self.run_jobs()
            except Exception:
                log.exception("dispatcher round failed; retrying")
                busy = 0
            if not busy:
                _wakeup.wait(poll_seconds)
                _wakeup.clear()
        log.info("dispatcher stopped", extra={"worker_id": self.worker_id})


def dead_letters(session: Session, *, limit: int = 100) -> list[OutboxEvent]:
    """The events that ran out of attempts, oldest first."""
    return list(session.scalars(select(OutboxEvent).where(OutboxEvent.status == DEAD)
                                .order_by(OutboxEvent.occurred_at).limit(limit)))


def replay(session: Session, *, event_ids: Sequence[uuid.UUID] | None = None) -> int:
    """Put dead letters back in the queue with fresh attempts; all of them when no ids are given."""
    stmt = update(OutboxEvent).where(OutboxEvent.status == DEAD)
    if event_ids is not None:
        stmt = stmt.where(OutboxEvent.id.in_(list(event_ids)))
    return affected(session.execute(stmt.values(status=PENDING, attempts=0, available_at=clock.now(),
                                                claimed_by=None, claimed_until=None)))
