"""Brand settings over HTTP: anyone reads it, only settings managers change it, and the storefront shows it."""

from __future__ import annotations

import io

from PIL import Image

from omniretail.identity.rules import Grant, Role


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 160), (138, 40, 70)).save(buffer, "PNG")
    return buffer.getvalue()


def test_anyone_reads_the_brand(client):
    response = client.get("/api/v1/brand")

    assert response.status_code == 200
    assert response.json()["shop_name"] == "omniretail" and "humanist" in response.json()["fonts"]


def test_an_owner_renames_the_shop_and_recolours_it_and_the_storefront_shows_it(client, sign_in):
    owner = sign_in("olivia@shop.example.com", Grant(Role.OWNER))

    changed = owner.patch("/api/v1/brand", json={"shop_name": "Dzintars Beauty", "accent": "#8a2846"})
    page = client.get("/stores")

    assert changed.status_code == 200 and changed.json()["accent"] == "#8a2846"
    assert '<a class="brand" href="/">Dzintars Beauty</a>' in page.text
    assert "--accent:#8a2846" in page.text


def test_a_cashier_may_not_change_the_brand(sign_in):
    cashier = sign_in("kaspars@shop.example.com", Grant(Role.CASHIER))

    response = cashier.patch("/api/v1/brand", json={"shop_name": "Mine now"})

    assert response.status_code == 403


def test_nobody_signed_in_may_change_the_brand(client):
    assert client.patch("/api/v1/brand", json={"shop_name": "Mine now"}).status_code == 401


def test_bad_colours_and_fonts_come_back_as_field_errors(sign_in):
    owner = sign_in("olivia@shop.example.com", Grant(Role.OWNER))

    pattern = owner.patch("/api/v1/brand", json={"accent": "pink"})
    contrast = owner.patch("/api/v1/brand", json={"accent": "#f4a7b9", "font": "comic"})
    extra = owner.patch("/api/v1/brand", json={"favicon": "x"})

    assert pattern.status_code == contrast.status_code == extra.status_code == 422
    assert contrast.headers["content-type"].startswith("application/problem+json")
    assert {e["loc"][-1] for e in contrast.json()["errors"]} == {"accent", "font"}


def test_an_uploaded_logo_replaces_the_name_in_the_header(client, sign_in):
    owner = sign_in("olivia@shop.example.com", Grant(Role.OWNER))

    uploaded = client.put("/api/v1/brand/logo", headers=owner.headers,
                          files={"file": ("logo.png", _png(), "image/png")})
    logo = uploaded.json()["logo_url"]
    page = client.get("/stores")
    bad = client.put("/api/v1/brand/logo", headers=owner.headers, files={"file": ("logo.png", b"nope", "image/png")})
    removed = owner.delete("/api/v1/brand/logo")

    assert uploaded.status_code == 200 and (uploaded.json()["logo_width"], uploaded.json()["logo_height"]) == (480, 120)
    assert client.get(logo).status_code == 200
    assert f'<img class="logo" src="{logo}"' in page.text
    assert bad.status_code == 422 and bad.json()["type"] == "branding/invalid-logo"
    assert removed.json()["logo_url"] is None
