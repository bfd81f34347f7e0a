"""401 without credentials, 403 for the wrong role or location, tokens narrowed to their scopes."""

from __future__ import annotations

import uuid

import pytest

from omniretail.identity.rules import Grant, Role

RIGA = uuid.UUID("00000000-0000-0000-0000-0000000000a1")
WARSAW = uuid.UUID("00000000-0000-0000-0000-0000000000b2")
NEW_CASHIER = {"email": "kaspars@shop.example.com", "name": "Kaspars", "password": "velvet-lipstick-07",
               "grants": [{"role": "cashier", "location_id": str(RIGA)}]}


def test_no_credentials_is_a_401(client):
    assert client.get("/api/v1/staff").status_code == 401
    assert client.get("/api/v1/audit").status_code == 401
    assert client.post("/api/v1/staff", json=NEW_CASHIER).status_code == 401


def test_an_unknown_bearer_token_is_a_401(client):
    response = client.get("/api/v1/staff", headers={"authorization": "Bearer ort_not-a-real-token-at-all-000000"})

    assert response.status_code == 401


@pytest.mark.parametrize(("role", "status"), [
    (Role.OWNER, 201), (Role.ADMIN, 201), (Role.STORE_MANAGER, 403), (Role.CASHIER, 403),
    (Role.FULFILLMENT, 403), (Role.SUPPORT_AGENT, 403), (Role.MARKETER, 403),
])
def test_only_staff_managers_may_hire(sign_in, role, status):
    actor = sign_in(f"{role.value}@shop.example.com", Grant(role))

    response = actor.post("/api/v1/staff", json=NEW_CASHIER)

    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["type"] == "auth/permission-denied"


def test_a_franchise_owner_hires_for_their_store_but_not_for_another(sign_in):
    filip = sign_in("filip@franchise.example.com", Grant(Role.FRANCHISE_OWNER, RIGA))

    own = filip.post("/api/v1/staff", json=NEW_CASHIER)
    other = filip.post("/api/v1/staff", json={**NEW_CASHIER, "email": "w@shop.example.com",
                                               "grants": [{"role": "cashier", "location_id": str(WARSAW)}]})

    assert own.status_code == 201
    assert other.status_code == 403


def test_a_franchise_owner_cannot_open_another_stores_staff_member(sign_in, make_staff):
    other_id = make_staff("warsaw-cashier@shop.example.com", Grant(Role.CASHIER, WARSAW))
    filip = sign_in("filip@franchise.example.com", Grant(Role.FRANCHISE_OWNER, RIGA))

    response = filip.get(f"/api/v1/staff/{other_id}")

    assert response.status_code == 404


def test_a_change_with_the_session_cookie_but_no_csrf_token_is_refused(sign_in, client):
    owner = sign_in("owner@shop.example.com")

    response = client.post("/api/v1/staff", json=NEW_CASHIER)
    accepted = owner.post("/api/v1/staff", json=NEW_CASHIER)

    assert response.status_code == 403
    assert response.json()["type"] == "auth/csrf-failed"
    assert accepted.status_code == 201


def test_a_token_works_without_cookies_and_only_within_its_scopes(sign_in, client):
    owner = sign_in("owner@shop.example.com")
    created = owner.post("/api/v1/auth/tokens", json={"name": "ERP sync", "scopes": ["audit.read"]})
    token = created.json()["token"]
    client.cookies.clear()
    bearer = {"authorization": f"Bearer {token}"}

    assert created.status_code == 201
    assert client.get("/api/v1/audit", headers=bearer).status_code == 200
    assert client.get("/api/v1/staff", headers=bearer).status_code == 403


def test_a_token_cannot_carry_rights_its_owner_lacks(sign_in):
    cashier = sign_in("kaspars@shop.example.com", Grant(Role.CASHIER, RIGA))

    response = cashier.post("/api/v1/auth/tokens", json={"name": "x", "scopes": ["staff.manage"]})

    assert response.status_code == 403


def test_a_revoked_token_stops_working_at_once(sign_in, client):
    owner = sign_in("owner@shop.example.com")
    created = owner.post("/api/v1/auth/tokens", json={"name": "old", "scopes": ["audit.read"]}).json()
    owner.delete(f"/api/v1/auth/tokens/{created['id']}")
    client.cookies.clear()

    response = client.get("/api/v1/audit", headers={"authorization": f"Bearer {created['token']}"})

    assert response.status_code == 401


def test_the_audit_log_records_who_did_what_from_where(sign_in):
    owner = sign_in("owner@shop.example.com")
    owner.post("/api/v1/staff", json=NEW_CASHIER)

    entries = owner.get("/api/v1/audit", params={"action": "staff.created"}).json()["items"]

    hired = [e for e in entries if e["details"].get("email") == "kaspars@shop.example.com"]
    assert hired and hired[0]["actor_label"] == "owner@shop.example.com" and hired[0]["ip"]


def test_locked_out_sign_in_says_so_after_five_failures(client, make_staff):
    make_staff("owner@shop.example.com")
    wrong = {"email": "owner@shop.example.com", "password": "wrong-password-1"}
    statuses = [client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(6)]

    assert statuses[:4] == [401] * 4
    assert statuses[4:] == [429, 429]


def test_a_shopper_signs_up_and_sees_only_their_own_account(client):
    response = client.post("/api/v1/auth/signup", json={"email": "anna@example.com", "password": "velvet-lipstick-07",
                                                        "name": "Anna Bērziņa", "locale": "lv"})
    me = client.get("/api/v1/me/account")

    assert response.status_code == 201
    assert me.json()["email"] == "anna@example.com"
    assert client.get("/api/v1/staff").status_code == 401
