"""Catalog read latency at 50,000 products: a category page (24 products at channel prices) and a search.

Builds the demo shop scaled up with bulk inserts on SQLite (a file under /tmp) and on a throwaway PostgreSQL
cluster, then times the service calls the public endpoints make, in-process, 200 runs each after a warm-up.
Prints p50 and p99 per database. Run: ``PYTHONPATH=. .venv/bin/python bench/catalog_bench.py [products]``.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select

from omniretail.catalog import demo as catalog_demo
from omniretail.catalog.models import Product
from omniretail.catalog.search import index as search_index
from omniretail.catalog.search import service as search_service
from omniretail.catalog.search.service import _RANKED, Filters
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


def _time(label: str, call: Callable[[], object], *, runs: int = RUNS, warmup: int = WARMUP,
          before: Callable[[], None] | None = None) -> None:
    """Wall time per call (what a client waits) and this process's CPU time per call (what the call costs when
    the machine is shared: CPU time does not grow while the process waits for a core)."""
    for _ in range(warmup):
        call()
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)

    def p99(xs: list[float]) -> float:
        return sorted(xs)[max(int(len(xs) * 0.99) - 1, 0)]

    print(f"  {label:42s} wall p50 {statistics.median(wall):7.2f} p99 {p99(wall):7.2f} ms | "
          f"cpu p50 {statistics.median(cpu):7.2f} p99 {p99(cpu):7.2f} ms ({runs} runs)", flush=True)


def _reuse(db: Database) -> tuple[uuid.UUID, str] | None:
    """The shop a kept database already holds (``CATALOG_BENCH_KEEP``), or None to build one."""
    from sqlalchemy import func

    from omniretail.catalog.models import Category, CategoryTranslation
    with db.transaction(read_only=True) as session:
        if not session.scalar(select(func.count()).select_from(Product)):
            return None
        category = session.scalar(select(Category.id).join(CategoryTranslation)
                                  .where(CategoryTranslation.slug == "lipstick").limit(1))
    return (category, "web-eu") if category else None


def _measure(name: str, db: Database) -> None:
    print(f"{name}:", flush=True)
    category, channel = _reuse(db) or _build(db)
    queries = iter(QUERIES * (RUNS + WARMUP) * 3)

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

    def product() -> object:
        with db.transaction(read_only=True) as session:
            return storefront.product_page(session=session, channel_ref=channel, locale="en",
                                           product_ref=str(next(products)))

    with db.transaction(read_only=True) as session:
        channel_id = channels_service.find_channel(session=session, ref=channel).id
        ids = list(session.scalars(search_service.visible_products(channel_id).order_by(Product.id).limit(500)))
    products = iter(ids * 10)
    offsets = iter([24 * n for n in range(50)] * 10)

    def other_pages() -> object:
        with db.transaction(read_only=True) as session:
            return storefront.browse(session=session, channel_ref=channel, locale="en",
                                     filters=Filters(category_id=category), sort="newest", offset=next(offsets),
                                     limit=24)

    def clear() -> None:
        _RANKED.clear()
        storefront._PAGES.clear()

    # Warm: the page is in the process's read cache (the catalog has not changed since it was made).
    _time("category page (newest, facets), warm", page("newest"))
    _time("category page (price ascending), warm", page("price_asc"))
    _time("search (7 queries in turn), warm", search)
    # The category's ranking is cached, each of its 50 pages is new: cards and prices for 24 products.
    _time("category pages 1-50 in turn, first visit", other_pages, runs=50, warmup=0)
    _time("product page (500 products in turn)", product)
    # Cold: the first request after a catalog write (both caches emptied before each run).
    _time("category page (newest, facets), cold", page("newest"), runs=20, warmup=1, before=clear)
    _time("category page (price ascending), cold", page("price_asc"), runs=20, warmup=1, before=clear)
    _time("search (7 queries in turn), cold", search, runs=20, warmup=1, before=clear)


def main() -> None:
    """SQLite, then PostgreSQL. ``CATALOG_BENCH_ONLY=sqlite|postgresql`` runs one; ``CATALOG_BENCH_KEEP=DIR`` keeps
    the SQLite file there and reuses it; ``OMNIRETAIL_BENCH_POSTGRES_URL`` uses (and keeps) a running server."""
    only = os.environ.get("CATALOG_BENCH_ONLY", "")
    keep = os.environ.get("CATALOG_BENCH_KEEP")
    workdir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="catalog-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if only in ("", "sqlite"):
            url = f"sqlite:///{workdir / f'bench-{PRODUCTS}.db'}"
            migrate.upgrade(url)
            _measure("SQLite", Database(url))
        if only in ("", "postgresql"):
            given = os.environ.get("OMNIRETAIL_BENCH_POSTGRES_URL")
            cluster = None if given else start_cluster()
            try:
                base = given or cluster.url  # type: ignore[union-attr]
                name = os.environ.get("CATALOG_BENCH_PG_NAME", f"catalog_bench_{PRODUCTS}")
                pg_url = base.rsplit("/", 1)[0] + f"/{name}"
                if not given or not _exists(pg_url):
                    pg_url = create_database(base, name)
                migrate.upgrade(pg_url)
                _measure("PostgreSQL", Database(pg_url))
            finally:
                if cluster is not None:
                    cluster.stop()
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _exists(url: str) -> bool:
    try:
        Database(url).engine.connect().close()
        return True
    except Exception:
        return False


if __name__ == "__main__":
    main()
