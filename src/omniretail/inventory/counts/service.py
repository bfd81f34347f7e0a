"""Count use cases. A sheet snapshots what the system expects; approval writes a count correction for every
counted line so that on hand becomes what was counted (measured against on hand at approval, so sales made
while counting are not counted twice)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import rules
from omniretail.inventory import service as stock_service
from omniretail.inventory.events import CountApproved
from omniretail.inventory.exceptions import DocumentNotFound, InvalidStep
from omniretail.inventory.models import Count, CountLine, StockLevel
from omniretail.inventory.rules import CountScope, CountStatus, MovementKind
from omniretail.kernel import clock, outbox
from omniretail.kernel.errors import FieldError, InvalidInput
from omniretail.kernel.numbers import next_number
from omniretail.kernel.paging import Page, paginate


@dataclass(frozen=True)
class VarianceLine:
    variant_id: uuid.UUID
    expected: int
    counted: int | None
    on_hand: int
    variance: int | None


def _on_hand(session: Session, location_id: uuid.UUID, variant_ids: Sequence[uuid.UUID] | None) -> dict[uuid.UUID, int]:
    stmt = select(StockLevel.variant_id, StockLevel.on_hand).where(StockLevel.location_id == location_id)
    if variant_ids is not None:
        stmt = stmt.where(StockLevel.variant_id.in_(list(variant_ids)))
    return {variant_id: on_hand for variant_id, on_hand in session.execute(stmt)}


def get_count(*, session: Session, actor: Principal | None, count_id: uuid.UUID) -> Count:
    """One count sheet at a location the caller may see."""
    count = session.get(Count, count_id)
    if count is None or (actor is not None and not actor.can(Permission.STOCK_READ, count.location_id)):
        raise DocumentNotFound(f"No count {count_id}")
    return count


def start_count(*, session: Session, actor: Principal | None, location_id: uuid.UUID, scope: str,
                variant_ids: Sequence[uuid.UUID] = ()) -> Count:
    """Open a count sheet: every item held at the location (full) or the items named (cycle)."""
    stock_service.require_at(actor, Permission.STOCK_WRITE, location_id)
    stock_service.get_location(session=session, location_id=location_id)
    scope = CountScope(scope).value
    if scope == CountScope.CYCLE and not variant_ids:
        raise InvalidInput("A cycle count names the items to count",
                           errors=[FieldError(("body", "variant_ids"), "required for a cycle count")])
    wanted = list(dict.fromkeys(variant_ids)) if scope == CountScope.CYCLE else None
    held = _on_hand(session, location_id, wanted)
    chosen = sorted(wanted if wanted is not None else held)
    count = Count(number=next_number(session=session, prefix="CNT"), location_id=location_id,
                  scope=scope, status=CountStatus.OPEN.value, created_by=actor.staff_id if actor else None,
                  lines=[CountLine(variant_id=v, expected=held.get(v, 0)) for v in chosen])
    session.add(count)
    session.flush()
    return count


def record_counts(*, session: Session, actor: Principal | None, count_id: uuid.UUID,
                  counted: Mapping[uuid.UUID, int]) -> Count:
    """Write what was found on the shelf; items found that were not on the sheet join it."""
    count = get_count(session=session, actor=actor, count_id=count_id)
    stock_service.require_at(actor, Permission.STOCK_WRITE, count.location_id)
    if count.status != CountStatus.OPEN:
        raise InvalidStep(f"The count is {count.status}")
    lines = {line.variant_id: line for line in count.lines}
    for variant_id, quantity in counted.items():
        if quantity < 0:
            raise InvalidInput("Counted quantities cannot be negative",
                               errors=[FieldError(("body", "counted", str(variant_id)), "must be >= 0")])
        line = lines.get(variant_id)
        if line is None:
            line = CountLine(variant_id=variant_id,
                             expected=_on_hand(session, count.location_id, [variant_id]).get(variant_id, 0))
            count.lines.append(line)
            lines[variant_id] = line
        line.counted, line.counted_at = quantity, clock.now()
    session.flush()
    return count


def variance_report(*, session: Session, actor: Principal | None, count_id: uuid.UUID) -> list[VarianceLine]:
    """For every line: expected, counted, on hand now and the correction approval would write."""
    count = get_count(session=session, actor=actor, count_id=count_id)
    now = _on_hand(session, count.location_id, [line.variant_id for line in count.lines])
    return [VarianceLine(line.variant_id, line.expected, line.counted, now.get(line.variant_id, 0),
                         None if line.counted is None else
                         rules.count_correction(counted=line.counted, on_hand=now.get(line.variant_id, 0)))
            for line in sorted(count.lines, key=lambda x: x.variant_id)]


def approve_count(*, session: Session, actor: Principal | None, count_id: uuid.UUID) -> Count:
    """Accept the count: a count-correction ledger line for every counted item that differs."""
    count = get_count(session=session, actor=actor, count_id=count_id)
    stock_service.require_at(actor, Permission.STOCK_WRITE, count.location_id)
    if count.status != CountStatus.OPEN:
        raise InvalidStep(f"The count is {count.status}")
    net = 0
    for line in variance_report(session=session, actor=actor, count_id=count_id):
        if line.variance:
            stock_service.apply_movement(session=session, actor=actor, variant_id=line.variant_id,
                                         location_id=count.location_id, kind=MovementKind.COUNT_CORRECTION,
                                         quantity=line.variance, reason=f"count {count.number}",
                                         document_type=rules.DocumentType.COUNT, document_id=count.number)
            net += line.variance
    count.status, count.approved_at = CountStatus.APPROVED.value, clock.now()
    count.approved_by = actor.staff_id if actor else None
    session.flush()
    outbox.record(session, CountApproved(count.id, count.location_id, net))
    return count


def cancel_count(*, session: Session, actor: Principal | None, count_id: uuid.UUID) -> Count:
    """Drop an open count sheet without changing stock."""
    count = get_count(session=session, actor=actor, count_id=count_id)
    stock_service.require_at(actor, Permission.STOCK_WRITE, count.location_id)
    if count.status != CountStatus.OPEN:
        raise InvalidStep(f"The count is {count.status}")
    count.status = CountStatus.CANCELLED.value
    session.flush()
    return count


def page_counts(*, session: Session, actor: Principal, location_id: uuid.UUID | None, cursor: str | None,
                limit: int) -> Page[Count]:
    """Count sheets at the locations the caller may see."""
    stmt = stock_service.scoped_to_locations(select(Count), Count.location_id, actor, location_id)
    return paginate(session, stmt, Count.id, cursor=cursor, limit=limit)
