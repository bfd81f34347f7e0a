"""Support set-up: teams and their calendars, SLA policies and canned replies (services flush, never commit)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.kernel.errors import Conflict, FieldError
from omniretail.support import rules, sla
from omniretail.support.exceptions import InvalidCalendar, PolicyNotFound, TeamNotFound
from omniretail.support.models import CannedReply, SlaPolicy, Team


def _check_calendar(timezone: str, weekdays: list[int], day_start: str, day_end: str) -> None:
    team = Team(timezone=timezone, weekdays=weekdays, day_start=day_start, day_end=day_end, holidays=[])
    try:
        problems = sla.calendar_of(team).problems()
    except ValueError as exc:
        problems = [str(exc)]
    if problems:
        raise InvalidCalendar("; ".join(problems), errors=[FieldError(("body",), p) for p in problems])


def list_teams(*, session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.code)))


def get_team(*, session: Session, team_id: uuid.UUID) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise TeamNotFound()
    return team


def team_by_code(*, session: Session, code: str) -> Team | None:
    return session.scalar(select(Team).where(Team.code == code))


def create_team(*, session: Session, code: str, name: str, timezone: str = "UTC", weekdays: list[int] | None = None,
                day_start: str = "09:00", day_end: str = "18:00", holidays: list[date] | None = None,
                categories: list[str] | None = None, is_default: bool = False,
                location_id: uuid.UUID | None = None, escalation_team_id: uuid.UUID | None = None) -> Team:
    """A team queue with its working calendar."""
    days = sorted(set(weekdays if weekdays is not None else [0, 1, 2, 3, 4]))
    _check_calendar(timezone, days, day_start, day_end)
    if team_by_code(session=session, code=code) is not None:
        raise Conflict(f"A team with code {code} exists", errors=[FieldError(("body", "code"), "already used")])
    if escalation_team_id is not None:
        get_team(session=session, team_id=escalation_team_id)
    team = Team(code=code, name=name, timezone=timezone, weekdays=days, day_start=day_start, day_end=day_end,
                holidays=sorted(d.isoformat() for d in holidays or []), categories=list(categories or []),
                is_default=is_default, location_id=location_id, escalation_team_id=escalation_team_id)
    session.add(team)
    session.flush()
    return team


def set_calendar(*, session: Session, team: Team, timezone: str, weekdays: list[int], day_start: str, day_end: str,
                 holidays: list[date]) -> Team:
    """Change a team's working hours and holidays (open tickets keep the due dates they have)."""
    days = sorted(set(weekdays))
    _check_calendar(timezone, days, day_start, day_end)
    team.timezone, team.weekdays, team.day_start, team.day_end = timezone, days, day_start, day_end
    team.holidays = sorted({d.isoformat() for d in holidays})
    session.flush()
    return team


def list_policies(*, session: Session) -> list[SlaPolicy]:
    return list(session.scalars(select(SlaPolicy).order_by(SlaPolicy.created_at, SlaPolicy.id)))


def get_policy(*, session: Session, policy_id: uuid.UUID) -> SlaPolicy:
    policy = session.get(SlaPolicy, policy_id)
    if policy is None:
        raise PolicyNotFound()
    return policy


def create_policy(*, session: Session, name: str, first_response_minutes: int, resolution_minutes: int,
                  priority: str | None = None, category: str | None = None, tier: str | None = None,
                  warn_before_minutes: int = rules.DEFAULT_WARN_MINUTES, active: bool = True) -> SlaPolicy:
    """An SLA policy; blank criteria match any ticket, the most specific match wins."""
    policy = SlaPolicy(name=name, priority=priority, category=category, tier=tier, active=active,
                       first_response_minutes=first_response_minutes, resolution_minutes=resolution_minutes,
                       warn_before_minutes=warn_before_minutes)
    session.add(policy)
    session.flush()
    return policy


def update_policy(*, session: Session, policy: SlaPolicy, changes: dict[str, Any]) -> SlaPolicy:
    """Change a policy (new tickets use it; open tickets keep their due dates)."""
    for key, value in changes.items():
        setattr(policy, key, value)
    session.flush()
    return policy


def delete_policy(*, session: Session, policy: SlaPolicy) -> None:
    session.delete(policy)
    session.flush()


def list_canned(*, session: Session, locale: str | None = None) -> list[CannedReply]:
    stmt = select(CannedReply).order_by(CannedReply.code, CannedReply.locale)
    if locale:
        stmt = stmt.where(CannedReply.locale == locale)
    return list(session.scalars(stmt))


def save_canned(*, session: Session, code: str, locale: str, title: str, body: str) -> CannedReply:
    """Create or replace the canned reply ``code`` in ``locale``."""
    reply = session.scalar(select(CannedReply).where(CannedReply.code == code, CannedReply.locale == locale))
    if reply is None:
        reply = CannedReply(code=code, locale=locale, title=title, body=body)
        session.add(reply)
    else:
        reply.title, reply.body = title, body
    session.flush()
    return reply

