"""Storefront page benchmark on the demo data: server time p95 (the Server-Timing figure the pages send) and
client p95 for home, category, product and search pages with 8 concurrent clients, and each page's size.

Run: ``.venv/bin/python -m bench.storefront_bench`` (prints figures; never part of the test run); with
``BENCH_DATA_DIR=/some/dir`` the loaded demo is kept there and reused by the next run. It loads the
demo into a temporary data directory (SQLite), serves it with uvicorn on a free loopback port and drives it
with httpx clients in threads. Targets: server p95 < 40 ms, pages < 150 KB.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from tests.support.postgres import free_port

CLIENTS, REQUESTS_PER_CLIENT = 8, 40


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _paths(base: str) -> dict[str, list[str]]:
    home = httpx.get(f"{base}/").text
    categories = re.findall(r'href="(/c/[^"]+)"', home)[:6]
    category_page = httpx.get(f"{base}{categories[0]}").text
    subs = re.findall(r'href="(/c/[^"]+)"', category_page.split('class="chips"')[-1])[:3]
    products = list(dict.fromkeys(re.findall(r'href="(/p/[^"]+)"', home)))[:8]
    return {"home": ["/", "/?lang=pl", "/?lang=ru"], "category": categories + subs,
            "product": products, "search": ["/search?q=krem", "/search?q=lipstick&sort=price_asc",
                                            "/search?q=szampon", "/search?q=shampo"]}


def _drive(base: str, paths: list[str]) -> tuple[list[float], list[float], int]:
    server: list[float] = []
    client: list[float] = []
    sizes: list[int] = []
    lock = threading.Lock()

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            for n in range(REQUESTS_PER_CLIENT):
                started = time.perf_counter()
                response = http.get(paths[(offset + n) % len(paths)])
                elapsed = (time.perf_counter() - started) * 1000
                timing = re.search(r"dur=([\d.]+)", response.headers.get("server-timing", ""))
                with lock:
                    client.append(elapsed)
                    sizes.append(len(response.content))
                    if timing:
                        server.append(float(timing.group(1)))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return server, client, max(sizes)


def main() -> None:
    # BENCH_DATA_DIR reuses a data directory loaded by an earlier run (the demo load takes minutes).
    reuse = os.environ.get("BENCH_DATA_DIR")
    data = Path(reuse) if reuse else Path(tempfile.mkdtemp(prefix="omniretail-bench-"))
    env = {**os.environ, "OMNIRETAIL_DATA_DIR": str(data), "OMNIRETAIL_DISPATCHER_EMBEDDED": "false",
           "OMNIRETAIL_LOG_JSON": "false", "OMNIRETAIL_SECRET_KEY": "bench-secret-key-not-for-production"}
    exe = Path(sys.executable).parent
    started = time.perf_counter()
    loaded = data / ".bench-loaded"
    for command in (["db", "upgrade"], [] if loaded.exists() else ["demo", "load"]):
        if not command:
            continue
        subprocess.run([str(exe / "omniretail"), *command], env=env, check=True, capture_output=True)
    loaded.touch()
    print(f"demo loaded in {time.perf_counter() - started:.1f} s into {data}")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "omniretail.app:create_app",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        paths = _paths(base)
        for name, group in paths.items():
            _drive(base, group[:2])  # warm up
            server_ms, client_ms, size = _drive(base, group)
            print(f"{name:9s} server p95 {_p95(server_ms):6.1f} ms  client p95 {_p95(client_ms):6.1f} ms  "
                  f"largest page {size / 1024:6.1f} KB  ({len(client_ms)} requests, {CLIENTS} clients)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
