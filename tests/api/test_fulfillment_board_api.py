"""Delivery-platform (O2O) orders: an order from the platform lands on the store's board page, prints a ticket,
and each courier step is reported to the platform by a signed webhook that a local HTTP receiver checks."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer

from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.fulfillment import rules as fulfillment_rules
from omniretail.fulfillment import service as fulfillment_service
from omniretail.identity.rules import Grant, Role
from omniretail.pricing import service as pricing_service
from tests.support.postgres import free_port

SECRET = "wolt-shared-secret"


class _Platform(BaseHTTPRequestHandler):
    received: list[tuple[dict, bool]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        ok = fulfillment_rules.signature_ok(SECRET, body, self.headers.get("x-signature"))
        _Platform.received.append((json.loads(body), ok))
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def test_a_delivery_platform_order_goes_from_the_store_board_to_the_courier_and_the_platform_hears_each_step(
        client, db, sign_in, dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
        wolt = channels_service.create_channel(session=s, actor=None, code="wolt-riga", name="Wolt Riga",
                                               kind="delivery", currency="EUR", country="LV", locales=["en"],
                                               default_locale="en", location_ids=[shop.riga],
                                               payment_methods=["marketplace"], delivery_methods=["platform_courier"])
        eur = pricing_service.get_price_list_by_code(session=s, code="eur")
        pricing_service.assign_price_list(session=s, actor=None, channel_id=wolt.id, price_list_id=eur.id)
        serum = catalog_service.get_variant(session=s, variant_id=shop.serum)
        catalog_service.publish(session=s, actor=None, product_id=serum.product_id, channel_id=wolt.id)
    server = HTTPServer(("127.0.0.1", free_port()), _Platform)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Platform.received = []
    try:
        with db.transaction() as s:
            fulfillment_service.set_settings(session=s, actor=None, platform_webhooks={
                "wolt": {"url": f"http://127.0.0.1:{server.server_port}/orders", "secret": SECRET}})
        integration = sign_in("wolt-bot@shop.example.com")
        placed = integration.post("/api/v1/integrations/wolt/orders", json={
            "external_id": "WOLT-7781", "channel": "wolt-riga", "location_id": str(shop.riga),
            "lines": [{"sku": "SERUM-GLOW-30", "quantity": 1}]})
        assert placed.status_code == 201, placed.text
        dispatcher.drain()
        clerk = sign_in("kasiere@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

        page = clerk.get("/board")
        assert page.status_code == 200 and placed.json()["number"] in page.text and "WOLT-7781" in page.text
        assert 'http-equiv="refresh"' in page.text and 'name="csrf_token"' in page.text
        jobs = clerk.get("/api/v1/fulfillment/board").json()
        assert [j["external_id"] for j in jobs] == ["WOLT-7781"]
        ticket = clerk.get(f"/api/v1/fulfillment/board/orders/{placed.json()['order_id']}/ticket").text
        assert "SERUM-GLOW-30" in ticket and max(len(line) for line in ticket.splitlines()) <= 42
        forged = clerk.client.post(f"/board/jobs/{jobs[0]['id']}/status", data={"status": "accepted",
                                                                                 "csrf_token": "forged" * 5})
        assert forged.status_code == 403
        accepted = clerk.client.post(f"/board/jobs/{jobs[0]['id']}/status", follow_redirects=False,
                                     data={"status": "accepted", "csrf_token": clerk.headers["x-csrf-token"]})
        assert accepted.status_code == 303, accepted.text
        for step in ("ready", "picked_up", "delivered"):
            moved = clerk.post(f"/api/v1/fulfillment/board/{jobs[0]['id']}/status", json={"status": step})
            assert moved.status_code == 200, moved.text
        skipped = clerk.post(f"/api/v1/fulfillment/board/{jobs[0]['id']}/status", json={"status": "ready"})
        dispatcher.drain()
    finally:
        server.shutdown()

    assert skipped.status_code == 409
    assert [(body["status"], ok) for body, ok in _Platform.received] == [
        ("accepted", True), ("ready", True), ("picked_up", True), ("delivered", True)]
    assert clerk.get(f"/api/v1/orders/{placed.json()['order_id']}").json()["status"] == "delivered"
    assert clerk.get("/api/v1/fulfillment/board").json() == []
