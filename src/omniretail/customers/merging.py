"""Duplicate detection and merging. A merge folds one profile into another in one transaction: every identity,
address and consent entry moves to the survivor, empty survivor fields are filled from the merged profile, a
history row keeps the merged profile as it was, and ``CustomersMerged`` tells the other contexts to move their
rows (orders, points, tickets, reviews). The merged profile stays, marked ``merged``, so its id resolves to the
survivor forever. Flush, never commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import Session, aliased

from omniretail.customers import service
from omniretail.customers.events import CustomersMerged
from omniretail.customers.exceptions import CustomerNotFound, MergeNotAllowed
from omniretail.customers.models import Address, Consent, Identity, Merge, Profile, SegmentMember
from omniretail.kernel import clock
from omniretail.kernel.ids import new_id
from omniretail.kernel.outbox import record

FILLABLE = ("given_name", "family_name", "email", "phone", "birth_date", "language", "favourite_location_id",
            "home_location_id", "home_latitude", "home_longitude", "tier", "card_number")


@dataclass(frozen=True)
class DuplicatePair:
    """Two active profiles that look like the same person, and why."""

    first_id: uuid.UUID
    second_id: uuid.UUID
    reasons: tuple[str, ...]


def find_duplicates(*, session: Session, limit: int = 100, customer_id: uuid.UUID | None = None
                    ) -> list[DuplicatePair]:
    """Pairs of active profiles sharing a phone or e-mail, or the same name at the same postcode."""
    found: dict[tuple[uuid.UUID, uuid.UUID], list[str]] = {}
    one, two = aliased(Identity), aliased(Identity)
    p1, p2 = aliased(Profile), aliased(Profile)
    same_identity = (select(one.profile_id, two.profile_id, one.kind)
                     .join(two, and_(one.kind == two.kind, one.value == two.value, one.profile_id < two.profile_id))
                     .join(p1, p1.id == one.profile_id).join(p2, p2.id == two.profile_id)
                     .where(one.kind.in_(("email", "phone")), p1.status == service.ACTIVE,
                            p2.status == service.ACTIVE))
    a1, a2 = aliased(Address), aliased(Address)
    # Driven by addresses sharing a postcode (few pairs), then names compared: far fewer rows than the reverse.
    same_place = (select(a1.profile_id, a2.profile_id)
                  .join(a2, and_(a1.postal_key == a2.postal_key, a1.profile_id < a2.profile_id))
                  .join(p1, p1.id == a1.profile_id).join(p2, p2.id == a2.profile_id)
                  .where(a1.postal_key != "", p1.name_key == p2.name_key, p1.name_key != "",
                         p1.status == service.ACTIVE, p2.status == service.ACTIVE))
    if customer_id is not None:
        same_identity = same_identity.where((one.profile_id == customer_id) | (two.profile_id == customer_id))
        same_place = same_place.where((a1.profile_id == customer_id) | (a2.profile_id == customer_id))
    for first, second, kind in session.execute(same_identity.order_by(one.profile_id, two.profile_id)
                                               .limit(limit * 2)):
        found.setdefault((first, second), []).append(f"same {kind}")
    for first, second in session.execute(same_place.order_by(a1.profile_id, a2.profile_id).limit(limit * 2)):
        found.setdefault((first, second), []).append("same name and postcode")
    pairs = [DuplicatePair(a, b, tuple(sorted(set(reasons)))) for (a, b), reasons in sorted(found.items())]
    return pairs[:limit]


def _snapshot(profile: Profile) -> dict[str, Any]:
    return {"given_name": profile.given_name, "family_name": profile.family_name, "email": profile.email,
            "phone": profile.phone, "card_number": profile.card_number, "language": profile.language,
            "tier": profile.tier, "tags": list(profile.tags), "source": profile.source,
            "account_id": str(profile.account_id) if profile.account_id else None,
            "created_at": profile.created_at.isoformat()}


def _locked(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, Profile]:
    rows = session.scalars(select(Profile).where(Profile.id.in_(sorted(ids))).order_by(Profile.id)
                           .with_for_update().execution_options(populate_existing=True))
    return {p.id: p for p in rows}


def merge(*, session: Session, survivor_id: uuid.UUID, merged_id: uuid.UUID, actor: str,
          reason: str = "") -> Merge:
    """Fold ``merged_id`` into ``survivor_id`` keeping every identity, address and consent of both."""
    if survivor_id == merged_id:
        raise MergeNotAllowed("A profile cannot be merged into itself")
    rows = _locked(session, [survivor_id, merged_id])
    survivor, merged = rows.get(survivor_id), rows.get(merged_id)
    if survivor is None or merged is None:
        raise CustomerNotFound()
    for profile in (survivor, merged):
        if profile.status != service.ACTIVE:
            raise MergeNotAllowed(f"Profile {profile.id} is {profile.status}", customer_id=str(profile.id))
    snapshot = _snapshot(merged)
    moved = {"identities": _move_identities(session, survivor.id, merged.id),
             "addresses": _move(session, Address, survivor.id, merged.id, is_default=False),
             "consents": _move(session, Consent, survivor.id, merged.id)}
    session.execute(delete(SegmentMember).where(SegmentMember.profile_id == merged.id))
    _fill(survivor, merged)
    if merged.account_id is not None and survivor.account_id is None:
        survivor_account, merged.account_id = merged.account_id, None
        session.flush()
        survivor.account_id = survivor_account
    merged.status, merged.merged_into_id, merged.updated_at = service.MERGED, survivor.id, clock.now()
    # Profiles merged into the merged one earlier now point straight at the survivor.
    session.execute(update(Profile).where(Profile.merged_into_id == merged.id, Profile.id != merged.id)
                    .values(merged_into_id=survivor.id).execution_options(synchronize_session=False))
    session.execute(update(Merge).where(Merge.survivor_id == merged.id).values(survivor_id=survivor.id)
                    .execution_options(synchronize_session=False))
    history = Merge(id=new_id(), survivor_id=survivor.id, merged_id=merged.id, at=clock.now(), actor=actor[:254],
                    reason=reason[:200], moved=moved, snapshot=snapshot)
    session.add(history)
    session.flush()
    record(session, CustomersMerged(survivor_id=survivor.id, merged_id=merged.id))
    return history


def _move_identities(session: Session, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> int:
    have = {(i.kind, i.value) for i in service.identities_of(session=session, profile_id=survivor_id)}
    moved = 0
    for identity in service.identities_of(session=session, profile_id=merged_id):
        if (identity.kind, identity.value) in have:
            session.delete(identity)
        else:
            identity.profile_id, identity.is_primary = survivor_id, False
            moved += 1
    session.flush()
    return moved


def _move(session: Session, table: type[Address] | type[Consent], survivor_id: uuid.UUID, merged_id: uuid.UUID,
          **extra: Any) -> int:
    result = session.execute(update(table).where(table.profile_id == merged_id)
                             .values(profile_id=survivor_id, **extra).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def _fill(survivor: Profile, merged: Profile) -> None:
    for name in FILLABLE:
        if getattr(survivor, name) in (None, "") and getattr(merged, name) not in (None, ""):
            setattr(survivor, name, getattr(merged, name))
    survivor.sizes = {**merged.sizes, **survivor.sizes}
    survivor.shades = list(dict.fromkeys([*survivor.shades, *merged.shades]))
    survivor.tags = sorted({*survivor.tags, *merged.tags})
    service.rekey(survivor)
    survivor.updated_at = clock.now()


def merges_of(*, session: Session, customer_id: uuid.UUID) -> list[Merge]:
    """Every merge into the customer's surviving profile, oldest first."""
    profile_id = service.resolve(session=session, customer_id=customer_id)
    if session.get(Profile, profile_id) is None:
        raise CustomerNotFound()
    return list(session.scalars(select(Merge).where(Merge.survivor_id == profile_id).order_by(Merge.at, Merge.id)))


def merged_ids(*, session: Session, survivor_id: uuid.UUID) -> list[uuid.UUID]:
    """The profiles that were folded into ``survivor_id`` (directly or through earlier merges)."""
    return list(session.scalars(select(Profile.id).where(Profile.merged_into_id == survivor_id)))
