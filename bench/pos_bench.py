"""The till at scale: a catalog of 300,000 variants, a store holding 20,000 of them.

Measures, in-process over the ASGI app (server time, no network), on SQLite and on a throwaway PostgreSQL:
- opening the till: the ``/pos`` page plus the store's offline item list (``/api/v1/pos/items``);
- a scan: looking the barcode up (``/api/v1/pos/scan``) and adding it to the sale's cart (a new cart every 10).
Prints p50 and p99. Targets (issue 9): a scan under 100 ms p99, the till open in under 3 s.
Run: ``PYTHONPATH=. .venv/bin/python bench/pos_bench.py [variants] [stocked]``.
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
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

from omniretail.app import create_app
from omniretail.catalog import demo as catalog_demo
from omniretail.catalog.search import index as search_index
from omniretail.channels import service as channels_service
from omniretail.config import Settings
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service
from omniretail.inventory.rules import ReservationLine
from omniretail.kernel import migrate
from omniretail.kernel.db import Database
from omniretail.pricing import service as pricing_service
from omniretail.pricing.models import Price
from tests.support.postgres import create_database, start_cluster

VARIANTS = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
STOCKED = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
SCANS, OPENS = 300, 10
PASSWORD = "velvet-lipstick-07"


def _build(db: Database) -> tuple[uuid.UUID, list[str]]:
    """The catalog and one store with a till; returns the store and the barcodes it holds."""
    started = time.perf_counter()
    with db.transaction() as session:
        store = inventory_service.create_location(
            session=session, actor=None, code="BENCH-STORE", name="Bench store", kind="store", city="Riga",
            country="LV", latitude=56.95, longitude=24.1, timezone="Europe/Riga", sells_in_person=True)
        till = channels_service.create_channel(
            session=session, actor=None, code="pos-bench", name="POS bench", kind="store", currency="EUR",
            country="LV", locales=["en"], default_locale="en", location_ids=[store.id],
            payment_methods=["cash", "card"], delivery_methods=["carry_out"])
        pricing_service.set_tax_rate(session=session, actor=None, country="LV", rate_bp=2100)
        eur = pricing_service.create_price_list(session=session, actor=None, code="eur", name="EUR",
                                                currency="EUR", country="LV")
        pricing_service.assign_price_list(session=session, actor=None, channel_id=till.id, price_list_id=eur.id)
        categories = catalog_demo.categories(session)
        memo = catalog_demo._Memo()
        rng = random.Random(7)
        made, start, stocked = 0, 0, []
        while made < VARIANTS:
            rows = catalog_demo.generate(start=start, count=5000, category_ids=categories, channel_ids=[till.id],
                                         media_dir=None, memo=memo)
            catalog_demo.write(session, rows)
            session.execute(insert(search_index.core_table(Price)), [
                {"id": uuid.uuid4(), "price_list_id": eur.id, "variant_id": v["id"],
                 "amount_minor": rng.choice((399, 699, 1299, 1999, 3499, 7999))} for v in rows.variants])
            active = {p["id"] for p in rows.products if p["status"] == "active"}
            stocked += [(v["id"], v["barcode"]) for v in rows.variants if v["product_id"] in active]
            made += len(rows.variants)
            start += 5000
        chosen = rng.sample(stocked, min(STOCKED, len(stocked)))
        inventory_service.receive_opening_stock(session=session, rows=[
            ReservationLine(variant_id, store.id, 50) for variant_id, _ in chosen])
        identity_service.create_staff(session=session, actor=None, email="till@bench.example.com", name="Till",
                                      password=PASSWORD, grants=[Grant(Role.CASHIER, store.id)])
        store_id = store.id
    print(f"  built {made} variants ({len(chosen)} in the store) in {time.perf_counter() - started:.0f} s",
          flush=True)
    return store_id, [barcode for _, barcode in chosen]


def _report(label: str, samples: list[float]) -> None:
    samples.sort()
    p99 = samples[max(0, int(len(samples) * 0.99) - 1)]
    print(f"  {label:40s} p50 {statistics.median(samples):8.2f} ms   p99 {p99:8.2f} ms", flush=True)


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _measure(name: str, db: Database, workdir: Path) -> None:
    print(f"{name}:", flush=True)
    store, barcodes = _build(db)
    settings = Settings(data_dir=workdir, database_url=db.url, secret_key="bench-secret-key", log_json=False,
                        base_url="http://testserver")
    rng = random.Random(11)
    with TestClient(create_app(settings, db=db, run_dispatcher=False)) as http:
        login = http.post("/api/v1/auth/login", json={"email": "till@bench.example.com", "password": PASSWORD})
        csrf = {"x-csrf-token": login.json()["csrf_token"]}

        def open_till() -> None:
            assert http.get("/pos").status_code == 200
            assert http.get(f"/api/v1/pos/items?location_id={store}").status_code == 200

        opens = [_timed(open_till) for _ in range(OPENS)]
        cart_id = ""

        def scan(i: int) -> Callable[[], None]:
            def call() -> None:
                nonlocal cart_id
                if i % 10 == 0:
                    cart_id = http.post("/api/v1/carts", headers=csrf,
                                        json={"channel": "pos-bench", "location_id": str(store)}).json()["id"]
                found = http.get(f"/api/v1/pos/scan?code={rng.choice(barcodes)}").json()
                added = http.post(f"/api/v1/carts/{cart_id}/lines", headers=csrf,
                                  json={"variant_id": found["variant_id"], "quantity": 1})
                assert added.status_code in (200, 201), added.text
            return call

        scans = []
        for i in range(SCANS + 20):
            if i % 10 == 0:
                scan(i)()  # the cart's creation is not part of a scan
                continue
            took = _timed(scan(i))
            if i >= 20:
                scans.append(took)
    _report("open the till (page + offline items)", opens)
    _report("scan: look up + add to the cart", scans)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="pos-bench-"))
    try:
        url = f"sqlite:///{workdir / 'bench.db'}"
        migrate.upgrade(url)
        _measure("SQLite", Database(url), workdir)
        cluster = start_cluster()
        try:
            pg_url = create_database(cluster.url, "pos_bench")
            migrate.upgrade(pg_url)
            _measure("PostgreSQL", Database(pg_url), workdir)
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
