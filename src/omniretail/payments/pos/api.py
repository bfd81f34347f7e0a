"""POS cash drawer API under ``pos/sessions``."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.payments.pos import service as pos_service
from omniretail.payments.schemas import CashClose, CashMove, CashSessionOpen, CashSessionRead

router = APIRouter(tags=["pos"])
Seller = Annotated[Principal, Depends(Allowed(Permission.POS_SELL))]


@router.post("/pos/sessions", status_code=201, response_model=CashSessionRead)
def open_drawer(body: CashSessionOpen, session: SessionDep, staff: Seller) -> CashSessionRead:
    """Open the store's cash drawer with its counted float."""
    return CashSessionRead.model_validate(pos_service.open_session(
        session=session, actor=staff, location_id=body.location_id, opening_float_minor=body.opening_float_minor,
        currency=body.currency))


@router.get("/pos/sessions/{session_id}", response_model=CashSessionRead)
def get_drawer(session_id: uuid.UUID, session: SessionDep, staff: Seller) -> CashSessionRead:
    """One drawer session; an open one shows its running X-report."""
    drawer = pos_service.get_session(session=session, actor=staff, session_id=session_id)
    read = CashSessionRead.model_validate(drawer)
    if drawer.report is None:
        read.report = pos_service.report(session=session, drawer=drawer)
    return read


@router.post("/pos/sessions/{session_id}/cash", status_code=201)
def move_cash(session_id: uuid.UUID, body: CashMove, session: SessionDep, staff: Seller) -> dict[str, Any]:
    """Put cash in or take it out of the drawer, with a reason."""
    movement = pos_service.move_cash(session=session, actor=staff, session_id=session_id,
                                     amount_minor=body.amount_minor, reason=body.reason)
    return {"id": str(movement.id), "kind": movement.kind, "amount_minor": movement.amount_minor}


@router.post("/pos/sessions/{session_id}/close")
def close_drawer(session_id: uuid.UUID, body: CashClose, session: SessionDep, staff: Seller) -> dict[str, Any]:
    """Close the drawer with the counted cash; returns the Z-report with over/short."""
    return pos_service.close_session(session=session, actor=staff, session_id=session_id,
                                     counted_minor=body.counted_minor)
