"""Fulfilment: rate shopping and box choice for a 10-line order, and the pick list of 1,000 open orders at one
location, on SQLite (a file under /tmp) and on a throwaway PostgreSQL cluster.

Builds 50 variants with dimensions, the demo box list and carriers, and 1,000 open shipments of 1-4 lines at one
warehouse with bins, in bulk; then times the service calls (``plan_parcels``: box choice plus rate shopping, and
``pick_list``) in-process after a warm-up and prints p50 and p99. Run:
``PYTHONPATH=. .venv/bin/python bench/fulfillment_bench.py [orders]``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert

from omniretail.catalog import service as catalog_service
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.fulfillment import demo as fulfillment_demo
from omniretail.fulfillment import service as fulfillment_service
from omniretail.fulfillment.models import BinAssignment, Shipment, ShipmentLine
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock, migrate
from omniretail.kernel.db import Database
from omniretail.kernel.ids import new_id
from tests.support.postgres import create_database, start_cluster

ORDERS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
RUNS, WARMUP = 200, 20


def _build(db: Database) -> tuple[uuid.UUID, list[tuple[uuid.UUID, str, int]]]:
    rng = random.Random(11)
    with db.transaction() as session:
        fulfillment_demo.carriers_and_boxes(session)
        dc = inventory_service.create_location(session=session, actor=None, code="RIGA-DC", name="Riga DC",
                                               kind="warehouse", city="Riga", country="LV", latitude=56.92,
                                               longitude=24.21, timezone="Europe/Riga", ships_parcels=True).id
        variants: list[tuple[uuid.UUID, str]] = []
        for i in range(50):
            sku = f"BENCH-{i:03d}"
            product = catalog_service.create_product(
                session=session, actor=None, code=f"P-{i:03d}", brand="Velvetine", status="active",
                texts={"en": ProductText(name=f"Bench item {i}")}, reindex=False,
                variants=[VariantInput(sku=sku, weight_grams=rng.randint(40, 600), length_mm=rng.randint(40, 200),
                                       width_mm=rng.randint(20, 120), height_mm=rng.randint(10, 80))])
            variants.append((product.variants[0].id, sku))
        session.execute(insert(cast(Table, BinAssignment.__table__)), [
            {"id": new_id(), "location_id": dc, "variant_id": v, "bin": f"A{i // 10:02d}-{i % 10:02d}"}
            for i, (v, _) in enumerate(variants) if i % 5])
        shipments: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        now = clock.now()
        for n in range(ORDERS):
            sid = new_id()
            shipments.append({"id": sid, "number": f"SH-B{n:06d}", "order_id": uuid.uuid4(),
                              "order_number": f"W-B{n:06d}", "location_id": dc, "status": "open", "country": "LV",
                              "weight_grams": 0, "price_minor": 0, "currency": "EUR", "rate_reason": "",
                              "created_at": now, "updated_at": now})
            for v, sku in rng.sample(variants, rng.randint(1, 4)):
                lines.append({"id": new_id(), "shipment_id": sid, "variant_id": v, "sku": sku,
                              "quantity": rng.randint(1, 3)})
        session.execute(insert(cast(Table, Shipment.__table__)), shipments)
        session.execute(insert(cast(Table, ShipmentLine.__table__)), lines)
    order = [(v, sku, 1 + i % 2) for i, (v, sku) in enumerate(rng.sample(variants, 10))]
    return dc, order


def _time(label: str, run: Callable[[], object], runs: int = RUNS) -> None:
    for _ in range(WARMUP):
        run()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"  {label:52s} p50 {statistics.median(samples):7.2f} ms   p99 {p99:7.2f} ms   ({runs} runs)", flush=True)


def _bench(name: str, db: Database) -> None:
    print(f"{name}:", flush=True)
    dc, order = _build(db)

    def rates_and_boxes() -> object:
        with db.transaction(read_only=True) as session:
            return fulfillment_service.plan_parcels(session=session, lines=order, country="LV", now=clock.now(),
                                                    promised=clock.now().date())

    def picks() -> object:
        with db.transaction(read_only=True) as session:
            found = fulfillment_service.pick_list(session=session, actor=None, location_id=dc)
            assert found.shipments == ORDERS
            return found

    _time("box choice + rate shopping, 10-line order", rates_and_boxes)
    _time(f"pick list, {ORDERS} open orders at one location", picks, runs=50)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="fulfillment-bench-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    migrate.upgrade(url)
    _bench("SQLite", Database(url))
    cluster = start_cluster()
    try:
        pg_url = create_database(cluster.url, "fulfillment_bench")
        migrate.upgrade(pg_url)
        _bench("PostgreSQL", Database(pg_url))
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
