"""`make demo` on an empty data directory answers /healthz within 90 s and keeps data across restarts."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]


def _start(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNIRETAIL_")}
    env["OMNIRETAIL_DATA_DIR"] = str(data_dir)
    with log.open("ab") as out:
        return subprocess.Popen(["make", "--no-print-directory", "demo", f"PORT={port}"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        assert process.poll() is None, f"make demo exited early:\n{log.read_text()[-3000:]}"
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"no /healthz within {limit} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_make_demo_is_healthy_within_90_seconds_and_keeps_data_between_restarts(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "demo.log"
    process = _start(tmp_path / "data", port, log)
    try:
        first_start = _wait_healthy(url, process, log, 90)
        demo_login = httpx.post(f"{url}/api/v1/auth/login", json={"email": "owner@demo.omniretail.dev",
                                                                  "password": "demo-retail-2026"})
        signup = httpx.post(f"{url}/api/v1/auth/signup", json={"email": "returning@example.com", "name": "Ilze",
                                                               "password": "velvet-lipstick-07", "locale": "lv"})
        pages = {path: httpx.get(f"{url}{path}").status_code for path in ("/", "/pos", "/admin/login",
                                                                          "/api/v1/docs", "/readyz")}
    finally:
        _stop(process)

    process = _start(tmp_path / "data", port, log)
    try:
        _wait_healthy(url, process, log, 90)
        again = httpx.post(f"{url}/api/v1/auth/login", json={"email": "returning@example.com",
                                                             "password": "velvet-lipstick-07", "kind": "customer"})
    finally:
        _stop(process)

    assert first_start < 90
    assert demo_login.status_code == 200
    assert signup.status_code == 201
    assert pages == {"/": 200, "/pos": 200, "/admin/login": 200, "/api/v1/docs": 200, "/readyz": 200}
    assert again.status_code == 200
    assert "demo data already present" in log.read_text()
