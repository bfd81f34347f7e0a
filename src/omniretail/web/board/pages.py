"""Store order board pages (``/board``): delivery-platform orders at the signed-in staff member's stores, with
the next courier step as a CSRF-protected form, a printable slip and auto-refresh."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from omniretail.fulfillment import o2o, rules
from omniretail.identity.dependencies import OptionalStaff, check_csrf
from omniretail.inventory import service as inventory_service
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import DomainError
from omniretail.ordering import service as ordering_service
from omniretail.web.templates import render, render_error

router = APIRouter(include_in_schema=False)


@router.get("/board")
def board_page(request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    jobs = o2o.board(session=session, actor=staff)
    stores = {j.location_id: inventory_service.get_location(session=session, location_id=j.location_id).name
              for j in jobs}
    orders = {j.order_id: ordering_service.get_order(session=session, order_id=j.order_id) for j in jobs}
    return render(request, "board/index.html", {"staff": staff, "jobs": jobs, "stores": stores, "orders": orders,
                                                "next_step": rules.COURIER_NEXT})


@router.post("/board/jobs/{job_id}/status", dependencies=[Depends(check_csrf)])
def board_step(job_id: uuid.UUID, request: Request, session: SessionDep, staff: OptionalStaff,
               status: Annotated[str, Form(max_length=16)]) -> Response:
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    try:
        o2o.move(session=session, actor=staff, job_id=job_id, to=status)
    except DomainError as error:
        return render_error(request, error)
    return RedirectResponse("/board", status_code=303)


@router.get("/board/orders/{order_id}/slip")
def board_slip(order_id: uuid.UUID, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    try:
        job = o2o.job_for_order(session=session, actor=staff, order_id=order_id)
    except DomainError as error:
        return render_error(request, error)
    return render(request, "board/slip.html", {"job": job, "ticket": o2o.ticket_text(session=session, job=job)})
