"""Catalog read latency at 50,000 products: a category page (24 products at channel prices) and a search.

Builds the demo shop scaled up with bulk inserts on SQLite (a file under /tmp) and on a throwaway PostgreSQL
cluster, then times the service calls the public endpoints make, in-process, 200 runs each after a warm-up.
Prints p50 and p99 per database. Run: ``PYTHONPATH=. .venv/bin/python bench/catalog_bench.py [products]``.
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

from sqlalchemy import insert

from omniretail.catalog import demo as catalog_demo
from omniretail.catalog.search import index as search_index
from omniretail.catalog.search.service import Filters
from omniretail.catalog.storefront import service as storefront
from omniretail.channels import service as channels_service
from omniretail.kernel import migrate
from omniretail.kernel.db import Database
from omniretail.pricing import service as pricing_service
from omniretail.pricing.models import Price
from tests.support.postgres import create_database, start_cluster

PRODUCTS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
RUNS, WARMUP = 200, 20
QUERIES = ["velvet lipstick", "hydrating cream", "lavendr", "шампунь", "口红", "sea salt candle", "serum rose"]


def _build(db: Database) -> tuple[uuid.UUID, str]:
    """The scaled shop; returns a leaf category id and the web channel code."""
    started = time.perf_counter()
    with db.transaction() as session:
        web = channels_service.create_channel(session=session, actor=None, code="web-eu", name="Web EU",
                                              kind="web", currency="EUR", country="LV",
                                              locales=["en", "lv", "ru", "pl", "zh"], default_locale="en")
        app = channels_service.create_channel(session=session, actor=None, code="app-eu", name="App EU",
                                              kind="app", currency="EUR", country="LV", locales=["en"],
                                              default_locale="en")
        pricing_service.set_tax_rate(session=session, actor=None, country="LV", rate_bp=2100)
        eur = pricing_service.create_price_list(session=session, actor=None, code="eur", name="EUR",
                                                currency="EUR", country="LV")
        for channel in (web, app):
            pricing_service.assign_price_list(session=session, actor=None, channel_id=channel.id,
                                              price_list_id=eur.id)
        categories = catalog_demo.categories(session)
        memo = catalog_demo._Memo()
        rng = random.Random(7)
        made: list[uuid.UUID] = []
        for start, count in catalog_demo.batches(PRODUCTS, 5000):
            rows = catalog_demo.generate(start=start, count=count, category_ids=categories,
                                         channel_ids=[web.id, app.id], media_dir=None, memo=memo)
            catalog_demo.write(session, rows)
            session.execute(insert(search_index.core_table(Price)), [
                {"id": uuid.uuid4(), "price_list_id": eur.id, "variant_id": v["id"],
                 "amount_minor": rng.choice((399, 699, 1299, 1999, 3499, 7999))} for v in rows.variants])
            made += [p["id"] for p in rows.products]
        built = time.perf_counter()
        search_index.reindex(session=session, product_ids=made)
    print(f"  built {PRODUCTS} products in {built - started:.0f} s, indexed in {time.perf_counter() - built:.0f} s",
          flush=True)
    return categories["lipstick"], "web-eu"


def _time(label: str, call: Callable[[], object]) -> None:
    for _ in range(WARMUP):
        call()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p99 = samples[int(len(samples) * 0.99) - 1]
    print(f"  {label:34s} p50 {statistics.median(samples):7.2f} ms   p99 {p99:7.2f} ms", flush=True)


def _measure(name: str, db: Database) -> None:
    print(f"{name}:", flush=True)
    category, channel = _build(db)
    queries = iter(QUERIES * (RUNS + WARMUP))

    def page(sort: str) -> Callable[[], object]:
        def call() -> object:
            with db.transaction(read_only=True) as session:
                return storefront.browse(session=session, channel_ref=channel, locale="en",
                                         filters=Filters(category_id=category), sort=sort, limit=24)
        return call

    def search() -> object:
        with db.transaction(read_only=True) as session:
            return storefront.browse(session=session, channel_ref=channel, locale="en", query=next(queries),
                                     limit=24)

    _time("category page (newest, facets)", page("newest"))
    _time("category page (price ascending)", page("price_asc"))
    _time("search (7 queries in turn)", search)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="catalog-bench-"))
    try:
        url = f"sqlite:///{workdir / 'bench.db'}"
        migrate.upgrade(url)
        _measure("SQLite", Database(url))
        cluster = start_cluster()
        try:
            pg_url = create_database(cluster.url, "catalog_bench")
            migrate.upgrade(pg_url)
            _measure("PostgreSQL", Database(pg_url))
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
