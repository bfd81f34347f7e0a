"""Count routes: open a sheet, enter counts, see the variance, approve or cancel."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from omniretail.inventory.counts import service as counts_service
from omniretail.inventory.counts.schemas import CountCreate, CountEntries, CountPage, CountRead, VarianceRead
from omniretail.inventory.dependencies import StockReader, StockWriter
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.schemas import Limit

router = APIRouter(tags=["inventory"])


@router.get("/counts")
def list_counts(session: SessionDep, actor: StockReader, location_id: uuid.UUID | None = None,
                cursor: str | None = None, limit: Limit = 50) -> CountPage:
    """Count sheets at the caller's locations."""
    page = counts_service.page_counts(session=session, actor=actor, location_id=location_id, cursor=cursor,
                                      limit=limit)
    return CountPage(items=[CountRead.model_validate(c) for c in page.items], next_cursor=page.next_cursor)


@router.post("/counts", status_code=201)
def start_count(body: CountCreate, session: SessionDep, actor: StockWriter) -> CountRead:
    """Open a full or cycle count sheet at one location."""
    return CountRead.model_validate(counts_service.start_count(session=session, actor=actor,
                                                               location_id=body.location_id, scope=body.scope,
                                                               variant_ids=body.variant_ids))


@router.get("/counts/{count_id}")
def get_count(count_id: uuid.UUID, session: SessionDep, actor: StockReader) -> CountRead:
    """One count sheet."""
    return CountRead.model_validate(counts_service.get_count(session=session, actor=actor, count_id=count_id))


@router.post("/counts/{count_id}/lines")
def record_counts(count_id: uuid.UUID, body: CountEntries, session: SessionDep, actor: StockWriter) -> CountRead:
    """Enter what was found on the shelf."""
    return CountRead.model_validate(counts_service.record_counts(
        session=session, actor=actor, count_id=count_id, counted={x.variant_id: x.quantity for x in body.lines}))


@router.get("/counts/{count_id}/variance")
def variance(count_id: uuid.UUID, session: SessionDep, actor: StockReader) -> list[VarianceRead]:
    """Expected, counted, on hand now, and the correction approval would write."""
    return [VarianceRead.model_validate(x)
            for x in counts_service.variance_report(session=session, actor=actor, count_id=count_id)]


@router.post("/counts/{count_id}/approve")
def approve_count(count_id: uuid.UUID, session: SessionDep, actor: StockWriter) -> CountRead:
    """Accept the count: write count corrections for every difference."""
    return CountRead.model_validate(counts_service.approve_count(session=session, actor=actor, count_id=count_id))


@router.post("/counts/{count_id}/cancel")
def cancel_count(count_id: uuid.UUID, session: SessionDep, actor: StockWriter) -> CountRead:
    """Drop an open count without changing stock."""
    return CountRead.model_validate(counts_service.cancel_count(session=session, actor=actor, count_id=count_id))
