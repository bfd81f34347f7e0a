"""The inventory API as staff see it: location scoping, problem+json errors, paging."""

from __future__ import annotations

import uuid

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service

PASSWORD = "long-enough-pass-1"


def _store(s, code, city, lat, lon, kind="store"):
    return inventory_service.create_location(session=s, actor=None, code=code, name=code.title(), kind=kind,
                                             city=city, country="LV", latitude=lat, longitude=lon,
                                             timezone="Europe/Riga", offers_pickup=True, sells_in_person=True,
                                             channel_codes=["web"]).id


def _sign_in(client, db, email, *grants):
    with db.transaction() as s:
        identity_service.create_staff(session=s, actor=None, email=email, name=email.split("@")[0],
                                      password=PASSWORD, grants=list(grants))
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"x-csrf-token": response.json()["csrf_token"]}


def _shops(db):
    lipstick = uuid.uuid4()
    with db.transaction() as s:
        riga = _store(s, "RIGA-CENTRS", "Riga", 56.9496, 24.1052)
        vilnius = _store(s, "VILNIUS-AKROPOLIS", "Vilnius", 54.7104, 25.2623, kind="franchise_store")
        for place in (riga, vilnius):
            inventory_service.receive(session=s, actor=None, variant_id=lipstick, location_id=place, quantity=4)
    return lipstick, riga, vilnius


def test_a_franchise_owner_sees_and_changes_only_their_own_stores_stock(client, db):
    lipstick, riga, vilnius = _shops(db)
    headers = _sign_in(client, db, "filip@franchise.example.com", Grant(Role.FRANCHISE_OWNER, vilnius))

    own = client.post("/api/v1/stock/adjustments", headers=headers, json={
        "variant_id": str(lipstick), "location_id": str(vilnius), "delta": -1, "reason": "damaged tester"})
    other = client.post("/api/v1/stock/adjustments", headers=headers, json={
        "variant_id": str(lipstick), "location_id": str(riga), "delta": -1, "reason": "damaged tester"})
    locations = client.get("/api/v1/locations").json()
    levels = client.get("/api/v1/stock").json()
    movements = client.get("/api/v1/stock/movements").json()
    peek = client.get(f"/api/v1/stock?location_id={riga}")
    batch = client.post("/api/v1/stock/availability", headers=headers, json={"variant_ids": [str(lipstick)]})

    assert own.status_code == 201 and own.json()["on_hand_after"] == 3
    assert other.status_code == 403
    assert other.headers["content-type"].startswith("application/problem+json")
    assert [x["code"] for x in locations["items"]] == ["VILNIUS-AKROPOLIS"]
    assert {x["location_id"] for x in levels["items"]} == {str(vilnius)}
    assert {x["location_id"] for x in movements["items"]} == {str(vilnius)}
    assert peek.status_code == 403
    assert [(x["location_id"], x["available"]) for x in batch.json()["items"]] == [(str(vilnius), 3)]


def test_a_store_manager_gets_403_on_another_stores_adjustment(client, db):
    lipstick, riga, vilnius = _shops(db)
    headers = _sign_in(client, db, "marta@riga.example.com", Grant(Role.STORE_MANAGER, riga))

    refused = client.post("/api/v1/stock/adjustments", headers=headers, json={
        "variant_id": str(lipstick), "location_id": str(vilnius), "delta": 5, "reason": "found"})
    hidden = client.get(f"/api/v1/locations/{vilnius}")

    assert refused.status_code == 403
    assert refused.json()["type"] == "auth/permission-denied"
    assert hidden.status_code == 404


def test_bad_input_gets_field_errors_not_a_500(client, db):
    lipstick, riga, _ = _shops(db)
    headers = _sign_in(client, db, "olivia@owner.example.com", Grant(Role.OWNER))

    no_reason = client.post("/api/v1/stock/adjustments", headers=headers, json={
        "variant_id": str(lipstick), "location_id": str(riga), "delta": 1, "reason": ""})
    bad_id = client.post("/api/v1/stock/adjustments", headers=headers, json={
        "variant_id": "LIP-VELVET-07", "location_id": str(riga), "delta": 1, "reason": "x"})
    too_much = client.post("/api/v1/stock/adjustments", headers=headers, json={
        "variant_id": str(lipstick), "location_id": str(riga), "delta": -50, "reason": "shrinkage"})
    unknown_place = client.post("/api/v1/stock/adjustments", headers=headers, json={
        "variant_id": str(lipstick), "location_id": str(uuid.uuid4()), "delta": 2, "reason": "found"})
    too_many = client.post("/api/v1/stock/availability", headers=headers,
                           json={"variant_ids": [str(uuid.uuid4()) for _ in range(201)]})
    half_point = client.post("/api/v1/stock/availability", headers=headers,
                             json={"variant_ids": [str(lipstick)], "latitude": 56.9})
    bad_cursor = client.get("/api/v1/stock/movements?cursor=not-a-cursor")

    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["loc"][-1] == "reason"
    assert bad_id.status_code == 422
    assert too_much.status_code == 409 and too_much.json()["type"] == "inventory/below-reserved"
    assert unknown_place.status_code == 404
    assert too_many.status_code == 422
    assert half_point.status_code == 422
    assert bad_cursor.status_code == 422


def test_stock_lists_page_with_a_cursor_and_nearest_stores_come_with_availability(client, db):
    lipstick, _riga, _vilnius = _shops(db)
    _sign_in(client, db, "olivia@owner.example.com", Grant(Role.OWNER))
    headers = _sign_in(client, db, "adam@owner.example.com", Grant(Role.ADMIN))

    first = client.get("/api/v1/stock?limit=1").json()
    second = client.get(f"/api/v1/stock?limit=1&cursor={first['next_cursor']}").json()
    near = client.post("/api/v1/stock/availability", headers=headers, json={
        "variant_ids": [str(lipstick)], "latitude": 54.69, "longitude": 25.28, "limit": 1}).json()

    assert len(first["items"]) == 1 and len(second["items"]) == 1
    assert first["items"][0]["location_id"] != second["items"][0]["location_id"]
    assert second["next_cursor"] is None
    assert [n["code"] for n in near["nearest"]] == ["VILNIUS-AKROPOLIS"]


def test_a_transfer_is_requested_approved_shipped_and_received_with_a_discrepancy(client, db):
    lipstick, riga, vilnius = _shops(db)
    headers = _sign_in(client, db, "olivia@owner.example.com", Grant(Role.OWNER))

    transfer = client.post("/api/v1/transfers", headers=headers, json={
        "from_location_id": str(riga), "to_location_id": str(vilnius),
        "lines": [{"variant_id": str(lipstick), "quantity": 3}]}).json()
    tid = transfer["id"]
    early = client.post(f"/api/v1/transfers/{tid}/ship", headers=headers, json={})
    client.post(f"/api/v1/transfers/{tid}/approve", headers=headers)
    client.post(f"/api/v1/transfers/{tid}/ship", headers=headers, json={})
    received = client.post(f"/api/v1/transfers/{tid}/receive", headers=headers, json={
        "lines": [{"variant_id": str(lipstick), "quantity": 2}], "note": "one box crushed"}).json()
    levels = client.post("/api/v1/stock/availability", headers=headers, json={
        "variant_ids": [str(lipstick)], "location_ids": [str(riga), str(vilnius)]}).json()

    assert transfer["number"].startswith("TR-")
    assert early.status_code == 409
    assert received["status"] == "received"
    assert received["lines"][0]["quantity_shipped"] == 3 and received["lines"][0]["quantity_received"] == 2
    assert received["lines"][0]["discrepancy_note"] == "one box crushed"
    assert [x["on_hand"] for x in levels["items"]] == [1, 6]
