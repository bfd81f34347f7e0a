"""Journey events over HTTP: the app reports its steps; staff with ``analytics.read`` read a visitor's or a
customer's journey."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from omniretail.analytics import journey
from omniretail.analytics.schemas import StepAccepted, StepIn, StepPage, StepRead
from omniretail.identity.dependencies import Allowed, OptionalCustomer
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import FieldError, InvalidInput, PermissionDenied
from omniretail.kernel.schemas import Limit

router = APIRouter(tags=["analytics"])
Analyst = Annotated[Principal, Depends(Allowed(Permission.ANALYTICS_READ))]
VISITOR_COOKIE = "or_vid"


def visitor_from(request: Request) -> uuid.UUID | None:
    raw = request.cookies.get(VISITOR_COOKIE, "")
    try:
        return uuid.UUID(raw) if raw and len(raw) <= 40 else None
    except ValueError:
        return None


@router.post("/events", status_code=202, response_model=StepAccepted)
def report_step(body: StepIn, request: Request, customer: OptionalCustomer) -> StepAccepted:
    """Record one journey step (written within a second, off the request path); the visitor id comes from the
    body, else the first-party cookie, else a new one the app keeps."""
    visitor = body.visitor_id or visitor_from(request) or uuid.uuid4()
    request.app.state.journey.record(journey.now_step(
        body.kind, visitor, customer_id=customer.id if customer else None, channel_code=body.channel,
        path=body.path, product_id=body.product_id, variant_id=body.variant_id, order_id=body.order_id,
        quantity=body.quantity, value_minor=body.value_minor, currency=body.currency))
    return StepAccepted(visitor_id=visitor)


@router.get("/events", response_model=StepPage)
def read_steps(session: SessionDep, staff: Analyst, response: Response,
               visitor_id: uuid.UUID | None = None, customer_id: uuid.UUID | None = None,
               kind: Annotated[str | None, Query(max_length=30)] = None, cursor: str | None = None,
               limit: Limit = 100) -> StepPage:
    """A visitor's or a customer's journey, oldest first (a customer's needs ``customers.read`` too)."""
    if visitor_id is None and customer_id is None:
        raise InvalidInput("Say whose journey", errors=[FieldError(("query", "visitor_id"),
                                                                   "visitor_id or customer_id is required")])
    if customer_id is not None and not staff.can(Permission.CUSTOMERS_READ):
        raise PermissionDenied("You may not read customers")
    page = journey.steps_of(session=session, visitor_id=visitor_id, customer_id=customer_id, kind=kind,
                            cursor=cursor, limit=limit)
    response.headers["cache-control"] = "no-store"
    return StepPage(items=[StepRead.model_validate(s) for s in page.items], next_cursor=page.next_cursor)
