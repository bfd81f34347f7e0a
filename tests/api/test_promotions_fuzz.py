"""The promotions and loyalty requests fuzzed from the OpenAPI schema (schemathesis): never a 500."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "promotions"))

from offers_factories import ADDRESS, programme, retailer

CART_OPERATIONS = [("/api/v1/carts/{cart_id}/coupons", "POST"), ("/api/v1/carts/{cart_id}/points", "PUT")]
STAFF_OPERATIONS = [("/api/v1/promotions", "POST"), ("/api/v1/loyalty/settlement", "GET"),
                    ("/api/v1/loyalty/program", "PUT")]


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


def _fuzz(client, path, method, url, headers, examples=40):
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json())
    operation = schema[path][method]
    seen: list[int] = []

    @settings(max_examples=examples, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def fuzz(case):
        sent = {**headers, **{k: v for k, v in (case.headers or {}).items() if k.lower() != "content-type"}}
        body = {"json": case.body} if method != "GET" else {}
        response = client.request(method, url, params=case.query, headers=sent, **body)
        seen.append(response.status_code)
        assert response.status_code < 500, f"{method} {url} {case.body!r} -> {response.status_code} {response.text}"

    fuzz()
    assert seen


@pytest.mark.parametrize(("path", "method"), CART_OPERATIONS)
def test_fuzzed_coupon_and_points_requests_never_cause_a_server_error(client, db, path, method):
    with db.transaction() as session:
        retailer(session)
        programme(session)
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    headers = {"x-cart-token": created["token"]}
    client.cookies.clear()
    client.post(f"/api/v1/carts/{created['id']}/lines", json={"sku": "LIP-VELVET-07", "quantity": 1},
                headers=headers)
    client.put(f"/api/v1/carts/{created['id']}/delivery", headers=headers,
               json={"method": "courier", "address": ADDRESS, "email": "anna@shop.example.com"})

    _fuzz(client, path, method, path.replace("{cart_id}", created["id"]), headers)


@pytest.mark.parametrize(("path", "method"), STAFF_OPERATIONS)
def test_fuzzed_promotion_and_loyalty_admin_requests_never_cause_a_server_error(client, db, sign_in, path, method):
    with db.transaction() as session:
        retailer(session)
    owner = sign_in("owner@velvetine.shop.example.com")

    _fuzz(client, path, method, path, owner.headers)
