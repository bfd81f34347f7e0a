"""What the storefront cart and checkout tests share: CSRF-carrying form posts, a shopper, a filled cart."""

from __future__ import annotations

import re
from typing import Any

from omniretail.identity import service as identity_service
from omniretail.kernel.db import Database

PASSWORD = "velvet-lipstick-07"
TEST_CARD = "4242 4242 4242 4242"


def csrf(client: Any) -> str:
    if "or_csrf" not in client.cookies:
        client.get("/stores")
    return str(client.cookies["or_csrf"])


def post(client: Any, path: str, data: dict[str, str], **kwargs: Any) -> Any:
    return client.post(path, data={"csrf_token": csrf(client), **data}, follow_redirects=False, **kwargs)


def add(client: Any, sku: str, quantity: int = 1) -> Any:
    return post(client, "/cart/lines", {"sku": sku, "quantity": str(quantity)})


def shopper(db: Database, email: str = "anna@shop.example.com", locale: str = "en") -> str:
    with db.transaction() as session:
        identity_service.sign_up_customer(session=session, email=email, password=PASSWORD, name="Anna Bērziņa",
                                          locale=locale)
    return email


def sign_in(client: Any, email: str) -> Any:
    response = post(client, "/account/signin", {"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return response


def form_key(html: str) -> str:
    found = re.search(r'name="key" value="([0-9a-f]{32})"', html)
    assert found, "the checkout form carries an idempotency key"
    return found.group(1)


def courier_form(key: str, **overrides: str) -> dict[str, str]:
    return {"key": key, "email": "guest@shop.example.com", "phone": "20 000 000", "method": "courier",
            "name": "Līga Kalniņa", "line1": "Brīvības iela 50", "city": "Rīga", "postal_code": "LV-1011",
            "country": "LV", "pay": "card", "card_number": TEST_CARD, **overrides}
