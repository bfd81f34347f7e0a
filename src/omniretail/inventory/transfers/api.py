"""Transfer routes: request, approve, ship, receive, cancel."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from omniretail.inventory.dependencies import StockReader, TransferManager
from omniretail.inventory.rules import TransferStatus
from omniretail.inventory.transfers import service as transfers_service
from omniretail.inventory.transfers.schemas import (
    TransferCreate,
    TransferPage,
    TransferRead,
    TransferReceive,
    TransferShip,
)
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.schemas import Limit

router = APIRouter(tags=["inventory"])


@router.get("/transfers")
def list_transfers(session: SessionDep, actor: StockReader, status: TransferStatus | None = None,
                   cursor: str | None = None, limit: Limit = 50) -> TransferPage:
    """Transfers from or to the caller's locations."""
    page = transfers_service.page_transfers(session=session, actor=actor, status=status.value if status else None,
                                            cursor=cursor, limit=limit)
    return TransferPage(items=[TransferRead.model_validate(t) for t in page.items], next_cursor=page.next_cursor)


@router.post("/transfers", status_code=201)
def request_transfer(body: TransferCreate, session: SessionDep, actor: TransferManager) -> TransferRead:
    """Ask for stock to move between two locations."""
    transfer = transfers_service.request_transfer(
        session=session, actor=actor, from_location_id=body.from_location_id, to_location_id=body.to_location_id,
        items=[transfers_service.TransferItem(x.variant_id, x.quantity) for x in body.lines], note=body.note)
    return TransferRead.model_validate(transfer)


@router.get("/transfers/{transfer_id}")
def get_transfer(transfer_id: uuid.UUID, session: SessionDep, actor: StockReader) -> TransferRead:
    """One transfer with its lines and discrepancies."""
    return TransferRead.model_validate(transfers_service.get_transfer(session=session, actor=actor,
                                                                      transfer_id=transfer_id))


@router.post("/transfers/{transfer_id}/approve")
def approve_transfer(transfer_id: uuid.UUID, session: SessionDep, actor: TransferManager) -> TransferRead:
    """The sending location agrees to ship."""
    return TransferRead.model_validate(transfers_service.approve_transfer(session=session, actor=actor,
                                                                          transfer_id=transfer_id))


@router.post("/transfers/{transfer_id}/ship")
def ship_transfer(transfer_id: uuid.UUID, body: TransferShip, session: SessionDep,
                  actor: TransferManager) -> TransferRead:
    """Take the goods out of the source; they are in transit until received."""
    return TransferRead.model_validate(transfers_service.ship_transfer(
        session=session, actor=actor, transfer_id=transfer_id,
        shipped={x.variant_id: x.quantity for x in body.lines}))


@router.post("/transfers/{transfer_id}/receive")
def receive_transfer(transfer_id: uuid.UUID, body: TransferReceive, session: SessionDep,
                     actor: TransferManager) -> TransferRead:
    """Book what arrived; differences from what was shipped are recorded on the lines."""
    return TransferRead.model_validate(transfers_service.receive_transfer(
        session=session, actor=actor, transfer_id=transfer_id,
        received={x.variant_id: x.quantity for x in body.lines}, note=body.note))


@router.post("/transfers/{transfer_id}/cancel")
def cancel_transfer(transfer_id: uuid.UUID, session: SessionDep, actor: TransferManager) -> TransferRead:
    """Drop a transfer that has not shipped."""
    return TransferRead.model_validate(transfers_service.cancel_transfer(session=session, actor=actor,
                                                                         transfer_id=transfer_id))
