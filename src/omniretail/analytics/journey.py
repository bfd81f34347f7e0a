"""Journey events, recorded off the request path.

A page view must not turn every storefront GET into a writing transaction (on SQLite that would queue every
shopper behind one write lock). Pages hand their events to a ``Recorder``, which keeps them in memory and writes
them in one short transaction per second from a background thread (and when the server stops). If the process
dies, at most the last second of page views is lost: acceptable for analytics, never used for money or stock.

A sign-in is recorded as a ``sign_in`` step carrying both ids; writing it also gives the visitor's earlier
anonymous steps that customer id ("stitching").
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from omniretail.analytics.models import JourneyEvent
from omniretail.kernel import clock
from omniretail.kernel.db import Database, affected
from omniretail.kernel.ids import new_id
from omniretail.kernel.paging import Page, paginate

log = logging.getLogger("omniretail.analytics")

KINDS = frozenset({"page_view", "product_view", "add_to_cart", "checkout_start", "purchase", "sign_in", "search"})
MAX_BUFFER = 50_000  # beyond this (the database is down for long), the oldest steps are dropped


@dataclass(frozen=True)
class Step:
    kind: str
    visitor_id: uuid.UUID
    at: datetime
    customer_id: uuid.UUID | None = None
    channel_code: str | None = None
    path: str | None = None
    product_id: uuid.UUID | None = None
    variant_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    quantity: int | None = None
    value_minor: int | None = None
    currency: str | None = None


def write(*, session: Session, steps: Sequence[Step]) -> int:
    """Store the steps and stitch every signed-in visitor's earlier anonymous steps to the customer."""
    if not steps:
        return 0
    session.execute(insert(JourneyEvent), [{"id": new_id(), **asdict(s), "path": (s.path or None) and s.path[:300]}
                                           for s in steps])
    for visitor_id, customer_id in {(s.visitor_id, s.customer_id) for s in steps
                                    if s.kind == "sign_in" and s.customer_id is not None}:
        session.execute(update(JourneyEvent).where(JourneyEvent.visitor_id == visitor_id,
                                                   JourneyEvent.customer_id.is_(None))
                        .values(customer_id=customer_id))
    return len(steps)


class Recorder:
    """Buffers steps in memory; ``flush`` writes them; ``start`` flushes every ``interval`` seconds in a thread."""

    def __init__(self, db: Database, *, interval: float = 1.0):
        self.db = db
        self.interval = interval
        self._steps: list[Step] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # one flush at a time: a flush returns once everything before it is written
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.dropped = 0

    def record(self, step: Step) -> None:
        if step.kind not in KINDS:
            raise ValueError(f"unknown journey step {step.kind!r}")
        with self._lock:
            if len(self._steps) >= MAX_BUFFER:
                self._steps.pop(0)
                self.dropped += 1
            self._steps.append(step)

    def pending(self) -> int:
        with self._lock:
            return len(self._steps)

    def flush(self) -> int:
        """Write what is buffered in one transaction; on failure the steps go back in the buffer."""
        with self._writing:
            with self._lock:
                steps, self._steps = self._steps, []
            if not steps:
                return 0
            try:
                with self.db.transaction() as session:
                    return write(session=session, steps=steps)
            except Exception:
                log.exception("journey steps could not be written; kept for the next try",
                              extra={"steps": len(steps)})
                with self._lock:
                    self._steps[:0] = steps[-MAX_BUFFER:]
                return 0

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()
        self.flush()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="journey", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.flush()


def steps_of(*, session: Session, visitor_id: uuid.UUID | None = None, customer_id: uuid.UUID | None = None,
             kind: str | None = None, cursor: str | None = None, limit: int = 100) -> Page[JourneyEvent]:
    """A visitor's or customer's steps, oldest first."""
    stmt = select(JourneyEvent)
    if visitor_id is not None:
        stmt = stmt.where(JourneyEvent.visitor_id == visitor_id)
    if customer_id is not None:
        stmt = stmt.where(JourneyEvent.customer_id == customer_id)
    if kind is not None:
        stmt = stmt.where(JourneyEvent.kind == kind)
    return paginate(session, stmt, JourneyEvent.id, cursor=cursor, limit=limit)


def forget(*, session: Session, customer_id: uuid.UUID) -> int:
    """Delete a customer's journey (erasure), and the anonymous steps of the visitors they signed in as."""
    visitors = list(session.scalars(select(JourneyEvent.visitor_id).where(JourneyEvent.customer_id == customer_id)
                                    .distinct()))
    removed = affected(session.execute(delete(JourneyEvent).where(JourneyEvent.customer_id == customer_id)))
    if visitors:
        removed += affected(session.execute(delete(JourneyEvent).where(JourneyEvent.visitor_id.in_(visitors))))
    return removed


def now_step(kind: str, visitor_id: uuid.UUID, **fields: object) -> Step:
    return Step(kind=kind, visitor_id=visitor_id, at=clock.now(), **fields)  # type: ignore[arg-type]
