"""Loyalty balance latency: one member with 5,000 ledger rows (earned lots, redemptions, reversals, expiries)
among 200 members with 500 rows each, on SQLite (a file under /tmp) and on a throwaway PostgreSQL cluster.
Times ``loyalty.service.balance`` (available, pending and lifetime: one SUM over the ledger) and the full
``summary_for`` (plus rolling spend and tier), 300 runs after a warm-up. Prints p50 and p99 in milliseconds.
Run: ``PYTHONPATH=. .venv/bin/python bench/loyalty_bench.py [rows]``.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from omniretail.kernel import clock, migrate
from omniretail.kernel.db import Database
from omniretail.kernel.ids import new_id
from omniretail.loyalty import service as loyalty_service
from omniretail.loyalty.models import LedgerEntry
from tests.support.postgres import create_database, start_cluster

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
OTHERS, OTHER_ROWS = 200, 500
RUNS, WARMUP = 300, 20
KINDS = ["earn", "earn", "earn", "redeem", "reversal", "expire"]


def _rows(customer_id: uuid.UUID, count: int, rng: random.Random, tag: str) -> list[dict[str, Any]]:
    now = clock.now()
    rows = []
    for i in range(count):
        kind = rng.choice(KINDS)
        at = now - timedelta(days=rng.randint(0, 700), seconds=rng.randint(0, 86400))
        points = rng.randint(1, 300) * (1 if kind == "earn" else -1)
        rows.append({"id": new_id(), "customer_id": customer_id, "kind": kind, "points": points,
                     "spend_minor": points * 100 if kind == "earn" else 0, "available_at": at + timedelta(days=30),
                     "expires_at": at + timedelta(days=390), "order_id": None, "variant_id": None, "quantity": 0,
                     "location_id": None, "channel_code": "web-eu", "hold_ref": None, "lot_id": None,
                     "ref": f"bench:{tag}:{i}", "note": "", "created_at": at})
    return rows


def _measure(label: str, db: Database) -> None:
    rng = random.Random(3)
    member = uuid.uuid4()
    with db.transaction() as session:
        session.execute(insert(LedgerEntry), _rows(member, ROWS, rng, "member"))
        for n in range(OTHERS):
            session.execute(insert(LedgerEntry), _rows(uuid.uuid4(), OTHER_ROWS, rng, f"other{n}"))

    def timed(name: str, call: Callable[[Any], object]) -> None:
        samples = []
        for i in range(WARMUP + RUNS):
            started = time.perf_counter()
            with db.transaction(read_only=True) as session:
                call(session)
            if i >= WARMUP:
                samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        print(f"{label:<11} {name:<44} p50 {statistics.median(samples):6.2f} ms   "
              f"p99 {samples[int(len(samples) * 0.99) - 1]:6.2f} ms")

    timed(f"balance ({ROWS} rows)", lambda s: loyalty_service.balance(session=s, customer_id=member))
    timed("summary_for (balance, 12-month spend, tier)",
          lambda s: loyalty_service.summary_for(session=s, customer_id=member))


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="loyalty-bench-"))
    try:
        url = f"sqlite:///{workdir / 'bench.db'}"
        migrate.upgrade(url)
        _measure("SQLite", Database(url))
        cluster = start_cluster()
        try:
            pg_url = create_database(cluster.url, "loyalty_bench")
            migrate.upgrade(pg_url)
            _measure("PostgreSQL", Database(pg_url))
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
