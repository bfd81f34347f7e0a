"""Back-office support pages: the ticket queue with SLA clocks (filters, paging, CSV) and one ticket with its log
and the forms to reply (with canned replies), change status, assign, escalate and schedule a callback; and the
public page where a customer rates a resolved ticket from the link in the e-mail.

Agents see only the tickets their grants cover (``support_service.visible_to``); another store's ticket is 404.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from omniretail.config import Settings
from omniretail.identity.dependencies import OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep, get_settings_dep
from omniretail.kernel.errors import DomainError, FieldError, InvalidInput
from omniretail.support import queries as support_queries
from omniretail.support import service as support_service
from omniretail.support.rules import Priority, Status
from omniretail.web.backoffice.tables import PAGE_SIZE, Paging, csv_response, link, page_number
from omniretail.web.templates import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=100)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
KINDS = ("reply", "note", "call", "status", "assign", "escalate", "schedule-callback")


def _agent(staff: Principal | None, back: str) -> Principal | Response:
    if staff is None:
        return RedirectResponse(f"/admin/login?next={back}", status_code=303)
    if not staff.can(Permission.SUPPORT_MANAGE):
        return Response("Forbidden", status_code=403)
    return staff


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def _row(ticket: Any, teams: dict[uuid.UUID, str]) -> dict[str, Any]:
    clocks = support_queries.clock_view(ticket)
    return {"id": ticket.id, "number": ticket.number, "subject": ticket.subject, "status": ticket.status,
            "priority": ticket.priority, "channel": ticket.channel, "locale": ticket.locale,
            "team": teams.get(ticket.team_id, "") if ticket.team_id else "", "level": ticket.level,
            "customer": ticket.name or ticket.email or "", "created": ticket.created_at.strftime("%Y-%m-%d %H:%M"),
            "clock": clocks["resolution"], "first": clocks["first_response"]}


@router.get("/admin/support")
def queue(request: Request, session: SessionDep, staff: OptionalStaff, team: Text = None, status: Text = None,
          priority: Text = None, mine: Text = None, breaching: Text = None, q: Text = None, page: Text = None,
          format: Text = None) -> Response:
    """The support queue with SLA clocks."""
    checked = _agent(staff, "/admin/support")
    if isinstance(checked, Response):
        return checked
    params = {"team": team, "status": status, "priority": priority, "mine": mine, "breaching": breaching, "q": q}
    filters: dict[str, Any] = {
        "team_id": _uuid(team), "status": status if status in set(Status) else None,
        "priority": priority if priority in set(Priority) else None,
        "assignee_id": checked.staff_id if mine else None, "breaching": bool(breaching), "q": q}
    teams = support_queries.team_names(session=session)
    if format == "csv":
        _, found = support_queries.queue_page(session=session, actor=checked, offset=0, limit=50_000, **filters)
        exported = (_row(t, teams) for t in found)
        return csv_response("tickets.csv", ["number", "subject", "status", "priority", "channel", "team", "level",
                                            "customer", "created", "resolution_due", "sla"],
                            ([r["number"], r["subject"], r["status"], r["priority"], r["channel"], r["team"],
                              r["level"], r["customer"], r["created"],
                              r["clock"]["due_at"].isoformat() if r["clock"]["due_at"] else "", r["clock"]["state"]]
                             for r in exported))
    paging = Paging(page_number(page), PAGE_SIZE, 0)
    total, found = support_queries.queue_page(session=session, actor=checked, offset=paging.offset,
                                              limit=paging.size, **filters)
    paging = Paging(paging.page, PAGE_SIZE, total)
    rows = [_row(t, teams) for t in found]
    return render(request, "backoffice/support/queue.html", {
        "staff": checked, "rows": rows, "paging": paging, "params": params, "teams": teams, "statuses": list(Status),
        "priorities": list(Priority),
        "link": lambda **changes: link("/admin/support", {**params, "page": paging.page}, **changes)})


def _ticket_or_404(session: Any, staff: Principal, ticket_id: uuid.UUID) -> Any:
    return support_service.get_ticket(session=session, ticket_id=ticket_id, actor=staff)


@router.get("/admin/support/{ticket_id}")
def ticket_page(ticket_id: uuid.UUID, request: Request, session: SessionDep, staff: OptionalStaff,
                error: Text = None) -> Response:
    """One ticket: details, SLA clocks, the log and the action forms."""
    checked = _agent(staff, f"/admin/support/{ticket_id}")
    if isinstance(checked, Response):
        return checked
    ticket = _ticket_or_404(session, checked, ticket_id)
    teams = support_queries.team_names(session=session)
    return render(request, "backoffice/support/ticket.html", {
        "staff": checked, "ticket": ticket, "row": _row(ticket, teams), "teams": teams,
        "actions": support_service.actions_of(session=session, ticket_id=ticket.id),
        "callbacks": support_service.callbacks_of(session=session, ticket_id=ticket.id),
        "canned": support_queries.canned_for(session=session, locale=ticket.locale), "statuses": list(Status),
        "error": error})


def _local(raw: str, ticket: Any, session: Any) -> datetime:
    zone = ZoneInfo(support_queries.team_timezone(session=session, ticket=ticket))
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=zone)
    except ValueError as exc:
        raise InvalidInput(errors=[FieldError(("body", "due_at"), "not a date and time")]) from exc


@router.post("/admin/support/{ticket_id}/actions")
def act(ticket_id: uuid.UUID, request: Request, session: SessionDep, staff: OptionalStaff,
        kind: Annotated[str, Form(max_length=20)], body: Annotated[str, Form(max_length=20000)] = "",
        status: Annotated[str, Form(max_length=20)] = "", team_id: Annotated[str, Form(max_length=40)] = "",
        assign_to_me: Annotated[str, Form(max_length=5)] = "", due_at: Annotated[str, Form(max_length=40)] = "",
        wait_for_customer: Annotated[str, Form(max_length=5)] = "") -> Response:
    """Apply one action from the ticket page and come back to it."""
    back = f"/admin/support/{ticket_id}"
    checked = _agent(staff, back)
    if isinstance(checked, Response):
        return checked
    ticket = _ticket_or_404(session, checked, ticket_id)
    text = body.strip()
    s = support_service
    try:
        if kind not in KINDS or (kind in ("reply", "note", "call") and not text):
            raise InvalidInput(errors=[FieldError(("body", "body"), "required")])
        if kind == "reply":
            s.reply(session=session, ticket=ticket, actor=checked, body=text, wait_for_customer=bool(wait_for_customer))
        elif kind == "note":
            s.add_note(session=session, ticket=ticket, actor=checked, body=text)
        elif kind == "call":
            s.log_call(session=session, ticket=ticket, actor=checked, body=text)
        elif kind == "status":
            if status not in set(Status):
                raise InvalidInput(errors=[FieldError(("body", "status"), "unknown status")])
            s.change_status(session=session, ticket=ticket, actor=checked, status=status, reason=text or None)
        elif kind == "assign":
            s.assign(session=session, ticket=ticket, actor=checked,
                     assignee_id=checked.staff_id if assign_to_me else ticket.assignee_id, team_id=_uuid(team_id))
        elif kind == "escalate":
            s.escalate(session=session, ticket=ticket, actor=checked, reason=text or "escalated by an agent",
                       team_id=_uuid(team_id))
        else:
            s.schedule_callback(session=session, ticket=ticket, actor=checked, due_at=_local(due_at, ticket, session),
                                note=text or None)
    except DomainError as exc:
        return RedirectResponse(link(back, {}, error=exc.detail[:200]), status_code=303)
    return RedirectResponse(back, status_code=303)


def _ticket_locale(session: Any, ticket_id: uuid.UUID) -> str | None:
    return support_queries.ticket_locale(session=session, ticket_id=ticket_id)


@router.get("/support/csat/{ticket_id}")
def csat_page(ticket_id: uuid.UUID, request: Request, session: SessionDep, token: Text = None) -> Response:
    """The survey page the resolution e-mail links to, in the customer's language."""
    return render(request, "backoffice/support/csat.html", {"ticket_id": ticket_id, "token": token or "",
                                                            "done": False, "error": None},
                  preferred_locale=_ticket_locale(session, ticket_id))


@router.post("/support/csat/{ticket_id}")
def csat_submit(ticket_id: uuid.UUID, request: Request, session: SessionDep, settings: SettingsDep,
                token: Annotated[str, Form(max_length=100)], score: Annotated[int, Form(ge=1, le=5)],
                comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Record the customer's rating from the survey page."""
    try:
        support_service.record_csat(session=session, ticket_id=ticket_id, token=token, score=score,
                                    comment=comment.strip() or None, secret=settings.effective_secret_key())
    except DomainError as exc:
        return render(request, "backoffice/support/csat.html", {"ticket_id": ticket_id, "token": token,
                                                                "done": False, "error": exc}, status=exc.status,
                      preferred_locale=_ticket_locale(session, ticket_id))
    return render(request, "backoffice/support/csat.html", {"ticket_id": ticket_id, "token": token, "done": True,
                                                            "error": None},
                  preferred_locale=_ticket_locale(session, ticket_id))
