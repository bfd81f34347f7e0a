"""Support reads for lists and pages: the filtered queue, paging for the back office, clocks and team names."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from omniretail.identity.rules import Permission, Principal
from omniretail.kernel import clock
from omniretail.kernel.paging import Page, paginate
from omniretail.support import sla
from omniretail.support.models import CannedReply, Team, Ticket
from omniretail.support.rules import Status


def list_tickets(*, session: Session, actor: Principal | None = None, customer_id: uuid.UUID | None = None,
                 email: str | None = None, team_id: uuid.UUID | None = None, status: str | None = None,
                 priority: str | None = None, assignee_id: uuid.UUID | None = None, breaching: bool = False,
                 q: str | None = None, cursor: str | None = None, limit: int = 50) -> Page[Ticket]:
    """Tickets the caller may see, filtered; ``breaching`` keeps open tickets at or past their warning time."""
    return paginate(session, ticket_query(actor=actor, customer_id=customer_id, email=email, team_id=team_id,
                                          status=status, priority=priority, assignee_id=assignee_id,
                                          breaching=breaching, q=q),
                    Ticket.id, cursor=cursor, limit=limit)


def ticket_query(*, actor: Principal | None = None, customer_id: uuid.UUID | None = None, email: str | None = None,
                 team_id: uuid.UUID | None = None, status: str | None = None, priority: str | None = None,
                 assignee_id: uuid.UUID | None = None, breaching: bool = False, q: str | None = None
                 ) -> Select[Any]:
    stmt = select(Ticket)
    if actor is not None:
        places = actor.locations_for(Permission.SUPPORT_MANAGE)
        if places is not None:
            stmt = stmt.where(Ticket.location_id.in_(list(places)))
    if customer_id is not None and email is not None:
        stmt = stmt.where((Ticket.customer_id == customer_id) | (Ticket.email == email.lower()))
    elif customer_id is not None:
        stmt = stmt.where(Ticket.customer_id == customer_id)
    for column, value in ((Ticket.team_id, team_id), (Ticket.status, status), (Ticket.priority, priority),
                          (Ticket.assignee_id, assignee_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    if breaching:
        stmt = stmt.where(Ticket.status == Status.OPEN, Ticket.watch_at <= clock.now())
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(Ticket.number.ilike(like) | Ticket.subject.ilike(like) | Ticket.email.ilike(like))
    return stmt


def queue_page(*, session: Session, actor: Principal, offset: int, limit: int, **filters: Any
               ) -> tuple[int, list[Ticket]]:
    """A page of the queue, tickets nearest their SLA deadline first, and how many match in all."""
    stmt = ticket_query(actor=actor, **filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ordered = stmt.order_by(Ticket.watch_at.is_(None), Ticket.watch_at, Ticket.id.desc())
    return int(total), list(session.scalars(ordered.offset(offset).limit(limit)))


def clock_view(ticket: Ticket) -> dict[str, Any]:
    """The first-response and resolution clocks as the queue shows them."""
    return sla.clock_view(ticket)


def team_names(*, session: Session) -> dict[uuid.UUID, str]:
    return {t.id: t.name for t in session.scalars(select(Team).order_by(Team.code))}


def team_timezone(*, session: Session, ticket: Ticket) -> str:
    team = sla.team_of(session, ticket)
    return team.timezone if team else "UTC"


def canned_for(*, session: Session, locale: str) -> list[CannedReply]:
    return list(session.scalars(select(CannedReply).where(CannedReply.locale == locale)
                                .order_by(CannedReply.code)))


def ticket_locale(*, session: Session, ticket_id: uuid.UUID) -> str | None:
    ticket = session.get(Ticket, ticket_id)
    return ticket.locale if ticket is not None else None
