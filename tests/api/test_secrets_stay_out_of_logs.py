"""Passwords and tokens never appear in logs or responses."""

from __future__ import annotations

import io
import logging

from pythonjsonlogger.json import JsonFormatter

from omniretail.kernel.logs import ContextFilter

PASSWORD = "velvet-lipstick-07"


def test_passwords_and_tokens_never_reach_the_logs_or_responses(client, make_staff):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        make_staff("owner@shop.example.com")
        login = client.post("/api/v1/auth/login", json={"email": "owner@shop.example.com", "password": PASSWORD})
        csrf = login.json()["csrf_token"]
        created = client.post("/api/v1/auth/tokens", json={"name": "ERP", "scopes": ["audit.read"]},
                              headers={"x-csrf-token": csrf})
        token = created.json()["token"]
        client.get("/api/v1/audit", headers={"authorization": f"Bearer {token}"})
        client.post("/api/v1/auth/login", json={"email": "owner@shop.example.com", "password": "wrong-" + PASSWORD})
        logging.getLogger("omniretail.test").info("carelessly logged %s", token, extra={"password": PASSWORD})
        listed = client.get("/api/v1/auth/tokens", headers={"authorization": f"Bearer {token}"})
        audit = client.get("/api/v1/audit", headers={"authorization": f"Bearer {token}"})
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    captured = stream.getvalue()
    session_cookie = login.cookies.get("or_staff") or client.cookies.get("or_staff")

    assert captured, "nothing was logged: the test would prove nothing"
    assert PASSWORD not in captured
    assert token not in captured
    assert session_cookie and session_cookie not in captured
    for response in (login, listed, audit):
        assert PASSWORD not in response.text
        assert token not in response.text
    assert "password_hash" not in login.text
