"""A real JSON-over-HTTP SMS/push provider on loopback, scripted per test, and a dispatcher that uses it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import SecretStr

from omniretail import bootstrap
from omniretail.config import Settings
from omniretail.kernel.db import Database
from omniretail.kernel.outbox import Dispatcher


class Provider:
    """Answers each POST with the next scripted (status, body), then 200 with a message id; keeps requests."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, Any]]] = []
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                with provider.lock:
                    provider.requests.append((dict(self.headers), body))
                    status, answer = provider.script.pop(0) if provider.script else (
                        200, {"id": f"msg-{len(provider.requests)}"})
                raw = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [body for _, body in self.requests]


@pytest.fixture
def provider() -> Iterator[Provider]:
    found = Provider()
    found.thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture
def sms_settings(settings: Settings, provider: Provider) -> Settings:
    return settings.model_copy(update={
        "sms_provider_url": provider.url, "sms_provider_auth_header": SecretStr("Authorization: Bearer sms-key-1"),
        "push_provider_url": provider.url, "notify_provider_timeout": 5.0, "notify_timezone": "Europe/Riga",
        "notify_max_attempts": 3, "notify_webhook_secret": SecretStr("hook-secret")})


@pytest.fixture
def sms_dispatcher(db: Database, sms_settings: Settings) -> Dispatcher:
    return Dispatcher(db, bootstrap.build_handlers(), adapters=bootstrap.build_adapters(sms_settings),
                      jobs=bootstrap.build_jobs(), worker_id="test")
