"""SLA clocks on ticket rows: targets from the policies, due dates on the team's calendar, pause and resume,
and the watch that warns before a breach and escalates on one.

A ticket's clock starts at ``clock_started_at``; a due date is that start plus the target plus the business
minutes spent waiting for the customer (``paused_minutes``). ``watch_at`` is the next instant the SLA watch must
look at the ticket (a warning or a breach), so the job reads only the few rows that are due.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.kernel import clock
from omniretail.kernel.db import Database
from omniretail.support import rules
from omniretail.support.models import SlaPolicy, Team, Ticket


def _time(raw: str) -> time:
    hours, minutes = raw.split(":")
    return time(int(hours), int(minutes))


def calendar_of(team: Team | None) -> rules.Calendar:
    """The team's working calendar (round the clock in UTC for a ticket without a team)."""
    if team is None:
        return rules.ALWAYS
    return rules.Calendar(timezone=team.timezone, weekdays=frozenset(int(d) for d in team.weekdays),
                          start=_time(team.day_start), end=_time(team.day_end),
                          holidays=frozenset(date.fromisoformat(str(d)) for d in team.holidays))


def team_of(session: Session, ticket: Ticket) -> Team | None:
    return session.get(Team, ticket.team_id) if ticket.team_id else None


def targets_for(session: Session, *, priority: str, category: str | None, tier: str | None) -> rules.Targets:
    policies = [rules.PolicyRule(p.id, p.priority, p.category, p.tier, p.first_response_minutes,
                                 p.resolution_minutes, p.warn_before_minutes)
                for p in session.scalars(select(SlaPolicy).where(SlaPolicy.active.is_(True)))]
    return rules.pick_targets(policies, priority=priority, category=category, tier=tier)


def apply_targets(session: Session, ticket: Ticket, *, restart: bool) -> None:
    """Set the ticket's targets from its priority, category and tier; ``restart`` starts the clock now."""
    targets = targets_for(session, priority=ticket.priority, category=ticket.category, tier=ticket.tier)
    ticket.policy_id = targets.policy_id if isinstance(targets.policy_id, uuid.UUID) else None
    ticket.first_response_minutes = targets.first_response_minutes
    ticket.resolution_minutes = targets.resolution_minutes
    ticket.warn_before_minutes = targets.warn_before_minutes
    if restart:
        ticket.clock_started_at, ticket.paused_minutes, ticket.warned_for = clock.now(), 0, None
    recompute(session, ticket)


def recompute(session: Session, ticket: Ticket) -> None:
    """Due dates and the next watch time from the clock start, the targets and the paused minutes."""
    calendar = calendar_of(team_of(session, ticket))
    start, paused = ticket.clock_started_at, ticket.paused_minutes
    ticket.first_response_due_at = (None if ticket.first_responded_at else rules.add_business_minutes(
        calendar, start, ticket.first_response_minutes + paused))
    ticket.resolution_due_at = rules.add_business_minutes(calendar, start, ticket.resolution_minutes + paused)
    refresh_watch(ticket)


def next_due(ticket: Ticket) -> datetime | None:
    dues = [d for d in (ticket.first_response_due_at, ticket.resolution_due_at) if d is not None]
    return min(dues) if dues else None


def refresh_watch(ticket: Ticket) -> None:
    due = next_due(ticket)
    if ticket.status != rules.Status.OPEN or ticket.paused_since is not None or due is None:
        ticket.watch_at = None
    elif ticket.warned_for == due:
        ticket.watch_at = due
    else:
        ticket.watch_at = due - timedelta(minutes=ticket.warn_before_minutes)


def pause(ticket: Ticket) -> None:
    if ticket.paused_since is None:
        ticket.paused_since = clock.now()
    ticket.watch_at = None


def resume(session: Session, ticket: Ticket) -> None:
    """Add the business minutes spent waiting to the clock and move the due dates by as much."""
    if ticket.paused_since is None:
        return
    calendar = calendar_of(team_of(session, ticket))
    ticket.paused_minutes += rules.business_minutes_between(calendar, ticket.paused_since, clock.now())
    ticket.paused_since = None
    recompute(session, ticket)


def clock_view(ticket: Ticket, *, now: datetime | None = None) -> dict[str, Any]:
    """The two clocks as the queue shows them: due time, state, and minutes left (negative when late)."""
    now = now or clock.now()
    warn = timedelta(minutes=ticket.warn_before_minutes)
    paused = ticket.paused_since is not None
    view: dict[str, Any] = {}
    for name, due, done in (("first_response", ticket.first_response_due_at, ticket.first_responded_at),
                            ("resolution", ticket.resolution_due_at, ticket.resolved_at)):
        state = rules.clock_state(due_at=due, done_at=done, paused=paused, now=now, warn_before=warn)
        left = None if due is None or done is not None or paused else int((due - now).total_seconds() // 60)
        view[name] = {"due_at": due, "state": state.value, "minutes_left": left}
    return view


def due_for_watch(session: Session, *, limit: int = 200) -> list[uuid.UUID]:
    return list(session.scalars(select(Ticket.id).where(Ticket.status == rules.Status.OPEN,
                                                        Ticket.watch_at <= clock.now())
                                .order_by(Ticket.watch_at).limit(limit)))


def watch(db: Database, *, batch: int = 200) -> dict[str, int]:
    """Warn before breaches and escalate breached tickets, one short transaction per ticket."""
    from omniretail.support import service

    counts = {"warned": 0, "escalated": 0}
    with db.transaction(read_only=True) as session:
        ids = due_for_watch(session, limit=batch)
    for ticket_id in ids:
        with db.transaction() as session:
            outcome = service.check_sla(session=session, ticket_id=ticket_id)
        if outcome:
            counts[outcome] += 1
    return counts
