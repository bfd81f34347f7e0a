"""GDPR: everything we hold about a customer as JSON, and erasure on request.

Erasure blanks the personal data in this context's tables (names, contact details, identities, addresses,
preferences, home, tags, merge snapshots) for the surviving profile and every profile merged into it, withdraws
every consent (the history stays: it holds no personal data and proves what was agreed), and records
``CustomerErased`` for each id so other contexts anonymize their rows. Orders and payments stay: they are
financial records. Flush, never commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from omniretail.customers import merging, overview, rules, service
from omniretail.customers.events import CustomerErased
from omniretail.customers.exceptions import CustomerErasedError
from omniretail.customers.models import Address, Identity, Merge, Profile, SegmentMember
from omniretail.kernel import clock
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service

EXPORT_FORMAT = "omniretail.customer-export.v1"


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export(*, session: Session, customer_id: uuid.UUID) -> dict[str, Any]:
    """Everything this platform holds about the customer, as plain JSON-ready data."""
    profile = service.get_profile(session=session, customer_id=customer_id)
    ids = overview.all_ids(session=session, profile=profile)
    orders = ordering_service.orders_of_customers(session=session, customer_ids=ids, limit=None)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": clock.now().isoformat(),
        "profile": {
            "id": str(profile.id), "status": profile.status, "given_name": profile.given_name,
            "family_name": profile.family_name, "email": profile.email, "phone": profile.phone,
            "card_number": profile.card_number, "birth_date": profile.birth_date, "language": profile.language,
            "favourite_location_id": _str(profile.favourite_location_id),
            "home_location_id": _str(profile.home_location_id), "home_latitude": profile.home_latitude,
            "home_longitude": profile.home_longitude, "sizes": profile.sizes, "shades": profile.shades,
            "tags": profile.tags, "tier": profile.tier, "source": profile.source,
            "created_at": profile.created_at.isoformat(), "erased_at": _iso(profile.erased_at),
            "merged_profile_ids": [str(i) for i in ids[1:]],
        },
        "identities": [{"kind": i.kind, "value": i.value, "primary": i.is_primary, "source": i.source,
                        "created_at": i.created_at.isoformat()}
                       for i in service.identities_of(session=session, profile_id=profile.id)],
        "addresses": [{"label": a.label, "recipient": a.recipient, "street": a.street, "postal_code": a.postal_code,
                       "city": a.city, "country": a.country, "phone": a.phone, "is_default": a.is_default}
                      for a in service.addresses_of(session=session, profile_id=profile.id)],
        "consents": {
            "current": {c: s.granted for c, s in service.consents_of(session=session, customer_id=profile.id).items()},
            "history": [{"channel": c.channel, "granted": c.granted, "at": c.at.isoformat(), "source": c.source}
                        for c in service.consent_history(session=session, profile_id=profile.id)],
        },
        "segments": sorted(service.segment_codes_of(session=session, customer_id=profile.id)),
        "merges": [{"merged_id": str(m.merged_id), "at": m.at.isoformat(), "reason": m.reason}
                   for m in merging.merges_of(session=session, customer_id=profile.id)],
        "orders": [{"id": str(o.id), "number": o.number, "channel": o.channel_code, "channel_kind": o.channel_kind,
                    "status": o.status, "currency": o.currency, "total_minor": o.total_minor,
                    "refunded_minor": o.refunded_minor, "created_at": o.created_at.isoformat(),
                    "email": o.email, "phone": o.phone, "delivery": o.delivery,
                    "lines": [{"sku": ln.sku, "name": ln.name, "quantity": ln.quantity,
                               "line_total_minor": ln.line_total_minor} for ln in o.lines]}
                   for o in orders],
    }


def _str(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def erase(*, session: Session, customer_id: uuid.UUID, actor: str) -> Profile:
    """Anonymize the customer's personal data and withdraw every consent; financial records stay."""
    profile = service.get_profile(session=session, customer_id=customer_id)
    if profile.status == service.ERASED:
        raise CustomerErasedError("This customer's data was already erased")
    for channel in rules.CONSENT_CHANNELS:
        service.record_consent(session=session, profile=profile, channel=channel, granted=False, source="erasure",
                               actor=actor)
    ids = overview.all_ids(session=session, profile=profile)
    session.execute(delete(Identity).where(Identity.profile_id.in_(ids)))
    session.execute(delete(Address).where(Address.profile_id.in_(ids)))
    session.execute(delete(SegmentMember).where(SegmentMember.profile_id.in_(ids)))
    session.execute(update(Merge).where(Merge.survivor_id == profile.id).values(snapshot={})
                    .execution_options(synchronize_session=False))
    now = clock.now()
    for row in session.scalars(select(Profile).where(Profile.id.in_(ids))):
        row.given_name = row.family_name = row.name_key = row.family_key = ""
        row.email = row.phone = row.card_number = row.birth_date = row.language = row.tier = None
        row.favourite_location_id = row.home_location_id = None
        row.home_latitude = row.home_longitude = None
        row.sizes, row.shades, row.tags = {}, [], []
        row.erased_at, row.updated_at = now, now
        if row.id == profile.id:
            row.status = service.ERASED
    session.flush()
    for erased_id in ids:
        record(session, CustomerErased(customer_id=erased_id))
    return profile
