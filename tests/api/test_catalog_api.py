"""Catalog API: staff CRUD under role checks, and the public per-channel read."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "catalog"))

from catalog_factories import lipstick, product, shop

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role


def _sign_in(client, db, role: Role) -> dict[str, str]:
    email = f"{role.value}@shop.example"
    with db.transaction() as s:
        identity_service.create_staff(session=s, actor=None, email=email, name="Anna", password="long-enough-pass-1",
                                      grants=[Grant(role)])
    me = client.post("/api/v1/auth/login", json={"email": email, "password": "long-enough-pass-1"}).json()
    return {"x-csrf-token": me["csrf_token"]}


def test_a_marketer_creates_a_product_and_a_cashier_may_not(client, db):
    with db.transaction() as s:
        sh = shop(s)
    body = {"code": "LIP-VELVET", "brand": "Velvetine", "status": "active", "category_ids": [str(sh.lips.id)],
            "texts": {"en": {"name": "Velvet lipstick", "description": "**Matte** <script>x()</script>",
                             "description_format": "markdown"}, "pl": {"name": "Szminka"}},
            "variants": [{"sku": "LIP-VELVET-07", "barcode": "5901234123457", "attributes": {"shade": "ruby"}}]}

    headers = _sign_in(client, db, Role.MARKETER)
    created = client.post("/api/v1/products", json=body, headers=headers)

    assert created.status_code == 201, created.text
    en = next(t for t in created.json()["translations"] if t["locale"] == "en")
    assert "<strong>Matte</strong>" in en["description_html"] and "<script" not in en["description_html"]
    variants = client.get(f"/api/v1/products/{created.json()['id']}/variants").json()
    assert [v["sku"] for v in variants] == ["LIP-VELVET-07"]
    client.post("/api/v1/auth/logout", headers=headers)
    cashier = _sign_in(client, db, Role.CASHIER)
    denied = client.post("/api/v1/products", json={**body, "code": "OTHER"}, headers=cashier)
    assert denied.status_code == 403


def test_a_bad_barcode_is_refused_with_the_field_named(client, db):
    with db.transaction() as s:
        shop(s)
    headers = _sign_in(client, db, Role.MARKETER)

    response = client.post("/api/v1/products", headers=headers, json={
        "code": "LIP-X", "brand": "Velvetine", "texts": {"en": {"name": "Lipstick"}},
        "variants": [{"sku": "LIP-X-01", "barcode": "5901234123458"}]})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "variants", 0, "barcode"]


def test_the_public_catalog_shows_only_published_products_at_the_channel_price_in_its_locale(client, db):
    with db.transaction() as s:
        sh = shop(s)
        lip = lipstick(s, sh)
        product(s, sh, code="LIP-HIDDEN", brand="Velvetine", names={"en": "Hidden"}, skus=["LIP-HID-01"],
                category=sh.lips, publish=False)

    listing = client.get("/api/v1/channels/app-cn/catalog/products", params={"category": str(sh.makeup.id)})
    page = client.get(f"/api/v1/channels/web-eu/catalog/products/{lip.id}", params={"locale": "pl"})
    found = client.get("/api/v1/search", params={"channel": "web-eu", "q": "помада", "locale": "ru"})

    assert listing.status_code == 200 and "public" in listing.headers["cache-control"]
    assert [(i["name"], i["price"]["amount_minor"], i["price"]["currency"]) for i in listing.json()["items"]] == [
        ("丝绒哑光口红", 12900, "CNY")]
    assert page.json()["card"]["name"] == "Szminka matująca Velvet"
    assert [c["name"] for c in page.json()["breadcrumbs"]] == ["Makijaż", "Lips"]
    assert found.json()["items"][0]["name"] == "Бархатная матовая помада"


def test_suggestions_complete_what_the_shopper_types(client, db):
    with db.transaction() as s:
        sh = shop(s)
        lipstick(s, sh)

    response = client.get("/api/v1/search/suggestions", params={"q": "пом", "channel": "web-eu"})

    assert response.json() == ["помада"]


def test_a_marketer_features_products_on_the_home_page_and_shoppers_read_them_per_channel(client, db):
    with db.transaction() as s:
        sh = shop(s)
        lip = lipstick(s, sh)
    headers = _sign_in(client, db, Role.MARKETER)

    created = client.post("/api/v1/collections", headers=headers, json={
        "code": "home-picks", "titles": {"en": "Our picks", "zh": "精选"}, "product_ids": [str(lip.id)]})
    bad = client.post("/api/v1/collections", headers=headers, json={
        "code": "home-new", "titles": {"en": "New"}, "rule": "trending", "size": 99})
    shelves = client.get("/api/v1/channels/app-cn/catalog/collections", params={"locale": "zh"})

    assert created.status_code == 201, created.text
    assert created.json()["product_ids"] == [str(lip.id)]
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["errors"]} >= {"rule", "size"}
    assert [(s["title"], [c["name"] for c in s["items"]]) for s in shelves.json()] == [("精选", ["丝绒哑光口红"])]
