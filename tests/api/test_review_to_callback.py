"""The must-show path end to end: a shopper posts a one-star review in Chinese over HTTP, the outbox delivers it,
and support has a "call the customer back within 24 hours" ticket with the order attached; nobody acted."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from omniretail.identity.dependencies import CSRF_COOKIE
from omniretail.support import service as support_service
from omniretail.support.models import Ticket
from tests.integration.reviews.reviews_factories import order, product


def test_a_one_star_chinese_review_opens_a_callback_ticket_without_anyone_acting(client, db, dispatcher):
    with db.transaction() as s:
        product_id, variant_id = product(s)
    client.cookies.clear()
    signed_up = client.post("/api/v1/auth/signup", json={"email": "li.na@shop.example.com",
                                                         "password": "velvet-lipstick-07", "name": "李娜",
                                                         "locale": "zh"})
    customer_id = uuid.UUID(signed_up.json()["id"])
    with db.transaction() as s:
        bought = order(s, variant_id=variant_id, customer_id=customer_id)

    posted = client.post("/api/v1/reviews", headers={"x-csrf-token": client.cookies.get(CSRF_COOKIE)},
                         data={"product_id": str(product_id), "rating": "1", "title": "太失望了",
                               "body": "用了两天脸就过敏了\uff0c又红又痒\uff0c再也不会买了\u3002", "locale": "zh"})
    dispatcher.drain()

    assert posted.status_code == 201, posted.text
    with db.transaction(read_only=True) as s:
        tickets = list(s.scalars(select(Ticket).where(Ticket.review_id == uuid.UUID(posted.json()["id"]))))
        assert len(tickets) == 1
        ticket = tickets[0]
        assert ticket.customer_id == customer_id and ticket.order_id == bought
        assert ticket.locale == "zh" and "24 hours" in ticket.subject
        assert [c.due_at for c in support_service.callbacks_of(session=s, ticket_id=ticket.id)]
