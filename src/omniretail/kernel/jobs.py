"""Periodic jobs (release expired holds, flag late shipments, ...) run by the dispatcher loop.

Each job has a row in ``kernel_job``; whoever moves its ``next_run_at`` forward with a conditional update
runs it, so any number of workers can share the schedule and a job runs once per interval.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base, Database, affected, conflict_insert

log = logging.getLogger("omniretail.jobs")


class JobRun(Base):
    __tablename__ = "kernel_job"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    next_run_at: Mapped[datetime]
    last_started_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Job:
    """``run(session, adapters)`` is called in its own transaction every ``every``.

    A job that calls outside systems (a payment gateway, a carrier) must not hold a transaction open while it
    waits: it sets ``owns_transactions`` and is called as ``run(db, adapters)`` to open its own short ones.
    """

    name: str
    every: timedelta
    run: Callable[[Any, Any], object]
    owns_transactions: bool = False


def _claim(db: Database, job: Job) -> bool:
    now = clock.now()
    with db.transaction() as session:
        insert = conflict_insert(session)
        session.execute(insert(JobRun).values(name=job.name, next_run_at=now).on_conflict_do_nothing())
        taken = affected(session.execute(update(JobRun).where(JobRun.name == job.name, JobRun.next_run_at <= now)
                                .values(next_run_at=now + job.every, last_started_at=now)))
    return bool(taken)


def run_due(db: Database, jobs: Sequence[Job], *, adapters: Any = None) -> int:
    """Run each job whose time has come and that no other worker took; return how many ran."""
    ran = 0
    for job in jobs:
        if not _claim(db, job):
            continue
        try:
            if job.owns_transactions:
                job.run(db, adapters)
            else:
                with db.transaction() as session:
                    job.run(session, adapters)
        except Exception as exc:
            log.exception("job failed", extra={"job": job.name})
            with db.transaction() as session:
                session.execute(update(JobRun).where(JobRun.name == job.name).values(last_error=repr(exc)))
        ran += 1
    return ran


def schedule(session: Session) -> list[JobRun]:
    return list(session.scalars(select(JobRun).order_by(JobRun.name)))
