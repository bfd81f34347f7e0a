"""Support API: tickets from every channel with their action log, agent actions, the inbound e-mail endpoint,
CSAT, SLA policies, team calendars and canned replies; shoppers open and follow their own tickets."""

from __future__ import annotations

import uuid
from email.utils import parseaddr
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from omniretail.config import Settings
from omniretail.identity.dependencies import Allowed, CurrentCustomer, OptionalCustomer
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep, get_settings_dep
from omniretail.kernel.errors import FieldError, InvalidInput, MalformedRequest
from omniretail.kernel.schemas import Limit
from omniretail.support import admin, mailing, sla
from omniretail.support import queries as support_queries
from omniretail.support import service as support_service
from omniretail.support.exceptions import InboundRefused, TicketNotAllowed
from omniretail.support.models import Ticket
from omniretail.support.rules import Channel, Priority, Status
from omniretail.support.schemas import (
    ActionCreate,
    ActionKindIn,
    ActionRead,
    CalendarIn,
    CannedIn,
    CannedRead,
    ClockRead,
    CsatIn,
    CsatRead,
    InboundEmail,
    InboundResult,
    MyTicketCreate,
    MyTicketPage,
    MyTicketRead,
    SlaPolicyCreate,
    SlaPolicyRead,
    SlaPolicyUpdate,
    TeamCreate,
    TeamRead,
    TicketCreate,
    TicketPage,
    TicketRead,
)

router = APIRouter(tags=["support"])
Agent = Annotated[Principal, Depends(Allowed(Permission.SUPPORT_MANAGE))]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def ticket_read(ticket: Ticket) -> TicketRead:
    clocks = {name: ClockRead(**value) for name, value in sla.clock_view(ticket).items()}
    return TicketRead.model_validate({**{c: getattr(ticket, c) for c in TicketRead.model_fields
                                         if c not in ("paused", "clocks")},
                                      "paused": ticket.paused_since is not None, "clocks": clocks})


def _agent_ticket(session: SessionDep, staff: Agent, ticket_id: uuid.UUID) -> Ticket:
    return support_service.get_ticket(session=session, ticket_id=ticket_id, actor=staff)


AgentTicket = Annotated[Ticket, Depends(_agent_ticket)]


@router.post("/tickets", status_code=201, response_model=TicketRead)
def create_ticket(body: TicketCreate, session: SessionDep, staff: Agent) -> TicketRead:
    """Log a ticket for a customer (a call, a visit at a store, a social mention ...)."""
    if body.channel == Channel.STORE and body.location_id is None:
        raise InvalidInput(errors=[FieldError(("body", "location_id"), "a ticket raised in a store names it")])
    if body.location_id is not None and not staff.can(Permission.SUPPORT_MANAGE, body.location_id):
        raise TicketNotAllowed()
    if body.location_id is None and staff.locations_for(Permission.SUPPORT_MANAGE) is not None:
        raise InvalidInput(errors=[FieldError(("body", "location_id"), "name the store you work for")])
    values = body.model_dump(exclude={"body", "channel", "subject"})
    ticket = support_service.open_ticket(session=session, channel=body.channel, subject=body.subject, body=body.body,
                                         actor=support_service.staff_actor(staff), **values)
    return ticket_read(ticket)


@router.get("/tickets", response_model=TicketPage)
def list_tickets(session: SessionDep, staff: Agent, queue: uuid.UUID | None = None, status: Status | None = None,
                 priority: Priority | None = None, assignee: uuid.UUID | None = None, breaching: bool = False,
                 q: str | None = None, cursor: str | None = None, limit: Limit = 50) -> TicketPage:
    """The queue: tickets at the locations you cover, by team (``queue``), status, priority, assignee or SLA risk."""
    page = support_queries.list_tickets(session=session, actor=staff, team_id=queue, status=status,
                                        priority=priority, assignee_id=assignee, breaching=breaching,
                                        q=(q or "")[:100] or None, cursor=cursor, limit=limit)
    return TicketPage(items=[ticket_read(t) for t in page.items], next_cursor=page.next_cursor)


async def _inbound(request: Request, settings: SettingsDep) -> InboundEmail:
    raw = await request.body()
    if len(raw) > 200_000:
        raise InvalidInput(errors=[FieldError(("body",), "at most 200 kB")])
    if not mailing.inbound_signature_ok(settings.effective_secret_key(), raw, request.headers.get("x-signature")):
        raise InboundRefused()
    try:
        return InboundEmail.model_validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise MalformedRequest() from exc
        raise InvalidInput(errors=[FieldError(("body", *e["loc"]), e["msg"], e["type"]) for e in exc.errors()]
                           ) from exc


@router.post("/tickets/inbound-email", status_code=201, response_model=InboundResult)
def inbound_email(mail: Annotated[InboundEmail, Depends(_inbound)], session: SessionDep, response: Response
                  ) -> InboundResult:
    """Receive an e-mail from the mail gateway (``X-Signature: sha256=<HMAC of the body>``): a new ticket, or the
    customer's answer on the ticket named in the subject."""
    name, address = parseaddr(mail.sender)
    if "@" not in address or len(address) > 254:
        raise InvalidInput(errors=[FieldError(("body", "from"), "not an e-mail address")])
    ticket, created = support_service.receive_email(session=session, sender=address, name=name or None,
                                                    subject=mail.subject, text=mail.text,
                                                    message_id=mail.message_id, language=mail.language)
    if not created:
        response.status_code = 200
    return InboundResult(ticket_id=ticket.id, number=ticket.number, created=created, locale=ticket.locale)


@router.get("/tickets/{ticket_id}", response_model=TicketRead)
def get_ticket(ticket: AgentTicket) -> TicketRead:
    """One ticket with its SLA clocks."""
    return ticket_read(ticket)


@router.get("/tickets/{ticket_id}/actions", response_model=list[ActionRead])
def list_actions(ticket: AgentTicket, session: SessionDep) -> list[ActionRead]:
    """The ticket's log: every reply, note, call, status change and escalation, with who and when."""
    return [ActionRead.model_validate(a) for a in support_service.actions_of(session=session, ticket_id=ticket.id)]


def _need(value: object, field: str) -> None:
    if value is None:
        raise InvalidInput(errors=[FieldError(("body", field), "required for this kind of action")])


@router.post("/tickets/{ticket_id}/actions", status_code=201, response_model=ActionRead)
def add_action(body: ActionCreate, ticket: AgentTicket, session: SessionDep, staff: Agent) -> ActionRead:
    """Act on a ticket: reply (e-mailed to the customer), note, call, status, assign, escalate, schedule-callback."""
    kind, s = body.kind, support_service
    text = body.body
    if kind == ActionKindIn.REPLY and text is None and body.canned_code:
        canned = {c.code: c for c in admin.list_canned(session=session, locale=ticket.locale)}
        text = canned[body.canned_code].body if body.canned_code in canned else None
    if kind == ActionKindIn.REPLY:
        _need(text, "body")
        assert text is not None
        action = s.reply(session=session, ticket=ticket, actor=staff, body=text,
                         wait_for_customer=body.wait_for_customer)
    elif kind == ActionKindIn.NOTE:
        _need(text, "body")
        action = s.add_note(session=session, ticket=ticket, actor=staff, body=text or "")
    elif kind == ActionKindIn.CALL:
        _need(text, "body")
        action = s.log_call(session=session, ticket=ticket, actor=staff, body=text or "", reached=body.reached)
    elif kind == ActionKindIn.STATUS:
        _need(body.status, "status")
        action = s.change_status(session=session, ticket=ticket, actor=staff, status=str(body.status), reason=text)
    elif kind == ActionKindIn.ASSIGN:
        action = s.assign(session=session, ticket=ticket, actor=staff, assignee_id=body.assignee_id,
                          team_id=body.team_id)
    elif kind == ActionKindIn.ESCALATE:
        action = s.escalate(session=session, ticket=ticket, actor=staff, reason=text or "escalated by an agent",
                            team_id=body.team_id)
    else:
        _need(body.due_at, "due_at")
        assert body.due_at is not None
        if body.due_at.tzinfo is None:
            raise InvalidInput(errors=[FieldError(("body", "due_at"), "give a time zone")])
        s.schedule_callback(session=session, ticket=ticket, actor=staff, due_at=body.due_at, note=text,
                            staff_id=body.assignee_id)
        action = s.actions_of(session=session, ticket_id=ticket.id)[-1]
    return ActionRead.model_validate(action)


@router.post("/tickets/{ticket_id}/csat", response_model=CsatRead)
def rate_ticket(ticket_id: uuid.UUID, body: CsatIn, session: SessionDep, settings: SettingsDep) -> CsatRead:
    """The customer rates how the ticket was handled (1-5), with the token from the resolution e-mail."""
    ticket = support_service.record_csat(session=session, ticket_id=ticket_id, token=body.token, score=body.score,
                                         comment=body.comment, secret=settings.effective_secret_key())
    return CsatRead(ticket_id=ticket.id, score=body.score)


# --- the shopper's own tickets ----------------------------------------------------------------------------------

@router.post("/me/tickets", status_code=201, response_model=MyTicketRead)
def open_my_ticket(body: MyTicketCreate, session: SessionDep, customer: OptionalCustomer) -> MyTicketRead:
    """Ask for help from the web form, signed in or as a guest with an e-mail address."""
    if customer is None and body.email is None:
        raise InvalidInput(errors=[FieldError(("body", "email"), "give an e-mail address or sign in")])
    email = customer.email if customer is not None else str(body.email)
    ticket = support_service.open_ticket(
        session=session, channel=Channel.WEB, subject=body.subject, body=body.body, actor=f"customer:{email}",
        category=body.category, customer_id=customer.id if customer else None, email=email,
        name=body.name or (customer.name if customer else None),
        locale=body.locale or (customer.locale if customer else None), order_id=body.order_id)
    return MyTicketRead.model_validate(ticket)


@router.get("/me/tickets", response_model=MyTicketPage)
def my_tickets(session: SessionDep, customer: CurrentCustomer, cursor: str | None = None, limit: Limit = 50
               ) -> MyTicketPage:
    """Your tickets and where they stand."""
    page = support_queries.list_tickets(session=session, customer_id=customer.id, email=customer.email,
                                        cursor=cursor, limit=limit)
    return MyTicketPage(items=[MyTicketRead.model_validate(t) for t in page.items], next_cursor=page.next_cursor)


# --- SLA policies, team calendars, canned replies ----------------------------------------------------------------

@router.get("/sla-policies", response_model=list[SlaPolicyRead])
def list_policies(session: SessionDep, staff: Agent) -> list[SlaPolicyRead]:
    """Every SLA policy."""
    return [SlaPolicyRead.model_validate(p) for p in admin.list_policies(session=session)]


@router.post("/sla-policies", status_code=201, response_model=SlaPolicyRead)
def create_policy(body: SlaPolicyCreate, session: SessionDep, staff: Agent) -> SlaPolicyRead:
    """Add an SLA policy (blank priority, category or tier match any)."""
    _global(staff)
    return SlaPolicyRead.model_validate(admin.create_policy(session=session, **body.model_dump(mode="json")))


@router.get("/sla-policies/{policy_id}", response_model=SlaPolicyRead)
def get_policy(policy_id: uuid.UUID, session: SessionDep, staff: Agent) -> SlaPolicyRead:
    """One SLA policy."""
    return SlaPolicyRead.model_validate(admin.get_policy(session=session, policy_id=policy_id))


@router.patch("/sla-policies/{policy_id}", response_model=SlaPolicyRead)
def update_policy(policy_id: uuid.UUID, body: SlaPolicyUpdate, session: SessionDep, staff: Agent) -> SlaPolicyRead:
    """Change an SLA policy; new tickets use it."""
    _global(staff)
    policy = admin.get_policy(session=session, policy_id=policy_id)
    return SlaPolicyRead.model_validate(admin.update_policy(session=session, policy=policy,
                                                            changes=body.model_dump(mode="json", exclude_unset=True)))


@router.delete("/sla-policies/{policy_id}", status_code=204)
def delete_policy(policy_id: uuid.UUID, session: SessionDep, staff: Agent) -> Response:
    """Remove an SLA policy."""
    _global(staff)
    admin.delete_policy(session=session, policy=admin.get_policy(session=session, policy_id=policy_id))
    return Response(status_code=204)


def _global(staff: Principal) -> None:
    if staff.locations_for(Permission.SUPPORT_MANAGE) is not None:
        raise TicketNotAllowed("Only agents for every location change support settings")


@router.get("/support/teams", response_model=list[TeamRead])
def list_teams(session: SessionDep, staff: Agent) -> list[TeamRead]:
    """Support teams (queues) with their calendars."""
    return [TeamRead.model_validate(t) for t in admin.list_teams(session=session)]


@router.post("/support/teams", status_code=201, response_model=TeamRead)
def create_team(body: TeamCreate, session: SessionDep, staff: Agent) -> TeamRead:
    """Add a team queue with its working calendar and the categories it takes."""
    _global(staff)
    return TeamRead.model_validate(admin.create_team(session=session, **body.model_dump()))


@router.put("/support/teams/{team_id}/calendar", response_model=TeamRead)
def set_calendar(team_id: uuid.UUID, body: CalendarIn, session: SessionDep, staff: Agent) -> TeamRead:
    """Set a team's time zone, working days and hours, and holidays."""
    _global(staff)
    team = admin.get_team(session=session, team_id=team_id)
    return TeamRead.model_validate(admin.set_calendar(session=session, team=team, **body.model_dump()))


@router.get("/support/canned-replies", response_model=list[CannedRead])
def list_canned(session: SessionDep, staff: Agent, locale: str | None = None) -> list[CannedRead]:
    """Canned replies, in one language or all."""
    return [CannedRead.model_validate(c) for c in admin.list_canned(session=session, locale=(locale or "")[:5] or None)]


@router.put("/support/canned-replies", response_model=CannedRead)
def save_canned(body: CannedIn, session: SessionDep, staff: Agent) -> CannedRead:
    """Create or replace a canned reply in one language."""
    _global(staff)
    return CannedRead.model_validate(admin.save_canned(session=session, **body.model_dump()))


