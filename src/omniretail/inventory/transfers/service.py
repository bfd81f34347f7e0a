"""Transfer use cases. Shipping writes transfer-out lines at the source (stock in transit), receiving writes
transfer-in lines at the destination; what did not arrive stays recorded as a discrepancy on the line."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import rules
from omniretail.inventory import service as stock_service
from omniretail.inventory.events import TransferReceived, TransferShipped
from omniretail.inventory.exceptions import DocumentNotFound, InvalidStep
from omniretail.inventory.models import Transfer, TransferLine
from omniretail.inventory.rules import TRANSFER_STEPS, MovementKind, TransferStatus
from omniretail.kernel import clock, outbox
from omniretail.kernel.errors import FieldError, InvalidInput, PermissionDenied
from omniretail.kernel.numbers import next_number
from omniretail.kernel.paging import Page, paginate


@dataclass(frozen=True)
class TransferItem:
    variant_id: uuid.UUID
    quantity: int


def _step(transfer: Transfer, step: str) -> None:
    decision = rules.step_allowed(TRANSFER_STEPS, step, transfer.status)
    if not decision.allowed:
        raise InvalidStep(decision.reason, status=transfer.status)


def get_transfer(*, session: Session, actor: Principal | None, transfer_id: uuid.UUID) -> Transfer:
    """One transfer the caller may see (at either end)."""
    transfer = session.get(Transfer, transfer_id)
    if transfer is None:
        raise DocumentNotFound(f"No transfer {transfer_id}")
    if actor is not None and not (actor.can(Permission.STOCK_READ, transfer.from_location_id)
                                  or actor.can(Permission.STOCK_READ, transfer.to_location_id)):
        raise DocumentNotFound(f"No transfer {transfer_id}")
    return transfer


def request_transfer(*, session: Session, actor: Principal | None, from_location_id: uuid.UUID,
                     to_location_id: uuid.UUID, items: Sequence[TransferItem], note: str = "") -> Transfer:
    """Ask for stock to move from one location to another."""
    if actor is not None and not (actor.can(Permission.TRANSFERS_MANAGE, to_location_id)
                                  or actor.can(Permission.TRANSFERS_MANAGE, from_location_id)):
        raise PermissionDenied("You may not request transfers for these locations")
    if from_location_id == to_location_id:
        raise InvalidInput("A transfer goes between two locations",
                           errors=[FieldError(("body", "to_location_id"), "same as from_location_id")])
    for location_id in (from_location_id, to_location_id):
        stock_service.get_location(session=session, location_id=location_id)
    merged: dict[uuid.UUID, int] = {}
    for index, item in enumerate(items):
        if item.quantity <= 0:
            raise InvalidInput("Quantities must be positive",
                               errors=[FieldError(("body", "lines", index, "quantity"), "must be > 0")])
        merged[item.variant_id] = merged.get(item.variant_id, 0) + item.quantity
    if not merged:
        raise InvalidInput("A transfer needs at least one line", errors=[FieldError(("body", "lines"), "empty")])
    transfer = Transfer(number=next_number(session=session, prefix="TR"),
                        from_location_id=from_location_id, to_location_id=to_location_id,
                        status=TransferStatus.REQUESTED.value, note=note,
                        requested_by=actor.staff_id if actor else None,
                        lines=[TransferLine(variant_id=v, quantity_requested=q) for v, q in sorted(merged.items())])
    session.add(transfer)
    session.flush()
    return transfer


def approve_transfer(*, session: Session, actor: Principal | None, transfer_id: uuid.UUID) -> Transfer:
    """The sending location agrees to ship."""
    transfer = get_transfer(session=session, actor=actor, transfer_id=transfer_id)
    stock_service.require_at(actor, Permission.TRANSFERS_MANAGE, transfer.from_location_id)
    _step(transfer, "approve")
    transfer.status, transfer.approved_at = TransferStatus.APPROVED.value, clock.now()
    transfer.approved_by = actor.staff_id if actor else None
    session.flush()
    return transfer


def ship_transfer(*, session: Session, actor: Principal | None, transfer_id: uuid.UUID,
                  shipped: dict[uuid.UUID, int] | None = None) -> Transfer:
    """Take the goods out of the source: they are in transit until received."""
    transfer = get_transfer(session=session, actor=actor, transfer_id=transfer_id)
    stock_service.require_at(actor, Permission.TRANSFERS_MANAGE, transfer.from_location_id)
    _step(transfer, "ship")
    for line in transfer.lines:  # lines are sorted by variant id: the fixed lock order
        quantity = (shipped or {}).get(line.variant_id, line.quantity_requested)
        if quantity < 0:
            raise InvalidInput("Shipped quantities cannot be negative",
                               errors=[FieldError(("body", "shipped", str(line.variant_id)), "must be >= 0")])
        line.quantity_shipped = quantity
        if quantity:
            stock_service.apply_movement(session=session, actor=actor, variant_id=line.variant_id,
                                         location_id=transfer.from_location_id, kind=MovementKind.TRANSFER_OUT,
                                         quantity=-quantity, reason=f"transfer {transfer.number}",
                                         document_type=rules.DocumentType.TRANSFER, document_id=transfer.number)
    transfer.status, transfer.shipped_at = TransferStatus.IN_TRANSIT.value, clock.now()
    session.flush()
    outbox.record(session, TransferShipped(transfer.id, transfer.number))
    return transfer


def receive_transfer(*, session: Session, actor: Principal | None, transfer_id: uuid.UUID,
                     received: dict[uuid.UUID, int] | None = None, note: str = "") -> Transfer:
    """Put what arrived on hand at the destination and record any difference from what was shipped."""
    transfer = get_transfer(session=session, actor=actor, transfer_id=transfer_id)
    stock_service.require_at(actor, Permission.TRANSFERS_MANAGE, transfer.to_location_id)
    _step(transfer, "receive")
    missing = 0
    for line in transfer.lines:
        quantity = (received or {}).get(line.variant_id, line.quantity_shipped)
        if quantity < 0:
            raise InvalidInput("Received quantities cannot be negative",
                               errors=[FieldError(("body", "received", str(line.variant_id)), "must be >= 0")])
        line.quantity_received = quantity
        gap = rules.transfer_discrepancy(shipped=line.quantity_shipped, received=quantity)
        if gap:
            line.discrepancy_note = note or (f"{gap} missing" if gap > 0 else f"{-gap} more than shipped")
            missing += gap
        if quantity:
            stock_service.apply_movement(session=session, actor=actor, variant_id=line.variant_id,
                                         location_id=transfer.to_location_id, kind=MovementKind.TRANSFER_IN,
                                         quantity=quantity, reason=f"transfer {transfer.number}",
                                         document_type=rules.DocumentType.TRANSFER, document_id=transfer.number)
    transfer.status, transfer.received_at = TransferStatus.RECEIVED.value, clock.now()
    session.flush()
    outbox.record(session, TransferReceived(transfer.id, transfer.number, missing))
    return transfer


def cancel_transfer(*, session: Session, actor: Principal | None, transfer_id: uuid.UUID) -> Transfer:
    """Drop a transfer that has not shipped."""
    transfer = get_transfer(session=session, actor=actor, transfer_id=transfer_id)
    if actor is not None and not (actor.can(Permission.TRANSFERS_MANAGE, transfer.from_location_id)
                                  or actor.can(Permission.TRANSFERS_MANAGE, transfer.to_location_id)):
        raise PermissionDenied("You may not cancel this transfer")
    _step(transfer, "cancel")
    transfer.status = TransferStatus.CANCELLED.value
    session.flush()
    return transfer


def page_transfers(*, session: Session, actor: Principal, status: str | None, cursor: str | None,
                   limit: int) -> Page[Transfer]:
    """Transfers from or to the locations the caller may see."""
    stmt = select(Transfer)
    allowed = actor.locations_for(Permission.STOCK_READ)
    if allowed is not None:
        stmt = stmt.where(or_(Transfer.from_location_id.in_(list(allowed)),
                              Transfer.to_location_id.in_(list(allowed))))
    if status:
        stmt = stmt.where(Transfer.status == status)
    return paginate(session, stmt, Transfer.id, cursor=cursor, limit=limit)


def in_transit(*, session: Session, variant_ids: Sequence[uuid.UUID],
               location_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Units shipped towards ``location_id`` and not yet received, per variant."""
    rows = session.execute(
        select(TransferLine.variant_id, func.sum(TransferLine.quantity_shipped))
        .join(Transfer, Transfer.id == TransferLine.transfer_id)
        .where(Transfer.to_location_id == location_id, Transfer.status == TransferStatus.IN_TRANSIT.value,
               TransferLine.variant_id.in_(list(variant_ids)))
        .group_by(TransferLine.variant_id)).all()
    return {variant_id: int(total) for variant_id, total in rows}
