"""Every field of the checkout requests, fuzzed from the OpenAPI schema (schemathesis): never a 500."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer

OPERATIONS = [
    ("/api/v1/carts/{cart_id}/checkout", "POST"),
    ("/api/v1/carts/{cart_id}/delivery", "PUT"),
    ("/api/v1/carts/{cart_id}/lines", "POST"),
    ("/api/v1/carts", "POST"),
]


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_fuzzed_checkout_requests_never_cause_a_server_error(client, db, path, method):
    with db.transaction() as session:
        retailer(session)
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    cart_id, headers = created["id"], {"x-cart-token": created["token"]}
    client.cookies.clear()
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "LIP-VELVET-07", "quantity": 1}, headers=headers)
    client.put(f"/api/v1/carts/{cart_id}/delivery", headers=headers,
               json={"method": "courier", "address": ADDRESS, "email": "anna@example.lv"})
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json())
    operation = schema[path][method]
    seen: list[int] = []

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def fuzz(case):
        url = path.replace("{cart_id}", cart_id)  # fuzz the body and headers of a real, ready cart
        sent_headers = {**headers, **{k: v for k, v in (case.headers or {}).items() if k.lower() != "content-type"}}
        response = client.request(method, url, json=case.body, params=case.query, headers=sent_headers)
        seen.append(response.status_code)
        assert response.status_code < 500, f"{method} {url} {case.body!r} -> {response.status_code} {response.text}"

    fuzz()

    assert seen, "no request was sent"
