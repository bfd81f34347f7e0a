"""Outbox delivery throughput: events recorded and delivered per second by one dispatcher, on SQLite and
PostgreSQL. Prints figures; not a test.

    PYTHONPATH=. .venv/bin/python bench/outbox_throughput.py [--events 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from omniretail.kernel import migrate, outbox
from omniretail.kernel.db import Database
from omniretail.kernel.events import Event
from omniretail.kernel.outbox import Dispatcher, HandlerContext
from tests.support.postgres import PostgresUnavailable, create_database, start_cluster


@dataclass(frozen=True)
class BenchTicked(Event):
    n: int
    ref: uuid.UUID


def touch(ctx: HandlerContext, event: BenchTicked) -> None:
    ctx.session.execute(text("SELECT 1"))


def run(name: str, url: str, events: int) -> None:
    migrate.upgrade(url)
    db = Database(url)
    started = time.perf_counter()
    for start in range(0, events, 100):
        with db.transaction() as session:
            for n in range(start, min(start + 100, events)):
                outbox.record(session, BenchTicked(n=n, ref=uuid.uuid4()))
    recorded = time.perf_counter() - started
    started = time.perf_counter()
    delivered = Dispatcher(db, {BenchTicked: [touch]}, batch_size=200).drain(max_rounds=100_000)
    elapsed = time.perf_counter() - started
    print(f"{name:<11} recorded {events} events at {events / recorded:,.0f}/s; "
          f"delivered {delivered} at {delivered / elapsed:,.0f}/s (one dispatcher, one handler)")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.events)
    try:
        cluster = start_cluster()
    except PostgresUnavailable as exc:
        print(f"postgresql  skipped: {exc}")
        return
    try:
        run("postgresql", create_database(cluster.url, "bench_outbox"), args.events)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
