"""Inventory benchmarks on a throwaway PostgreSQL: reservation throughput at 1, 8 and 32 clients, and batch
availability of 200 variants across 50 locations (p99), each beside the same SQL run directly through psycopg.

Clients run as threads of one process (the Python client shares one GIL, so it measures how much Python the
path costs) and as separate processes (one connection each, as N app processes would). The raw side sends the
very statements the service sends: the conditional UPDATE ... RETURNING (with the reorder point's id as a
sub-select) and the INSERT of the hold, in one transaction; the availability SELECT with the same columns.

Run: ``.venv/bin/python -m bench.inventory_bench [seconds]`` (prints figures; never part of the test run).
Set ``OMNIRETAIL_BENCH_POSTGRES_URL`` to use a running server instead of a throwaway cluster.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable

import psycopg

from omniretail.inventory import service as inventory_service
from omniretail.inventory.exceptions import InsufficientStock
from omniretail.inventory.models import StockLevel
from omniretail.kernel import migrate
from omniretail.kernel.db import Database
from omniretail.kernel.ids import new_id
from tests.support.postgres import create_database, start_cluster

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
VARIANTS, LOCATIONS = 200, 50
RAW_HOLD = ("UPDATE inventory_stock_level SET reserved = reserved + %s WHERE variant_id = %s AND location_id = %s "
            "AND %s <= on_hand - reserved - safety_stock RETURNING on_hand, reserved, safety_stock, "
            "(SELECT p.id FROM inventory_reorder_point p WHERE p.variant_id = inventory_stock_level.variant_id "
            "AND p.location_id = inventory_stock_level.location_id)")
RAW_INSERT = ("INSERT INTO inventory_reservation (id, ref, variant_id, location_id, quantity, status, expires_at, "
              "created_at, closed_at) VALUES (%s, %s, %s, %s, %s, 'held', NULL, now(), NULL)")
RAW_BATCH = ("SELECT variant_id, location_id, on_hand, reserved, safety_stock, last_movement_at "
             "FROM inventory_stock_level WHERE variant_id = ANY(%s) AND location_id = ANY(%s)")


def _setup(db: Database) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    variants = [new_id() for _ in range(VARIANTS)]
    with db.transaction() as s:
        locations = [inventory_service.create_location(
            session=s, actor=None, code=f"STORE-{n:02d}", name=f"Store {n}", kind="store", city="Riga",
            country="LV", latitude=56.9 + n / 100, longitude=24.1, timezone="Europe/Riga").id for n in range(LOCATIONS)]
        s.execute(StockLevel.__table__.insert(), [
            {"id": new_id(), "variant_id": v, "location_id": loc, "on_hand": 10_000_000, "reserved": 0,
             "safety_stock": 0} for v in variants for loc in locations])
    return variants, locations


class Worker:
    """One client's work: a reservation through the service, or the same statements through psycopg."""

    def __init__(self, url: str, variants: list[uuid.UUID], locations: list[uuid.UUID], pool_size: int = 2):
        self.url, self.variants, self.locations = url, variants, locations
        self.pool_size = pool_size
        self._db: Database | None = None
        self._local = threading.local()

    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.url, pool_size=self.pool_size)
        return self._db

    def conn(self) -> psycopg.Connection:
        if not hasattr(self._local, "c"):
            self._local.c = psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"))
        return self._local.c  # type: ignore[no-any-return]

    def pair(self, i: int, n: int) -> tuple[uuid.UUID, uuid.UUID]:
        return self.variants[(i * 7 + n) % VARIANTS], self.locations[i % LOCATIONS]

    def service(self, i: int, n: int) -> None:
        variant, location = self.pair(i, n)
        try:
            with self.db().transaction() as s:
                inventory_service.reserve(session=s, variant_id=variant, location_id=location, quantity=1,
                                          ref=f"bench-{i}-{n}")
        except InsufficientStock:
            pass

    def raw(self, i: int, n: int) -> None:
        variant, location = self.pair(i, n)
        c = self.conn()
        with c.transaction():
            if c.execute(RAW_HOLD, (1, variant, location, 1)).fetchone() is not None:
                c.execute(RAW_INSERT, (new_id(), f"raw-{i}-{n}", variant, location, 1))


def _loop(work: Callable[[int, int], None], i: int, start: float, stop: float) -> int:
    work(i, -1)  # connect (and, in a new process, compile) before the clock starts
    while time.perf_counter() < start:
        time.sleep(0.001)
    n = 0
    while time.perf_counter() < stop:
        work(i, n)
        n += 1
    return n


def _threads(clients: int, work: Callable[[int, int], None]) -> float:
    start = time.perf_counter() + 0.2
    stop = start + SECONDS
    counts = [0] * clients

    def run(i: int) -> None:
        counts[i] = _loop(work, i, start, stop)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (max(time.perf_counter(), stop) - start)


_INHERITED: list[object] = []


def _child(worker: Worker, kind: str, i: int, start: float, stop: float, out: multiprocessing.Queue) -> None:
    # A forked child opens its own connections; the parent's stay referenced (never closed from here: closing
    # would end the parent's sessions on the shared sockets), and the child leaves with os._exit.
    _INHERITED.append((worker._db, worker._local))
    worker._db, worker._local = None, threading.local()
    out.put(_loop(worker.service if kind == "service" else worker.raw, i, start, stop))


def _processes(clients: int, worker: Worker, kind: str) -> float:
    ctx = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = ctx.Queue()
    start = time.perf_counter() + 1.0 + clients * 0.15
    stop = start + SECONDS
    procs = [ctx.Process(target=_child, args=(worker, kind, i, start, stop, out)) for i in range(clients)]
    for p in procs:
        p.start()
    total = sum(out.get() for _ in procs)
    for p in procs:
        p.join()
    return total / SECONDS


def _p99(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100)[98]


def main() -> None:
    given = os.environ.get("OMNIRETAIL_BENCH_POSTGRES_URL")
    cluster = None if given else start_cluster()
    try:
        url = create_database(given or cluster.url, f"inventory_bench_{os.getpid()}")  # type: ignore[union-attr]
        migrate.upgrade(url)
        db = Database(url, pool_size=40)
        variants, locations = _setup(db)
        worker = Worker(url, variants, locations, pool_size=40)
        print(f"reservations/s over {SECONDS:.0f} s (service and raw SQL alternate, same statements)")
        print("  clients  mode        service   raw SQL   ratio")
        for clients in (1, 8, 32):
            for mode in ("threads", "processes"):
                if mode == "threads":
                    service, raw = _threads(clients, worker.service), _threads(clients, worker.raw)
                else:
                    service, raw = _processes(clients, worker, "service"), _processes(clients, worker, "raw")
                print(f"  {clients:7d}  {mode:10s} {service:8.0f}  {raw:8.0f}   {service / raw:5.2f}", flush=True)

        def service_batch() -> None:
            with db.transaction(read_only=True) as s:
                inventory_service.availability(session=s, variant_ids=variants, location_ids=locations)

        def raw_batch() -> None:
            c = worker.conn()
            with c.transaction():
                c.execute(RAW_BATCH, (variants, locations)).fetchall()

        svc: list[float] = []
        raw: list[float] = []
        for _ in range(10):
            service_batch()
            raw_batch()
        for _ in range(200):  # alternate, so both see the same machine
            for fn, out in ((service_batch, svc), (raw_batch, raw)):
                t = time.perf_counter()
                fn()
                out.append((time.perf_counter() - t) * 1000)
        print(f"batch availability 200 variants x 50 locations (10,000 rows), 200 runs each: "
              f"service p50 {statistics.median(svc):.1f} ms p99 {_p99(svc):.1f} ms; "
              f"raw SQL p50 {statistics.median(raw):.1f} ms p99 {_p99(raw):.1f} ms; "
              f"ratio (raw/service) p50 {statistics.median(raw) / statistics.median(svc):.2f} "
              f"p99 {_p99(raw) / _p99(svc):.2f}")
        db.dispose()
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
