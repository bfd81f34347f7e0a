"""One customer everywhere, over HTTP: orders placed through the real checkout by two accounts of one person are
merged into one profile; shoppers see only their own profile; GDPR export and erasure; the till's look-up;
segments; bad input as problem+json."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer

from omniretail.identity.rules import Grant, Role
from omniretail.payments.rules import TEST_CARD_APPROVE
from tests.api.conftest import PASSWORD, SignedIn


def _shop(db: Any) -> Any:
    with db.transaction() as s:
        return retailer(s)


def _shopper(client: Any, email: str, name: str = "Ilze Kalniņa") -> tuple[SignedIn, str]:
    client.cookies.clear()
    signed_up = client.post("/api/v1/auth/signup", json={"email": email, "password": PASSWORD, "name": name})
    assert signed_up.status_code == 201, signed_up.text
    return _login(client, email), signed_up.json()["id"]


def _login(client: Any, email: str) -> SignedIn:
    client.cookies.clear()
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD, "kind": "customer"})
    assert login.status_code == 200, login.text
    return SignedIn(client, login.json()["csrf_token"])


def _buy(me: SignedIn, shop: Any, sku: str) -> str:
    cart_id = me.post("/api/v1/carts", json={"channel": "web-eu"}).json()["id"]
    me.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": sku, "quantity": 1})
    me.client.put(f"/api/v1/carts/{cart_id}/delivery", headers=me.headers,
                  json={"method": "click_and_collect", "location_id": str(shop.riga)})
    placed = me.post(f"/api/v1/carts/{cart_id}/checkout", headers={"idempotency-key": f"buy-{cart_id}"},
                     json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})
    assert placed.status_code == 201, placed.text
    return str(placed.json()["order_id"])


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def test_two_accounts_of_one_person_merge_keeping_every_order_identity_and_consent(client, db, sign_in, dispatcher):
    shop = _shop(db)
    home, home_id = _shopper(client, "ilze@shop.example.com")
    assert home.patch("/api/v1/me/consents", json={"email": True}).status_code == 200
    home.post("/api/v1/me/addresses", json={"street": "Brīvības iela 1", "postal_code": "LV-1010", "country": "LV"})
    first_order = _buy(home, shop, "LIP-VELVET-07")
    work, work_id = _shopper(client, "ilze.kalnina@work.example.com")
    assert work.patch("/api/v1/me/profile", json={"phone": "26 123 456", "sizes": {"shoe": "38"}}).status_code == 200
    assert work.patch("/api/v1/me/consents", json={"sms": True}).status_code == 200
    work.post("/api/v1/me/addresses", json={"street": "Brīvības 1-4", "postal_code": "lv 1010", "country": "LV"})
    second_order = _buy(work, shop, "SERUM-GLOW-30")
    dispatcher.drain()
    staff = sign_in("support@velvetine.lv", Grant(Role.SUPPORT_AGENT))
    duplicates = staff.get("/api/v1/customers/duplicates").json()
    assert [sorted([d["first"]["id"], d["second"]["id"]]) for d in duplicates] == [sorted([home_id, work_id])]
    assert duplicates[0]["reasons"] == ["same name and postcode"]

    merged = staff.post(f"/api/v1/customers/{home_id}/merge", json={"merged_id": work_id, "reason": "one person"})

    assert merged.status_code == 201, merged.text
    view = staff.get(f"/api/v1/customers/{work_id}/profile").json()
    assert view["profile"]["id"] == home_id and view["merged_ids"] == [work_id]
    assert {o["id"] for o in view["orders"]} == {first_order, second_order}
    assert view["totals"]["orders"] == 2 and view["totals"]["orders_by_channel"] == {"web": 2}
    assert view["totals"]["spend_by_currency"]["EUR"] == sum(o["total_minor"] for o in view["orders"])
    identities = {(i["kind"], i["value"]) for i in view["identities"]}
    assert {("email", "ilze@shop.example.com"), ("email", "ilze.kalnina@work.example.com"),
            ("phone", "+37126123456")} <= identities
    assert sum(kind == "card" for kind, _ in identities) == 2
    assert {c["channel"]: c["granted"] for c in view["consents"]} == {"email": True, "sms": True, "push": False}
    assert view["profile"]["sizes"] == {"shoe": "38"}
    merges = staff.get(f"/api/v1/customers/{home_id}/merges").json()
    assert [(m["merged_id"], m["reason"], m["actor"]) for m in merges] == [
        (work_id, "one person", "staff:support@velvetine.lv")]
    again = _login(client, "ilze.kalnina@work.example.com").get("/api/v1/me/profile").json()
    assert again["id"] == home_id


def test_a_shopper_sees_only_their_own_profile_and_staff_need_customers_read(client, db, sign_in, dispatcher):
    _shop(db)
    anna, anna_id = _shopper(client, "anna@shop.example.com", "Anna Bērziņa")
    anna.post("/api/v1/me/addresses", json={"street": "Brīvības iela 1", "postal_code": "LV-1010", "city": "Rīga",
                                            "country": "LV"})
    ilze, ilze_id = _shopper(client, "ilze@shop.example.com")
    dispatcher.drain()  # sign-up opens the profile
    anna = _login(client, "anna@shop.example.com")
    annas_address = anna.get("/api/v1/me/addresses").json()[0]["id"]
    mine = anna.get("/api/v1/me/profile")
    assert mine.status_code == 200 and mine.json()["id"] == anna_id and mine.json()["given_name"] == "Anna"

    assert anna.get(f"/api/v1/customers/{ilze_id}").status_code == 403
    assert anna.get(f"/api/v1/customers/{ilze_id}/profile").status_code == 403
    assert anna.get(f"/api/v1/customers/{ilze_id}/export").status_code == 403
    ilze = _login(client, "ilze@shop.example.com")
    assert ilze.patch(f"/api/v1/me/addresses/{annas_address}", json={"city": "Cēsis"}).status_code == 404
    assert ilze.client.patch("/api/v1/me/profile", json={"given_name": "Mallory"}).status_code == 403  # no CSRF
    client.cookies.clear()
    assert client.get("/api/v1/me/profile").status_code == 401
    packer = sign_in("packer@velvetine.lv", Grant(Role.FULFILLMENT))
    _problem(packer.get("/api/v1/customers"), 403)
    _problem(packer.get("/api/v1/customers/lookup?q=anna"), 403)
    cashier = sign_in("kasiere@velvetine.lv", Grant(Role.CASHIER))
    assert {p["id"] for p in cashier.get("/api/v1/customers").json()["items"]} == {anna_id, ilze_id}
    _problem(cashier.post(f"/api/v1/customers/{anna_id}/erase"), 403)


def test_the_export_is_json_with_everything_and_erasure_anonymizes_but_keeps_the_order(client, db, sign_in):
    shop = _shop(db)
    anna, anna_id = _shopper(client, "anna@shop.example.com", "Anna Bērziņa")
    anna.post("/api/v1/me/addresses", json={"street": "Brīvības iela 1", "postal_code": "LV-1010", "country": "LV",
                                            "phone": "+371 20000000"})
    anna.patch("/api/v1/me/consents", json={"email": True, "push": False})
    order_id = _buy(anna, shop, "MASCARA-XL-01")

    mine = anna.get("/api/v1/me/export")

    assert mine.status_code == 200 and "attachment" in mine.headers["content-disposition"]
    data = json.loads(mine.text)
    assert data["profile"]["id"] == anna_id and data["profile"]["family_name"] == "Bērziņa"
    assert ("email", "anna@shop.example.com") in {(i["kind"], i["value"]) for i in data["identities"]}
    assert data["addresses"][0]["phone"] == "+37120000000"
    assert data["consents"]["current"] == {"email": True, "sms": False, "push": False}
    assert [o["id"] for o in data["orders"]] == [order_id]
    dpo = sign_in("dpo@velvetine.lv", Grant(Role.ADMIN))

    erased = dpo.post(f"/api/v1/customers/{anna_id}/erase")

    assert erased.status_code == 200, erased.text
    assert erased.json()["status"] == "erased" and erased.json()["email"] is None
    after = dpo.get(f"/api/v1/customers/{anna_id}/export").json()
    assert after["profile"]["given_name"] == after["profile"]["family_name"] == ""
    assert after["identities"] == [] and after["addresses"] == []
    assert [o["id"] for o in after["orders"]] == [order_id]
    assert dpo.get("/api/v1/customers/lookup", params={"q": "anna@shop.example.com"}).json()["items"] == []
    _problem(dpo.post(f"/api/v1/customers/{anna_id}/erase"), 409)


def test_the_till_enrols_and_finds_a_member_by_phone_card_e_mail_or_name(client, db, sign_in):
    cashier = sign_in("kasiere@velvetine.lv", Grant(Role.CASHIER))
    created = cashier.post("/api/v1/customers", json={
        "given_name": "Līga", "family_name": "Ozola", "phone": "(+371) 2912-3456", "email": "liga@shop.example.com",
        "consents": {"sms": True}, "addresses": [{"postal_code": "LV-1050", "country": "LV"}]})
    assert created.status_code == 201, created.text
    member = created.json()

    for q in ("29123456", "+37129123456", member["card_number"], "Liga@shop.example.com", "oz", "līga o"):
        found = cashier.get("/api/v1/customers/lookup", params={"q": q})
        assert [p["id"] for p in found.json()["items"]] == [member["id"]], q
    assert cashier.get("/api/v1/customers/lookup", params={"q": "29000000"}).json()["items"] == []
    consents = cashier.get(f"/api/v1/customers/{member['id']}/consents").json()
    assert [(c["channel"], c["granted"], c["source"]) for c in consents["history"]] == [("sms", True, "staff")]


def test_bad_input_is_a_problem_with_field_errors(client, db, sign_in):
    owner = sign_in("owner@velvetine.lv")

    bad_phone = _problem(owner.post("/api/v1/customers", json={"given_name": "Ilze", "phone": "12345"}), 422)
    bad_email = _problem(owner.post("/api/v1/customers", json={"given_name": "Ilze", "email": "ilze@"}), 422)
    unknown = _problem(owner.post("/api/v1/customers", json={"given_name": "Ilze", "shoe_size": 38}), 422)
    bad_rule = _problem(owner.post("/api/v1/segments", json={"code": "vip", "name": "VIP",
                                                             "rule": {"field": "spend", "op": ">", "value": 1}}), 422)
    shopper, _ = _shopper(client, "anna@shop.example.com")
    bad_pref = _problem(shopper.patch("/api/v1/me/profile", json={"phone": "call me", "tags": ["vip"]}), 422)
    bad_me_phone = _problem(shopper.patch("/api/v1/me/profile", json={"phone": "call me"}), 422)

    assert ["body", "phone"] in [e["loc"] for e in bad_phone["errors"]]
    assert ["body", "email"] in [e["loc"] for e in bad_email["errors"]]
    assert ["body", "shoe_size"] in [e["loc"] for e in unknown["errors"]]
    assert {tuple(e["loc"]) for e in bad_rule["errors"]} == {("body", "rule", "field"), ("body", "rule", "op")}
    assert ["body", "tags"] in [e["loc"] for e in bad_pref["errors"]]
    assert [e["loc"] for e in bad_me_phone["errors"]] == [["body", "phone"]]


def test_segments_are_defined_by_rules_recomputed_and_listed(client, db, sign_in):
    owner = sign_in("owner@velvetine.lv")
    ids = []
    for given, tags in (("Ilze", ["vip"]), ("Anna", []), ("Līga", ["vip", "staff"])):
        ids.append(owner.post("/api/v1/customers", json={"given_name": given, "tags": tags}).json()["id"])
    marketer = sign_in("marketing@velvetine.lv", Grant(Role.MARKETER))

    created = marketer.post("/api/v1/segments", json={"code": "vip-guests", "name": "VIP guests",
                                                      "rule": {"all": [{"tag": "vip"}, {"not": {"tag": "staff"}}]}})
    recomputed = marketer.post("/api/v1/segments/vip-guests/recompute")

    assert created.status_code == 201, created.text
    assert recomputed.json() == {"code": "vip-guests", "members": 1, "added": 1, "removed": 0}
    members = marketer.get("/api/v1/segments/vip-guests/members").json()["items"]
    assert [m["id"] for m in members] == [ids[0]]
    assert marketer.get(f"/api/v1/customers/{ids[0]}/profile").json()["segments"] == ["vip-guests"]
    assert [s["member_count"] for s in marketer.get("/api/v1/segments").json()] == [1]
    _problem(marketer.post("/api/v1/segments", json={"code": "vip-guests", "name": "again", "rule": {"tag": "x"}}),
             409)
    _problem(marketer.get("/api/v1/segments/nobody"), 404)
    _problem(marketer.get(f"/api/v1/customers/{uuid.uuid4()}"), 404)
