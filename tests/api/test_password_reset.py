from __future__ import annotations

import re


def test_a_reset_link_arrives_by_email_in_the_shoppers_language_and_works_once(client, dispatcher, smtp):
    client.post("/api/v1/auth/signup", json={"email": "anna@example.com", "password": "velvet-lipstick-07",
                                             "name": "Anna", "locale": "lv"})
    client.cookies.clear()

    asked = client.post("/api/v1/auth/password-reset", json={"email": "anna@example.com"})
    dispatcher.drain()
    mail = smtp.wait_for("anna@example.com")
    token = re.search(r"token=(\S+)", smtp.body(mail)).group(1)
    first = client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "new-velvet-2026"})
    second = client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "other-velvet-2026"})
    login = client.post("/api/v1/auth/login", json={"email": "anna@example.com", "password": "new-velvet-2026",
                                                    "kind": "customer"})

    assert asked.status_code == 202
    assert mail["Subject"] == "Atiestatiet paroli"
    assert first.status_code == 200
    assert second.status_code == 400
    assert login.status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, dispatcher, smtp):
    response = client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.com"})
    dispatcher.drain()

    assert response.status_code == 202
    assert smtp.messages == []
