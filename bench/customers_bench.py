"""Customers benchmark: the till's member look-up among 20,000 profiles (the demo customers), on SQLite and on a
throwaway PostgreSQL. Each look-up is one read-only transaction through ``customers.service.lookup``, as the API
runs it; phones are typed the way cashiers type them (national format, spaces), so normalization is included.
Prints p50/p99 in milliseconds for phone, card number, e-mail and name-prefix look-ups.

Run: ``.venv/bin/python -m bench.customers_bench [lookups]`` (prints figures; never part of the test run).
Set ``OMNIRETAIL_BENCH_POSTGRES_URL`` to use a running server instead of a throwaway cluster.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from omniretail.customers import demo as customers_demo
from omniretail.customers import service
from omniretail.customers.models import Profile
from omniretail.identity import demo as identity_demo
from omniretail.inventory import demo as inventory_demo
from omniretail.kernel import migrate
from omniretail.kernel.db import Database
from tests.support.postgres import create_database, start_cluster

LOOKUPS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


def _load(db: Database) -> float:
    """Load the stores, then time the customers' part of the demo (bulk inserts and the segment recompute)."""
    with db.transaction() as s:
        identity_demo.load(s)
        inventory_demo.load_locations(s)
    started = time.perf_counter()
    with db.transaction() as s:
        customers_demo.load(s)
    return time.perf_counter() - started


def _typed(phone: str) -> str:
    """How a cashier types a Latvian or Polish mobile: national digits in groups; others in full."""
    if phone.startswith("+371"):
        digits = phone[4:]
        return f"{digits[:2]} {digits[2:5]} {digits[5:]}"
    return f"{phone[:3]} {phone[3:6]} {phone[6:]}"


def _measure(db: Database, queries: list[str], region: str | None = None) -> tuple[float, float, int]:
    times, found = [], 0
    for q in queries:
        started = time.perf_counter()
        with db.transaction(read_only=True) as s:
            found += len(service.lookup(session=s, q=q, region=region))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], found


def _run(name: str, db: Database) -> None:
    seconds = _load(db)
    with db.transaction(read_only=True) as s:
        count = service.count_profiles(session=s)
        rows = s.execute(select(Profile.phone, Profile.card_number, Profile.email, Profile.family_name)
                         .where(Profile.status == "active")).all()
    rng = random.Random(3)
    sample = [rows[rng.randrange(len(rows))] for _ in range(LOOKUPS)]
    latvian = [r.phone for r in sample if r.phone and r.phone.startswith("+371")]
    kinds: list[tuple[str, list[str], str | None]] = [
        ("phone, E.164", [r.phone for r in sample if r.phone], None),
        ("phone, typed (LV)", [_typed(p) for p in latvian], "LV"),
        ("card number", [r.card_number for r in sample if r.card_number], None),
        ("e-mail", [r.email for r in sample if r.email], None),
        ("name prefix (4)", [r.family_name[:4] for r in sample], None),
    ]
    print(f"{name}: {count} profiles; the customers demo loaded in {seconds:.1f} s (bulk insert, segments)")
    print("  look-up              n     p50 ms   p99 ms   hits")
    for label, queries, region in kinds:
        p50, p99, hits = _measure(db, queries, region)
        print(f"  {label:<18} {len(queries):>5} {p50:>9.2f} {p99:>8.2f} {hits:>6}")


def _with_sqlite(run: Callable[[str, Database], None]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        db = Database(url)
        try:
            run("SQLite", db)
        finally:
            db.dispose()


def _with_postgres(run: Callable[[str, Database], None]) -> None:
    given = os.environ.get("OMNIRETAIL_BENCH_POSTGRES_URL")
    cluster = None if given else start_cluster()
    try:
        url = create_database(given or cluster.url, f"customers_bench_{os.getpid()}")  # type: ignore[union-attr]
        migrate.upgrade(url)
        db = Database(url)
        try:
            run("PostgreSQL", db)
        finally:
            db.dispose()
    finally:
        if cluster is not None:
            cluster.stop()


def main() -> None:
    _with_sqlite(_run)
    _with_postgres(_run)


if __name__ == "__main__":
    main()
