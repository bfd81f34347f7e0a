"""Every field of the customer and segment requests, fuzzed from the OpenAPI schema (schemathesis): never a 500."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


OPERATIONS = [
    ("/api/v1/customers", "POST"),
    ("/api/v1/customers/{customer_id}", "PATCH"),
    ("/api/v1/segments", "POST"),
    ("/api/v1/customers/lookup", "GET"),
]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_fuzzed_customer_requests_never_cause_a_server_error(client, db, sign_in, path, method):
    owner = sign_in("owner@velvetine.lv")
    customer_id = owner.post("/api/v1/customers", json={"given_name": "Ilze", "phone": "26123456"}).json()["id"]
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json())
    operation = schema[path][method]
    seen: list[int] = []

    @settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def fuzz(case):
        url = path.replace("{customer_id}", customer_id)
        body = case.body if method != "GET" else None
        response = client.request(method, url, json=body, params=case.query, headers=owner.headers)
        seen.append(response.status_code)
        assert response.status_code < 500, f"{method} {url} {case.body!r} -> {response.status_code} {response.text}"

    fuzz()

    assert seen, "no request was sent"
