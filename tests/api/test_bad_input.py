"""Bad input gets a 4xx problem+json with field errors, never a 500."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"


def test_malformed_json_is_a_400_problem(client):
    response = client.post("/api/v1/auth/login", content=b'{"email": "a@b.lv", ',
                           headers={"content-type": "application/json"})

    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "malformed-request"


def test_wrong_types_name_the_field(client):
    response = client.post("/api/v1/auth/login", json={"email": "anna@example.com", "password": 12345})

    body = response.json()
    assert response.status_code == 422
    assert body["type"] == "validation-error"
    assert {"loc": ["body", "password"], "msg": "Input should be a valid string",
            "type": "string_type"} in body["errors"]


def test_unknown_fields_are_refused_not_ignored(client):
    response = client.post("/api/v1/auth/signup", json={"email": "anna@example.com", "password": "velvet-lipstick-07",
                                                        "name": "Anna", "is_admin": True})

    assert response.status_code == 422
    assert ["body", "is_admin"] in [e["loc"] for e in response.json()["errors"]]


def test_a_missing_field_is_named(client):
    response = client.post("/api/v1/auth/signup", json={"email": "anna@example.com", "name": "Anna"})

    assert response.status_code == 422
    assert ["body", "password"] in [e["loc"] for e in response.json()["errors"]]


def test_an_invalid_email_is_a_field_error(client):
    response = client.post("/api/v1/auth/signup", json={"email": "not-an-email", "password": "velvet-lipstick-07",
                                                        "name": "Anna"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "email"]


@pytest.mark.parametrize("size", [1_048_577, 5_000_000])
def test_an_oversized_body_is_a_413_problem(client, size):
    response = client.post("/api/v1/auth/login", content=b"x" * size, headers={"content-type": "application/json"})

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_a_streamed_oversized_body_is_refused_too(client):
    def chunks():
        for _ in range(300):
            yield b"x" * 8192

    response = client.post("/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"})

    assert response.status_code == 413


def test_an_unknown_route_is_a_404_problem(client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_a_wrong_method_is_a_405_problem(client):
    response = client.put("/api/v1/auth/login", json={})

    assert response.status_code == 405
    assert response.json()["status"] == 405


def test_a_bad_cursor_is_a_field_error(sign_in):
    owner = sign_in("owner@shop.example.com")

    response = owner.get("/api/v1/staff", params={"cursor": "%%%not-a-cursor"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


def test_a_bad_uuid_in_the_path_is_a_422_not_a_500(sign_in):
    owner = sign_in("owner@shop.example.com")

    response = owner.get("/api/v1/staff/not-a-uuid")

    assert response.status_code == 422
