"""Segments: rules stored as data (``customers.rules``), memberships recomputed in bulk by a job.

``recompute`` gathers the facts of every active customer in a few queries (profiles, order totals from
``ordering.service`` folded onto survivors of merges, store coordinates from ``inventory.service``), scores RFM
against the quintiles of the whole customer base, evaluates each segment's rule with the pure
``rules.matches`` and writes only the membership changes. Flush, never commit."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from omniretail.customers import rules, service
from omniretail.customers.exceptions import DuplicateSegmentCode, InvalidCustomerData, SegmentNotFound
from omniretail.customers.models import Profile, Segment, SegmentMember
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError, NotFound
from omniretail.kernel.ids import new_id
from omniretail.kernel.paging import Page
from omniretail.ordering import service as ordering_service


def check_rule(rule: Any) -> None:
    """Refuse a malformed rule with one field error per problem."""
    problems = rules.validate(rule)
    if problems:
        raise InvalidCustomerData("The segment rule is not valid",
                                  errors=[FieldError(("body", "rule", *path), message) for path, message in problems])


def create_segment(*, session: Session, code: str, name: str, rule: dict[str, Any]) -> Segment:
    """Define a segment by a rule; its members appear at the next recompute (or ``recompute`` now)."""
    check_rule(rule)
    if session.scalar(select(Segment.id).where(Segment.code == code)) is not None:
        raise DuplicateSegmentCode(errors=[FieldError(("body", "code"), "already in use")])
    segment = Segment(id=new_id(), code=code, name=name, rule=rule, member_count=0, created_at=clock.now(),
                      updated_at=clock.now())
    session.add(segment)
    session.flush()
    return segment


def get_segment(*, session: Session, code: str) -> Segment:
    segment = session.scalar(select(Segment).where(Segment.code == code))
    if segment is None:
        raise SegmentNotFound()
    return segment


def update_segment(*, session: Session, code: str, changes: Mapping[str, Any]) -> Segment:
    """Rename a segment or change its rule."""
    segment = get_segment(session=session, code=code)
    if "rule" in changes:
        check_rule(changes["rule"])
        segment.rule = changes["rule"]
    if changes.get("name"):
        segment.name = changes["name"]
    segment.updated_at = clock.now()
    session.flush()
    return segment


def delete_segment(*, session: Session, code: str) -> None:
    segment = get_segment(session=session, code=code)
    session.execute(delete(SegmentMember).where(SegmentMember.segment_id == segment.id))
    session.delete(segment)
    session.flush()


def list_segments(*, session: Session) -> list[Segment]:
    return list(session.scalars(select(Segment).order_by(Segment.code)))


def members(*, session: Session, code: str, cursor: str | None, limit: int) -> Page[Profile]:
    """The segment's customers as of the last recompute, a page at a time."""
    get_segment(session=session, code=code)
    return service.list_profiles(session=session, cursor=cursor, limit=limit, segment=code)


# --- facts and recompute -------------------------------------------------------------------------------------------

def gather_facts(*, session: Session, only: Iterable[uuid.UUID] | None = None) -> list[rules.Facts]:
    """The rule facts of every active customer (or of ``only``), with RFM scored over the whole base."""
    survivor_of: dict[uuid.UUID, uuid.UUID | None] = {
        pid: into for pid, into in session.execute(select(Profile.id, Profile.merged_into_id)
                                                   .where(Profile.merged_into_id.is_not(None)))}
    per_customer: dict[uuid.UUID, dict[str, Any]] = defaultdict(lambda: {"spend": defaultdict(int),
                                                                          "channels": defaultdict(int),
                                                                          "last": None})
    for row in ordering_service.order_totals_by_customer(session=session):
        owner = survivor_of.get(row.customer_id) or row.customer_id
        bucket = per_customer[owner]
        bucket["spend"][row.currency] += row.spend_minor
        bucket["channels"][row.channel_kind] += row.orders
        if bucket["last"] is None or row.last_order_at > bucket["last"]:
            bucket["last"] = row.last_order_at
    now = clock.now()
    stmt = select(Profile.id, Profile.tier, Profile.home_location_id, Profile.language, Profile.tags,
                  Profile.home_latitude, Profile.home_longitude).where(Profile.status == service.ACTIVE)
    facts: list[rules.Facts] = []
    for pid, tier, home_location, language, tags, lat, lon in session.execute(stmt):
        spend, currency, channels, recency = 0, None, {}, None
        if pid in per_customer:
            seen = per_customer[pid]
            currency, spend = max(seen["spend"].items(), key=lambda kv: (kv[1], kv[0]))
            channels = dict(seen["channels"])
            recency = max(0, (now - seen["last"]).days)
        facts.append(rules.Facts(customer_id=pid, orders=sum(channels.values()), spend_minor=spend,
                                 currency=currency, recency_days=recency, orders_by_channel=channels, tier=tier,
                                 home_location=str(home_location) if home_location else None, language=language,
                                 tags=frozenset(tags or ()), home=(lat, lon) if lat is not None and lon is not None
                                 else None))
    edges = rules.rfm_edges(facts)
    scored = [replace(f, rfm=rules.rfm_scores(f, edges)) for f in facts]
    if only is not None:
        wanted = set(only)
        scored = [f for f in scored if f.customer_id in wanted]
    return scored


def _context(session: Session, segments: Iterable[Segment]) -> rules.Context:
    points: dict[str, tuple[float, float]] = {}
    for segment in segments:
        for location_id in rules.locations_in(segment.rule):
            try:
                location = inventory_service.get_location(session=session, location_id=uuid.UUID(location_id))
            except (NotFound, ValueError):
                continue
            points[location_id] = (location.latitude, location.longitude)
    return rules.Context(locations=points)


@dataclass(frozen=True)
class Recomputed:
    code: str
    members: int
    added: int
    removed: int


def recompute(*, session: Session, codes: Iterable[str] | None = None) -> list[Recomputed]:
    """Re-evaluate the segments (all, or the given codes) over every active customer; write only the changes."""
    return write_members(session=session, matched=match(session=session, codes=codes))


def match(*, session: Session, codes: Iterable[str] | None = None) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Which customers each segment's rule selects now, by segment id (reads only: the periodic job runs this
    outside the write lock and writes the result in a short transaction of its own)."""
    segments = list_segments(session=session)
    if codes is not None:
        wanted = set(codes)
        unknown = wanted - {s.code for s in segments}
        if unknown:
            raise SegmentNotFound(f"No segment {', '.join(sorted(unknown))}")
        segments = [s for s in segments if s.code in wanted]
    if not segments:
        return {}
    facts = gather_facts(session=session)
    context = _context(session, segments)
    return {segment.id: {f.customer_id for f in facts if rules.matches(segment.rule, f, context)}
            for segment in segments}


def write_members(*, session: Session, matched: dict[uuid.UUID, set[uuid.UUID]]) -> list[Recomputed]:
    """Make each segment's stored members equal ``matched``, comparing with what is stored now."""
    done = []
    now = clock.now()
    for segment in session.scalars(select(Segment).where(Segment.id.in_(list(matched))).order_by(Segment.code)):
        members = matched[segment.id]
        current = set(session.scalars(select(SegmentMember.profile_id)
                                      .where(SegmentMember.segment_id == segment.id)))
        gone, new = current - members, members - current
        if gone:
            for chunk in _chunks(sorted(gone)):
                session.execute(delete(SegmentMember).where(SegmentMember.segment_id == segment.id,
                                                            SegmentMember.profile_id.in_(chunk)))
        if new:
            session.execute(insert(SegmentMember), [{"segment_id": segment.id, "profile_id": pid, "added_at": now}
                                                    for pid in sorted(new)])
        segment.member_count, segment.recomputed_at = len(members), now
        done.append(Recomputed(segment.code, len(members), len(new), len(gone)))
    session.flush()
    return done


def _chunks(items: list[uuid.UUID], size: int = 500) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
