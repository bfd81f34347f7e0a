"""Ordering's part of the demo retailer: a few hundred orders over the last three months, across the web shop,
the app, the stores' tills, franchise stores and the marketplace, for the demo shopper and demo customers.

A bulk path, but through the services: stock is held and allocated (and sold at the tills) by inventory, each
order is numbered and written by ``ordering.service.create_order`` with its ``OrderPlaced`` event, and its tenders
by ``payments.service.record_payments``. Card payments carry test-gateway references (the in-memory test gateway
accepts refunds of charges it did not see).
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.customers import demo as customers_demo
from omniretail.identity import service as identity_service
from omniretail.inventory import service as inventory_service
from omniretail.inventory.exceptions import InsufficientStock
from omniretail.inventory.rules import ReservationLine
from omniretail.kernel import clock
from omniretail.kernel.money import Money
from omniretail.ordering import service as ordering_service
from omniretail.ordering.models import Order, TimelineEntry
from omniretail.ordering.rules import OrderStatus
from omniretail.payments import service as payments_service
from omniretail.pricing import service as pricing_service
from omniretail.pricing.rules import tax_in, tax_on

ORDERS = 150  # enough for every channel, store and figure to show; keeps `make demo` quick
SHOPPER_ORDERS = 12
SHIPPING_MINOR = 399
ADDRESSES = [("Brīvības iela 1", "Rīga", "LV-1010", "LV"), ("Rātslaukums 1", "Rīga", "LV-1050", "LV"),
             ("Ülikooli 18", "Tartu", "51003", "EE"), ("Gedimino pr. 9", "Vilnius", "01103", "LT"),
             ("ul. Marszałkowska 10", "Warszawa", "00-590", "PL")]


def _channels(session: Session) -> dict[str, list[Any]]:
    by_kind: dict[str, list[Any]] = {}
    for channel in channels_service.list_channels(session=session, active_only=True):
        if channel.currency == "EUR" and channel.location_ids and channel.price_list_id:
            by_kind.setdefault(channel.kind, []).append(channel)
    return by_kind


def load(session: Session) -> None:
    """Add this context's demo data."""
    by_kind = _channels(session)
    if not by_kind.get("web"):
        return
    rng = random.Random(11)
    refs = {r.id: r for r in catalog_service.variant_refs(session=session) if r.status == "active"}
    quotes: dict[uuid.UUID, dict[uuid.UUID, Any]] = {}  # per channel, read when the channel first sells
    stocked: dict[tuple[uuid.UUID, uuid.UUID], list[uuid.UUID]] = {}
    locations = list(dict.fromkeys(loc for cs in by_kind.values() for c in cs for loc in c.location_ids))
    ids = list(refs)
    free = {(a.variant_id, a.location_id): a.available for start in range(0, len(ids), 200)
            for a in inventory_service.availability(session=session, variant_ids=ids[start:start + 200],
                                                    location_ids=locations)}
    shopper = identity_service.customer_account_id(session=session, email=customers_demo.DEMO_SHOPPER[0])
    customers = customers_demo.demo_customer_ids(session=session, count=120)
    plan = [("web", 0.45), ("app", 0.1), ("store", 0.3), ("franchise", 0.05), ("marketplace", 0.1)]
    kinds = [k for k, _ in plan if by_kind.get(k)]
    weights = [w for k, w in plan if by_kind.get(k)]
    now = clock.now()
    placed: list[tuple[uuid.UUID, Any]] = []
    for n in range(ORDERS):
        kind = "web" if n < SHOPPER_ORDERS // 2 else ("store" if n < SHOPPER_ORDERS and by_kind.get("store")
                                                     else rng.choices(kinds, weights)[0])
        channel = rng.choice(by_kind[kind])
        customer = shopper if n < SHOPPER_ORDERS else (rng.choice(customers) if customers and kind != "marketplace"
                                                       and rng.random() < 0.8 else None)
        if channel.id not in quotes:
            quotes[channel.id] = pricing_service.prices_for(session=session, channel_id=channel.id,
                                                            variant_ids=list(refs))
        order = _one(session, rng, n, channel, customer, quotes[channel.id], refs, free, stocked)
        if order is not None:
            placed.append((order.id, now - timedelta(days=rng.uniform(0, 90), minutes=rng.randint(0, 600))))
    _backdate(session, placed)


def _one(session: Session, rng: random.Random, n: int, channel: Any, customer: uuid.UUID | None,
         prices: dict[uuid.UUID, Any], refs: dict[uuid.UUID, Any], free: dict[tuple[uuid.UUID, uuid.UUID], int],
         stocked: dict[tuple[uuid.UUID, uuid.UUID], list[uuid.UUID]]) -> Order | None:
    counter = channel.kind in ("store", "franchise")
    location = rng.choice(channel.location_ids)
    # The priced variants this place had stock of when the load began, listed once per channel and place (150
    # orders each going over every variant took 3 s); what earlier orders took is checked again here.
    key = (channel.id, location)
    if key not in stocked:
        stocked[key] = [v for v in prices if free.get((v, location), 0) >= 3]
    candidates = [v for v in stocked[key] if free[(v, location)] >= 3]
    if not candidates:
        return None
    picks = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2, 2, 3))))
    wanted = [(v, rng.choice((1, 1, 1, 2))) for v in picks]
    ref = f"demo:order:{n}"
    try:
        inventory_service.reserve_lines(session=session, ref=ref, lines=[ReservationLine(v, location, q)
                                                                         for v, q in wanted])
    except InsufficientStock:
        return None
    inventory_service.allocate(session=session, ref=ref)
    for v, q in wanted:
        free[(v, location)] -= q
    lines = []
    for v, q in wanted:
        quote = prices[v]
        gross = Money(quote.current.amount_minor * q, channel.currency)
        tax = tax_in(gross, quote.tax_rate_bp) if quote.tax_inclusive else tax_on(gross, quote.tax_rate_bp)
        lines.append(ordering_service.NewLine(v, refs[v].sku, refs[v].name, q, quote.current.amount_minor,
                                              gross.amount_minor, tax.amount_minor, quote.tax_rate_bp, location))
    subtotal = sum(ln.line_total_minor for ln in lines)
    shipping = 0 if counter or channel.kind == "marketplace" or subtotal >= 5000 else SHIPPING_MINOR
    street, city, postcode, country = rng.choice(ADDRESSES)
    delivery: dict[str, Any] = ({"method": "carry_out", "price_minor": 0, "location_id": str(location)} if counter
                                else {"method": "courier", "price_minor": shipping,
                                      "address": {"name": "Demo Customer", "line1": street, "city": city,
                                                  "postal_code": postcode, "country": country}})
    total = subtotal + shipping
    external = ("demo-market", f"MX-{100000 + n}") if channel.kind == "marketplace" else (None, None)
    new = ordering_service.NewOrder(
        channel_id=channel.id, channel_code=channel.code, channel_kind=channel.kind, location_id=location,
        customer_id=customer, cart_id=None, checkout_key=None, hold_ref=ref, currency=channel.currency,
        subtotal_minor=subtotal, tax_minor=sum(ln.tax_minor for ln in lines), shipping_minor=shipping,
        discount_minor=0, total_minor=total, points=total // 100, email=None, phone=None, delivery=delivery,
        sourcing={"rule": "demo", "reason": "demo order", "assignments": []}, lines=tuple(lines),
        external_platform=external[0], external_id=external[1])
    order = ordering_service.create_order(session=session, new=new, actor="demo", paid_minor=total, steps=[
        (OrderStatus.PAID, {"tenders": []}), (OrderStatus.ALLOCATED, {"reason": "demo order"})])
    payments_service.record_payments(session=session, order_id=order.id, currency=channel.currency,
                                     taken=[_tender(rng, n, channel, total)], location_id=location,
                                     cash_session_id=None, actor="demo")
    if counter:
        inventory_service.commit_sale(session=session, actor=None, ref=ref, order_id=order.number)
        ordering_service.move(session=session, order=order, to=OrderStatus.PICKED_UP, actor="demo",
                              detail={"at": "counter"})
    return order


def _tender(rng: random.Random, n: int, channel: Any, total: int) -> payments_service.Taken:
    key = f"demo:order:{n}:0"
    if channel.kind == "marketplace":
        return payments_service.Taken(0, "marketplace", total, key, "marketplace", f"MX-{100000 + n}", True)
    if channel.kind in ("store", "franchise") and "cash" in channel.payment_methods and rng.random() < 0.4:
        given = -(-total // 500) * 500
        return payments_service.Taken(0, "cash", total, key, "cash", None, True, tendered_minor=given,
                                      change_minor=given - total)
    return payments_service.Taken(0, "card", total, key, "test_card", f"tc_demo_{n:06d}", True,
                                  details={"last4": rng.choice(("4242", "1881", "0005"))})


def _backdate(session: Session, placed: list[tuple[uuid.UUID, Any]]) -> None:
    """Spread the orders over the last three months (their timelines move with them)."""
    session.flush()
    for order_id, at in placed:
        session.execute(update(Order).where(Order.id == order_id).values(created_at=at, updated_at=at)
                        .execution_options(synchronize_session=False))
        session.execute(update(TimelineEntry).where(TimelineEntry.order_id == order_id).values(at=at)
                        .execution_options(synchronize_session=False))
    payments_service.backdate_payments(session=session, when={order_id: at for order_id, at in placed})
