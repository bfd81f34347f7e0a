"""Checkout over HTTP on a throwaway PostgreSQL, beside the same writes done by raw SQL through psycopg.

(a) the whole shopper flow (create a cart, add 3 lines, choose delivery, check out with the approving test card);
(b) the checkout call alone; (c) the order's writes by raw SQL (hold rows update, order + lines + payment inserts
in one transaction). At 1, 8 and 32 concurrent clients, ~5 s each. The app runs in a uvicorn subprocess on a free
loopback port with the embedded dispatcher off. ``--profile`` runs the server under cProfile and prints its
hottest functions after the run.

Run: ``PYTHONPATH=. .venv/bin/python bench/checkout_bench.py [--profile] [--seconds N] [--workers N]
[--clients 1,8,32]`` (two uvicorn worker processes by default; ``--profile`` runs one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer

from omniretail.catalog import service as catalog_service
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.inventory import service as inventory_service
from omniretail.kernel import migrate
from omniretail.kernel.db import Database
from omniretail.kernel.ids import new_id
from omniretail.payments.rules import TEST_CARD_APPROVE
from omniretail.pricing import service as pricing_service
from tests.support.postgres import create_database, free_port, start_cluster

VARIANTS = 100
STOCK = 10_000_000

SERVER = """
import cProfile, os, pstats, signal, sys, uvicorn
from omniretail.app import create_app
app = create_app()
profile = os.environ.get("BENCH_PROFILE")
prof = cProfile.Profile() if profile else None
def stop(*_):
    if prof is not None:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").dump_stats(profile)
    os._exit(0)
signal.signal(signal.SIGTERM, stop)
workers = int(sys.argv[2])
if workers > 1:
    # Several processes use the cores a single one leaves idle (each has its own in-memory test gateway; a
    # checkout is served by one process from start to end).
    uvicorn.run("omniretail.app:create_app", factory=True, workers=workers, host="127.0.0.1",
                port=int(sys.argv[1]), log_level="warning", access_log=False)
else:
    if prof is not None:
        prof.enable()
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""


def _setup(db: Database) -> list[str]:
    with db.transaction() as s:
        shop = retailer(s, stock=STOCK)
        eur = pricing_service.get_price_list_by_code(session=s, code="eur")
        skus = ["LIP-VELVET-07", "SERUM-GLOW-30", "MASCARA-XL-01"]
        for n in range(VARIANTS - len(skus)):
            sku = f"BENCH-{n:03d}"
            product = catalog_service.create_product(
                session=s, actor=None, code=f"BENCH-P{n:03d}", brand="Velvetine", status="active",
                texts={"en": ProductText(name=f"Bench item {n}")}, variants=[VariantInput(sku=sku, weight_grams=90)],
                reindex=False)
            variant_id = product.variants[0].id
            pricing_service.set_prices(session=s, actor=None, price_list_id=eur.id, amounts={variant_id: 500 + n})
            for channel_id in (shop.web, shop.pos):
                catalog_service.publish(session=s, actor=None, product_id=product.id, channel_id=channel_id)
            inventory_service.receive(session=s, actor=None, variant_id=variant_id, location_id=shop.warehouse,
                                      quantity=STOCK, document_type="purchase_order", document_id="PO-BENCH")
            skus.append(sku)
    return skus


def _serve(url: str, port: int, data_dir: str, profile: str | None, workers: int = 1) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMNIRETAIL_DATABASE_URL": url, "OMNIRETAIL_DISPATCHER_EMBEDDED": "false",
           "OMNIRETAIL_DATA_DIR": data_dir, "OMNIRETAIL_SECRET_KEY": "bench-secret-key-not-for-production",
           "OMNIRETAIL_LOG_JSON": "false"}
    if profile:
        env["BENCH_PROFILE"] = profile
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(1 if profile else workers)], env=env)
    deadline = time.monotonic() + 180  # two worker processes take a while to import on a busy machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the app did not start")


class Shopper:
    def __init__(self, base: str, skus: list[str], seed: int) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.skus, self.n = skus, seed * 7919

    def cart(self) -> tuple[str, dict[str, str]]:
        created = self.http.post("/api/v1/carts", json={"channel": "web-eu"})
        created.raise_for_status()
        self.http.cookies.clear()
        cart_id, headers = created.json()["id"], {"x-cart-token": created.json()["token"]}
        for _ in range(3):
            self.n += 1
            r = self.http.post(f"/api/v1/carts/{cart_id}/lines", headers=headers,
                               json={"sku": self.skus[self.n % len(self.skus)], "quantity": 1})
            r.raise_for_status()
        r = self.http.put(f"/api/v1/carts/{cart_id}/delivery", headers=headers,
                          json={"method": "courier", "address": ADDRESS, "email": "anna@example.lv"})
        r.raise_for_status()
        return cart_id, headers

    def checkout(self, cart_id: str, headers: dict[str, str]) -> None:
        r = self.http.post(f"/api/v1/carts/{cart_id}/checkout", headers={**headers, "idempotency-key": f"b-{cart_id}"},
                           json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})
        if r.status_code != 201:
            raise RuntimeError(f"checkout failed: {r.status_code} {r.text}")


def _run(clients: int, seconds: float, work: Callable[[int], float]) -> tuple[float, list[float]]:
    """Run ``work`` (returns the timed milliseconds of one order) in ``clients`` threads; orders/s and timings."""
    stop = time.perf_counter() + seconds
    timings: list[list[float]] = [[] for _ in range(clients)]

    def loop(i: int) -> None:
        while time.perf_counter() < stop:
            timings[i].append(work(i))

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [ms for per in timings for ms in per]
    return len(flat) / (time.perf_counter() - start), flat


def _drain(clients: int, seconds: float, ready: list[list[tuple[str, dict[str, str]]]],
           shoppers: list[Shopper]) -> tuple[float, list[float]]:
    stop = time.perf_counter() + seconds
    timings: list[list[float]] = [[] for _ in range(clients)]

    def loop(i: int) -> None:
        while ready[i] and time.perf_counter() < stop:
            cart_id, headers = ready[i].pop()
            t = time.perf_counter()
            shoppers[i].checkout(cart_id, headers)
            timings[i].append((time.perf_counter() - t) * 1000)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [ms for per in timings for ms in per]
    return len(flat) / (time.perf_counter() - start), flat


def _pct(values: list[float], p: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--profile", action="store_true", help="run the server under cProfile (one process)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    parser.add_argument("--clients", default="1,8,32", help="concurrent clients, comma-separated")
    args = parser.parse_args()
    cluster = start_cluster()
    proc = None
    try:
        url = create_database(cluster.url, "checkout_bench")
        migrate.upgrade(url)
        db = Database(url)
        t0 = time.perf_counter()
        skus = _setup(db)
        with db.transaction() as s:
            variant_ids = [v.id for v in catalog_service.variants_by_sku(session=s, skus=skus).values()]
            warehouse = inventory_service.location_by_code(session=s, code="RIGA-DC")
            assert warehouse is not None
            warehouse_id = warehouse.id
        print(f"set up {len(skus)} variants in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        profile = str(Path(tempfile.gettempdir()) / f"checkout-bench-{os.getpid()}.prof") if args.profile else None
        with tempfile.TemporaryDirectory() as data_dir:
            proc = _serve(url, port, data_dir, profile, args.workers)
            base = f"http://127.0.0.1:{port}"
            raw_url = url.replace("postgresql+psycopg://", "postgresql://")
            results = []
            for clients in [int(c) for c in args.clients.split(",")]:
                shoppers = [Shopper(base, skus, i) for i in range(clients)]

                def flow(i: int, shoppers: list[Shopper] = shoppers) -> float:
                    t = time.perf_counter()
                    cart_id, headers = shoppers[i].cart()
                    shoppers[i].checkout(cart_id, headers)
                    return (time.perf_counter() - t) * 1000

                flow_rate, flow_ms = _run(clients, args.seconds, flow)
                # (b) carts are prepared untimed, then only the checkout calls run, each thread its own carts
                ready: list[list[tuple[str, dict[str, str]]]] = [[] for _ in range(clients)]
                _run(clients, args.seconds * 0.6, lambda i, sh=shoppers, r=ready: r[i].append(sh[i].cart()) or 0.0)
                checkout_rate, checkout_ms = _drain(clients, args.seconds, ready, shoppers)
                for sh in shoppers:
                    sh.http.close()
                local = threading.local()

                def raw(i: int, local: threading.local = local) -> float:
                    if not hasattr(local, "c"):
                        local.c = psycopg.connect(raw_url)
                    c: psycopg.Connection[tuple[object, ...]] = local.c
                    t = time.perf_counter()
                    order_id, ref = new_id(), f"raw-{uuid.uuid4().hex}"
                    picked = sorted(variant_ids[(i * 31 + k * 17 + int(t * 1000)) % len(variant_ids)]
                                    for k in range(3))
                    with c.transaction():
                        for v in picked:
                            c.execute("UPDATE inventory_stock_level SET reserved = reserved + 1 WHERE variant_id = %s"
                                      " AND location_id = %s AND on_hand - reserved - safety_stock >= 1",
                                      (v, warehouse_id))
                        c.execute("INSERT INTO ordering_order (id, number, channel_id, channel_code, channel_kind, "
                                  "hold_ref, status, currency, subtotal_minor, tax_minor, shipping_minor, "
                                  "discount_minor, total_minor, paid_minor, refunded_minor, points, delivery, "
                                  "sourcing, created_at, updated_at) VALUES (%s, %s, %s, 'web-eu', 'web', %s, "
                                  "'allocated', 'EUR', 3000, 520, 0, 0, 3000, 3000, 0, 0, '{}', '{}', now(), now())",
                                  (order_id, ref[:20], new_id(), ref))
                        with c.cursor() as cur:
                            cur.executemany(
                                "INSERT INTO ordering_line (id, order_id, position, variant_id, sku, name, quantity, "
                                "unit_price_minor, line_total_minor, tax_minor, tax_rate_bp, location_id) VALUES "
                                "(%s, %s, %s, %s, 'SKU', 'Item', 1, 1000, 1000, 173, 2100, %s)",
                                [(new_id(), order_id, k, v, warehouse_id) for k, v in enumerate(picked)])
                        c.execute("INSERT INTO payments_payment (id, order_id, sequence, method, gateway, status, "
                                  "currency, amount_minor, captured_minor, refunded_minor, tendered_minor, "
                                  "change_minor, idempotency_key, details, created_at) VALUES (%s, %s, 0, 'card', "
                                  "'test_card', 'captured', 'EUR', 3000, 3000, 0, 0, 0, %s, '{}', now())",
                                  (new_id(), order_id, ref))
                    return (time.perf_counter() - t) * 1000

                raw_rate, raw_ms = _run(clients, args.seconds, raw)
                results.append((clients, flow_rate, _pct(flow_ms, 50), _pct(flow_ms, 99), checkout_rate,
                                _pct(checkout_ms, 50), _pct(checkout_ms, 99), raw_rate, _pct(raw_ms, 99)))
                print(f"  {clients} clients done", flush=True)
            print()
            print("clients | flow orders/s  p50 ms  p99 ms | checkout orders/s  p50 ms  p99 ms | raw SQL orders/s"
                  "  p99 ms | checkout/raw")
            for c, fr, f50, f99, cr, c50, c99, rr, r99 in results:
                print(f"{c:7d} | {fr:14.1f} {f50:7.1f} {f99:7.1f} | {cr:17.1f} {c50:7.1f} {c99:7.1f} | "
                      f"{rr:16.1f} {r99:7.1f} | {cr / rr:12.2f}")
            last = results[-1]
            print()
            print(f"targets at 32 clients: checkout/raw {last[4] / last[7]:.2f} (>= 0.33), "
                  f"checkout p99 {last[6]:.0f} ms (< 150), whole flow {last[1]:.0f} orders/s (> 100)")
            proc.terminate()
            proc.wait(timeout=30)
            proc = None
            if profile:
                import pstats

                pstats.Stats(profile).sort_stats("tottime").print_stats(35)
    finally:
        if proc is not None:
            proc.kill()
        cluster.stop()


if __name__ == "__main__":
    main()
