"""The test harness: every integration test runs on SQLite and on a real PostgreSQL this session starts.

Fixtures: ``db`` (parametrized ``[sqlite]`` / ``[postgresql]``), ``pg_db`` (PostgreSQL only, for
concurrency tests), ``settings``, ``client`` (the app in-process), ``dispatcher`` (drain events
synchronously), ``smtp`` (a real SMTP server on loopback), ``live_server`` (uvicorn on a free port)
and ``browser`` (headless Chromium through Playwright).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from omniretail import bootstrap
from omniretail.app import create_app
from omniretail.config import Settings
from omniretail.kernel import clock, migrate
from omniretail.kernel.db import Database
from omniretail.kernel.outbox import Dispatcher
from omniretail.metadata import metadata
from tests.support.postgres import PostgresUnavailable, create_database, free_port, start_cluster
from tests.support.smtp import SmtpSink

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
os.environ.setdefault("OMNIRETAIL_TEST_FAST_PASSWORD_HASHES", "1")  # argon2id at its smallest cost (see security.py)
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _unavailable(what: str, why: str) -> None:
    message = f"{what} is not available: {why}"
    if IN_CI:
        pytest.fail(message + " (CI requires it; .ci/run installs it)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    given = os.environ.get("OMNIRETAIL_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        cluster = start_cluster()
    except PostgresUnavailable as exc:
        _unavailable("PostgreSQL", str(exc))
        raise
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: str) -> str:
    url = create_database(postgres_server, f"omniretail_test_{os.getpid()}")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    migrate.upgrade(url)
    return url


_databases: dict[str, Database] = {}


def _clean(db: Database) -> None:
    existing = set(inspect(db.engine).get_table_names())
    tables = [t.name for t in reversed(metadata.sorted_tables) if t.name in existing]
    with db.engine.begin() as conn:
        if db.is_postgresql:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


def _database(url: str) -> Database:
    if url not in _databases:
        _databases[url] = Database(url, pool_size=20)
    return _databases[url]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, empty database: each test runs once per engine."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    database = _database(url)
    _clean(database)
    yield database


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[Database]:
    """PostgreSQL only: for tests of concurrency between processes and threads."""
    database = _database(postgres_url)
    _clean(database)
    yield database


@pytest.fixture(autouse=True)
def _real_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def settings(tmp_path: Path, db: Database, smtp: SmtpSink) -> Settings:
    smtp.clear()
    return Settings(data_dir=tmp_path, database_url=db.url, secret_key="test-secret-key-not-for-production",
                    base_url="http://testserver", smtp_port=smtp.port, log_json=False)


@pytest.fixture
def env(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Database]:
    """The CLI's settings pointed at the test database (for commands run with Typer's runner)."""
    from omniretail import config

    monkeypatch.setenv("OMNIRETAIL_DATABASE_URL", db.url)
    monkeypatch.setenv("OMNIRETAIL_DATA_DIR", str(tmp_path))
    config.get_settings.cache_clear()
    yield db
    config.get_settings.cache_clear()


@pytest.fixture
def dispatcher(db: Database, settings: Settings) -> Dispatcher:
    return Dispatcher(db, bootstrap.build_handlers(), adapters=bootstrap.build_adapters(settings),
                      jobs=bootstrap.build_jobs(), worker_id="test")


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[object]:
    from fastapi.testclient import TestClient

    with TestClient(create_app(settings, db=db, run_dispatcher=False, journey_thread=False)) as test_client:
        yield test_client


class LiveServer:
    def __init__(self, app: object, port: int):
        import uvicorn

        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(settings: Settings, db: Database) -> Iterator[LiveServer]:
    """The app on a free loopback port, with its embedded dispatcher running."""
    with LiveServer(create_app(settings, db=db, run_dispatcher=True), free_port()) as server:
        yield server


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = os.environ.get("OMNIRETAIL_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        _unavailable("Chromium", f"{executable} does not exist")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
