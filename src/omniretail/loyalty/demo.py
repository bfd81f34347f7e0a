"""Loyalty: part of the demo retailer. The programme (a point per euro, a point worth a cent, 30-day return
window, 12-month expiry), three tiers, a Black Friday campaign, and points histories for two thousand demo
customers and the demo shopper, written with bulk inserts. Orders the ordering demo places later earn points
through the ordinary ``OrderPlaced`` handler."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from omniretail.customers import service as customers_service
from omniretail.identity import service as identity_service
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.ids import new_id
from omniretail.loyalty import service as loyalty_service
from omniretail.loyalty.models import Account, LedgerEntry
from omniretail.loyalty.rules import Kind

MEMBERS = 2000
SHOPPER = "anna@example.com"


def _members(session: Session) -> list[uuid.UUID]:
    found: list[uuid.UUID] = []
    cursor = None
    while len(found) < MEMBERS:
        page = customers_service.list_profiles(session=session, cursor=cursor, limit=200)
        found.extend(p.id for p in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    shopper = identity_service.customer_account_id(session=session, email=SHOPPER)
    return list(dict.fromkeys(([shopper] if shopper else []) + found[:MEMBERS]))


def load(session: Session) -> None:
    """Add this context's demo data."""
    loyalty_service.configure(session=session, name="Velvetine Club", currency="EUR", points_per_unit=1,
                              point_value_minor=1, return_window_days=30, expiry_months=12, min_redeem_points=100,
                              referral_points=500, channel_multipliers={"app": 150})
    loyalty_service.define_tier(session=session, code="member", name="Member", min_spend_minor=0)
    loyalty_service.define_tier(session=session, code="silver", name="Silver", min_spend_minor=30_000,
                                multiplier_percent=125, birthday_points=200)
    loyalty_service.define_tier(session=session, code="gold", name="Gold", min_spend_minor=100_000,
                                multiplier_percent=150, free_shipping=True, birthday_points=500)
    loyalty_service.add_earn_rule(session=session, name="Black Friday triple points", multiplier_percent=300,
                                  starts_at=datetime(2026, 11, 27, tzinfo=UTC),
                                  ends_at=datetime(2026, 12, 1, tzinfo=UTC))
    members = _members(session)
    if not members:
        return
    stores = [loc.id for loc in inventory_service.list_locations(session=session, kinds={"store", "franchise_store"})]
    rng, now = random.Random(11), clock.now()
    accounts: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for n, customer_id in enumerate(members):
        accounts.append({"customer_id": customer_id, "referral_code": f"D{n:08d}", "tier_code": None,
                         "merged_into": None, "created_at": now - timedelta(days=420)})
        balance = 0
        for k in range(rng.randint(1, 4) if n else 12):
            placed = now - timedelta(days=rng.randint(1, 420), minutes=rng.randint(0, 1440))
            spend = rng.randint(1500, 25_000)
            available = placed + timedelta(days=30)
            points = spend // 100
            location = rng.choice(stores) if stores else None
            entries.append(_row(customer_id, Kind.EARN, points, f"demo:earn:{n}:{k}", placed, available,
                                available + timedelta(days=360), location, spend_minor=spend))
            if available <= now:
                balance += points
            if balance >= 300 and rng.random() < 0.3:
                spent = rng.randint(100, balance)
                balance -= spent
                at = max(available, placed) + timedelta(days=rng.randint(0, 20))
                at = min(at, now)
                entries.append(_row(customer_id, Kind.REDEEM, -spent, f"demo:redeem:{n}:{k}", at, at, None,
                                    rng.choice(stores) if stores else None, hold_ref=f"demo:{n}:{k}"))
    session.execute(insert(Account), accounts)
    for start in range(0, len(entries), 2000):
        session.execute(insert(LedgerEntry), entries[start:start + 2000])


def _row(customer_id: uuid.UUID, kind: Kind, points: int, ref: str, created: datetime, available: datetime,
         expires: datetime | None, location: uuid.UUID | None, *, spend_minor: int = 0,
         hold_ref: str | None = None) -> dict[str, Any]:
    return {"id": new_id(), "customer_id": customer_id, "kind": kind.value, "points": points,
            "spend_minor": spend_minor, "available_at": available, "expires_at": expires, "order_id": None,
            "variant_id": None, "quantity": 0, "location_id": location, "channel_code": "demo", "hold_ref": hold_ref,
            "lot_id": None, "ref": ref, "note": "demo history", "created_at": created}
