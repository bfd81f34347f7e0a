"""The 360 view of a customer: the profile with its identities, addresses, consents and segments, plus the orders
from every channel (``ordering.service``) of the profile and every profile merged into it, total spend per currency
and the number of orders per channel kind. Read only."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from omniretail.customers import merging, service
from omniretail.customers.models import Address, Identity, Profile
from omniretail.ordering import service as ordering_service


@dataclass(frozen=True)
class OrderTotals:
    orders: int
    spend_by_currency: dict[str, int]
    orders_by_channel: dict[str, int]
    last_order_at: datetime | None


@dataclass(frozen=True)
class Overview:
    profile: Profile
    identities: list[Identity]
    addresses: list[Address]
    consents: dict[str, service.ConsentState]
    segments: list[str]
    merged_ids: list[uuid.UUID]
    totals: OrderTotals
    orders: list[Any]


def all_ids(*, session: Session, profile: Profile) -> list[uuid.UUID]:
    """The profile's id and the ids of the profiles merged into it (orders may carry any of them)."""
    return [profile.id, *merging.merged_ids(session=session, survivor_id=profile.id)]


def totals(*, session: Session, ids: list[uuid.UUID]) -> OrderTotals:
    """Orders, net spend per currency and orders per channel kind over these customer ids."""
    rows = ordering_service.order_totals_by_customer(session=session, customer_ids=ids)
    spend: dict[str, int] = defaultdict(int)
    channels: Counter[str] = Counter()
    for row in rows:
        spend[row.currency] += row.spend_minor
        channels[row.channel_kind] += row.orders
    last = max((row.last_order_at for row in rows), default=None)
    return OrderTotals(sum(channels.values()), dict(sorted(spend.items())), dict(sorted(channels.items())), last)


def overview(*, session: Session, customer_id: uuid.UUID, order_limit: int = 20) -> Overview:
    """Everything about one customer on one screen (follows merges to the survivor)."""
    profile = service.get_profile(session=session, customer_id=customer_id)
    ids = all_ids(session=session, profile=profile)
    return Overview(profile=profile, identities=service.identities_of(session=session, profile_id=profile.id),
                    addresses=service.addresses_of(session=session, profile_id=profile.id),
                    consents=service.consents_of(session=session, customer_id=profile.id),
                    segments=sorted(service.segment_codes_of(session=session, customer_id=profile.id)),
                    merged_ids=ids[1:], totals=totals(session=session, ids=ids),
                    orders=ordering_service.orders_of_customers(session=session, customer_ids=ids,
                                                                limit=order_limit))
