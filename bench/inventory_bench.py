"""Inventory benchmarks on a throwaway PostgreSQL: reservation throughput at 1, 8 and 32 clients, and batch
availability of 200 variants across 50 locations (p99), each beside the same SQL run directly through psycopg.

Run: ``.venv/bin/python -m bench.inventory_bench`` (prints figures; never part of the test run).
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid

import psycopg

from omniretail.inventory import service as inventory_service
from omniretail.inventory.exceptions import InsufficientStock
from omniretail.inventory.models import StockLevel
from omniretail.kernel import migrate
from omniretail.kernel.db import Database
from omniretail.kernel.ids import new_id
from tests.support.postgres import create_database, start_cluster

SECONDS = 3.0
VARIANTS, LOCATIONS = 200, 50


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


def _run(clients: int, work: object) -> float:
    stop = time.perf_counter() + SECONDS
    counts = [0] * clients

    def loop(i: int) -> None:
        n = 0
        while time.perf_counter() < stop:
            work(i, n)  # type: ignore[operator]
            n += 1
        counts[i] = n

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - start)


def main() -> None:
    cluster = start_cluster()
    try:
        url = create_database(cluster.url, "inventory_bench")
        migrate.upgrade(url)
        db = Database(url, pool_size=40)
        variants, locations = _setup(db)
        raw_url = url.replace("postgresql+psycopg://", "postgresql://")
        local = threading.local()

        def conn() -> psycopg.Connection:
            if not hasattr(local, "c"):
                local.c = psycopg.connect(raw_url)
            return local.c

        def service_reserve(i: int, n: int) -> None:
            variant, location = variants[(i * 7 + n) % VARIANTS], locations[i % LOCATIONS]
            try:
                with db.transaction() as s:
                    inventory_service.reserve(session=s, variant_id=variant, location_id=location, quantity=1,
                                              ref=f"bench-{i}-{n}")
            except InsufficientStock:
                pass

        def raw_reserve(i: int, n: int) -> None:
            variant, location = variants[(i * 7 + n) % VARIANTS], locations[i % LOCATIONS]
            c = conn()
            with c.transaction():
                row = c.execute("UPDATE inventory_stock_level SET reserved = reserved + 1 WHERE variant_id = %s "
                                "AND location_id = %s AND on_hand - reserved - safety_stock >= 1 "
                                "RETURNING on_hand, reserved, safety_stock", (variant, location)).fetchone()
                if row is not None:
                    c.execute("INSERT INTO inventory_reservation (id, ref, variant_id, location_id, quantity, "
                              "status, created_at) VALUES (%s, %s, %s, %s, 1, 'held', now())",
                              (new_id(), f"raw-{i}-{n}", variant, location))
                    c.execute("SELECT id FROM inventory_reorder_point WHERE variant_id = %s AND location_id = %s",
                              (variant, location)).fetchone()

        print("reservations/s  clients  service     raw SQL   ratio")
        for clients in (1, 8, 32):
            service = _run(clients, service_reserve)
            raw = _run(clients, raw_reserve)
            print(f"                {clients:7d}  {service:8.0f}  {raw:8.0f}   {service / raw:5.2f}")

        def timed(fn: object, rounds: int = 200) -> list[float]:
            out = []
            for _ in range(rounds):
                t = time.perf_counter()
                fn()  # type: ignore[operator]
                out.append((time.perf_counter() - t) * 1000)
            return out

        def service_batch() -> None:
            with db.transaction(read_only=True) as s:
                inventory_service.availability(session=s, variant_ids=variants, location_ids=locations)

        def raw_batch() -> None:
            c = conn()
            with c.transaction():
                c.execute("SELECT variant_id, location_id, on_hand, reserved, safety_stock, last_movement_at "
                          "FROM inventory_stock_level WHERE variant_id = ANY(%s) AND location_id = ANY(%s)",
                          (variants, locations)).fetchall()

        svc, raw = timed(service_batch), timed(raw_batch)
        p99 = lambda xs: statistics.quantiles(xs, n=100)[98]  # noqa: E731
        print(f"batch availability 200 variants x 50 locations (10,000 rows): service p99 {p99(svc):.1f} ms, "
              f"raw SQL p99 {p99(raw):.1f} ms, ratio (raw/service) {p99(raw) / p99(svc):.2f}")
        db.dispose()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
