"""Two app processes and two workers on one PostgreSQL: every event is handled exactly once in effect,
also when a worker is killed with SIGKILL in the middle of a batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import text

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 10_000
PER_REQUEST = 50


def _spawn(url: str, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMNIRETAIL_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.tally_processes", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_healthy(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"app on port {port} did not start")


def _scalar(db, sql: str, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_ten_thousand_events_are_counted_exactly_once_despite_a_killed_worker(pg_db):
    with pg_db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS test_tally; DROP TABLE IF EXISTS test_counter"))
        conn.execute(text("CREATE TABLE test_tally (event_id uuid PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE test_counter (id int PRIMARY KEY, n int NOT NULL)"))
        conn.execute(text("INSERT INTO test_counter VALUES (1, 0)"))
    ports = [free_port(), free_port()]
    processes = [_spawn(pg_db.url, "app", str(port)) for port in ports]
    workers = {name: _spawn(pg_db.url, "worker", name) for name in ("w1", "w2")}
    processes += list(workers.values())
    try:
        for port in ports:
            _wait_healthy(port)

        def post(batch: int) -> int:
            port = ports[batch % 2]
            response = httpx.post(f"http://127.0.0.1:{port}/tally", params={"batch": batch, "size": PER_REQUEST},
                                  timeout=30)
            return response.status_code

        def held_by(name: str) -> int:
            return _scalar(pg_db, "SELECT count(*) FROM kernel_outbox_event "
                                  "WHERE claimed_by = :w AND status = 'pending'", w=name)

        # Kill a worker while it holds a batch, during the writes; a batch can finish between the look and the
        # kill, so try again with a fresh worker until one dies holding events (rows stay claimed by the dead
        # worker until its 3 s lease expires, so the count right after the kill is what it held).
        with ThreadPoolExecutor(max_workers=8) as pool:
            posted = [pool.submit(post, batch) for batch in range(EVENTS // PER_REQUEST)]
            held_by_dead_worker, victims, spares = 0, iter(["w1", "w2", "w3"]), iter(["w3", "w4", "w5"])
            while not held_by_dead_worker:
                victim = next(victims)
                deadline = time.monotonic() + 60
                while held_by(victim) < 5:
                    assert time.monotonic() < deadline, f"worker {victim} never held a batch"
                    time.sleep(0.002)
                workers[victim].send_signal(signal.SIGKILL)
                workers[victim].wait(timeout=10)
                held_by_dead_worker = held_by(victim)
                spare = next(spares)
                workers[spare] = _spawn(pg_db.url, "worker", spare)
                processes.append(workers[spare])
            statuses = [future.result() for future in posted]

        deadline = time.monotonic() + 240
        while _scalar(pg_db, "SELECT count(*) FROM kernel_outbox_event WHERE status <> 'done'") > 0:
            assert time.monotonic() < deadline, "events were not all delivered within 240 s"
            time.sleep(0.5)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    assert statuses == [200] * (EVENTS // PER_REQUEST)
    assert held_by_dead_worker > 0, "the kill did not land in the middle of a batch"
    assert _scalar(pg_db, "SELECT count(*) FROM kernel_outbox_event") == EVENTS
    assert _scalar(pg_db, "SELECT count(*) FROM test_tally") == EVENTS
    assert _scalar(pg_db, "SELECT n FROM test_counter WHERE id = 1") == EVENTS
    assert _scalar(pg_db, "SELECT count(DISTINCT claimed_by) FROM kernel_outbox_event") == 0
