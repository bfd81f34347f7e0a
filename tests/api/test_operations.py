from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from omniretail.app import create_app
from omniretail.config import Settings
from omniretail.kernel import migrate
from omniretail.kernel.db import Database


def test_health_readiness_and_metrics_answer(client):
    client.get("/healthz")

    ready = client.get("/readyz")
    metrics = client.get("/metrics")

    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "migrations": "ok"}
    assert metrics.status_code == 200
    assert 'omniretail_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics.text


def test_every_response_carries_a_request_id_and_keeps_a_sane_incoming_one(client):
    response = client.get("/healthz", headers={"x-request-id": "till-7-req-000123"})
    generated = client.get("/healthz", headers={"x-request-id": "<script>"})

    assert response.headers["x-request-id"] == "till-7-req-000123"
    assert generated.headers["x-request-id"] != "<script>" and len(generated.headers["x-request-id"]) == 32


def test_readiness_fails_while_migrations_are_pending(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0001")
    with Database(url).engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'base-of-nothing'"))
    db = Database(url)
    settings = Settings(data_dir=tmp_path, database_url=url, secret_key="k" * 32)

    with TestClient(create_app(settings, db=db, run_dispatcher=False)) as client:
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


def test_the_openapi_document_and_offline_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    docs = client.get("/api/v1/docs").text

    assert "/api/v1/staff" in spec["paths"]
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()


def test_uploaded_media_is_served_from_the_data_directory(client, settings):
    folder = settings.data_dir / "media" / "catalog"
    folder.mkdir(parents=True)
    (folder / "lip-velvet-07.jpg").write_bytes(b"\xff\xd8\xff\xe0fake-jpeg")

    found = client.get("/media/catalog/lip-velvet-07.jpg")
    missing = client.get("/media/catalog/none.jpg")
    escape = client.get("/media/../secret_key")

    assert found.status_code == 200 and found.content.startswith(b"\xff\xd8")
    assert missing.status_code == 404
    assert escape.status_code == 404
