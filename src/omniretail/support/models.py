"""Support tables: teams with their calendars, SLA policies, tickets, the append-only action log, callbacks,
canned replies and the e-mails sent to customers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Team(IdMixin, CreatedMixin, Base):
    """A queue of agents with a working calendar; ``escalation_team_id`` is where breaches go next."""

    __tablename__ = "support_team"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(60), default="UTC")
    weekdays: Mapped[list[Any]]
    day_start: Mapped[str] = mapped_column(String(5), default="09:00")
    day_end: Mapped[str] = mapped_column(String(5), default="18:00")
    holidays: Mapped[list[Any]]
    categories: Mapped[list[Any]]
    is_default: Mapped[bool] = mapped_column(default=False)
    location_id: Mapped[uuid.UUID | None]
    escalation_team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("support_team.id"))


class SlaPolicy(IdMixin, CreatedMixin, Base):
    __tablename__ = "support_sla_policy"

    name: Mapped[str] = mapped_column(String(120))
    priority: Mapped[str | None] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(40))
    tier: Mapped[str | None] = mapped_column(String(40))
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    warn_before_minutes: Mapped[int] = mapped_column(Integer, default=60)
    active: Mapped[bool] = mapped_column(default=True)


class Ticket(IdMixin, CreatedMixin, Base):
    """One customer matter. SLA clocks run in business minutes of the team's calendar; while the ticket waits
    for the customer the clocks stop (``paused_since``) and the paused business minutes are added back."""

    __tablename__ = "support_ticket"
    __table_args__ = (Index("ix_support_ticket_queue", "status", "team_id"),)

    number: Mapped[str] = mapped_column(String(20), unique=True)
    source_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(40), default="other")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(20), default="open")
    subject: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    tier: Mapped[str | None] = mapped_column(String(40))
    order_id: Mapped[uuid.UUID | None]
    return_id: Mapped[uuid.UUID | None]
    shipment_id: Mapped[uuid.UUID | None]
    review_id: Mapped[uuid.UUID | None]
    location_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("support_team.id"))
    assignee_id: Mapped[uuid.UUID | None]
    level: Mapped[int] = mapped_column(Integer, default=1)
    policy_id: Mapped[uuid.UUID | None]
    clock_started_at: Mapped[datetime] = mapped_column(default=clock.now)
    paused_since: Mapped[datetime | None]
    paused_minutes: Mapped[int] = mapped_column(Integer, default=0)
    warn_before_minutes: Mapped[int] = mapped_column(Integer, default=60)
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    first_response_due_at: Mapped[datetime | None]
    resolution_due_at: Mapped[datetime | None]
    first_responded_at: Mapped[datetime | None]
    warned_for: Mapped[datetime | None]
    breached_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    csat_score: Mapped[int | None] = mapped_column(Integer)
    csat_comment: Mapped[str | None] = mapped_column(Text)
    csat_at: Mapped[datetime | None]
    watch_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Action(IdMixin, Base):
    """One line of a ticket's log: append-only, with who and when."""

    __tablename__ = "support_action"
    __table_args__ = (Index("ix_support_action_ticket", "ticket_id", "at"),)

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_ticket.id"))
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(120))
    body: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]]
    at: Mapped[datetime] = mapped_column(default=clock.now)


class Callback(IdMixin, CreatedMixin, Base):
    __tablename__ = "support_callback"

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_ticket.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[uuid.UUID | None]
    reminded_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]


class CannedReply(IdMixin, CreatedMixin, Base):
    __tablename__ = "support_canned_reply"
    __table_args__ = (UniqueConstraint("code", "locale"),)

    code: Mapped[str] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class Mail(IdMixin, CreatedMixin, Base):
    """An e-mail to the customer (an agent's reply or the resolution with its CSAT link), rendered in their
    language and sent by an outbox handler after commit."""

    __tablename__ = "support_mail"

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_ticket.id"), index=True)
    to: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(5))
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None]
