"""Support API schemas."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from omniretail.kernel.schemas import Email, Locale, Name, Schema
from omniretail.support.rules import Channel, Priority, Status

Code = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
Category = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Subject = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Body = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
HourMinute = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Minutes = Annotated[int, Field(ge=1, le=525600)]


class TicketCreate(Schema):
    channel: Channel = Channel.PHONE
    subject: Subject
    body: Body | None = None
    category: Category = "other"
    priority: Priority = Priority.NORMAL
    customer_id: uuid.UUID | None = None
    email: Email | None = None
    name: Name | None = None
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None
    locale: Locale | None = None
    order_id: uuid.UUID | None = None
    return_id: uuid.UUID | None = None
    shipment_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None


class MyTicketCreate(Schema):
    """The web form: a signed-in shopper, or a guest who leaves an e-mail address."""

    subject: Subject
    body: Body
    category: Category = "other"
    email: Email | None = None
    name: Name | None = None
    locale: Locale | None = None
    order_id: uuid.UUID | None = None


class ClockRead(Schema):
    due_at: datetime | None
    state: str
    minutes_left: int | None


class TicketRead(Schema):
    id: uuid.UUID
    number: str
    channel: str
    category: str
    priority: str
    status: str
    subject: str
    customer_id: uuid.UUID | None
    email: str | None
    name: str | None
    locale: str
    order_id: uuid.UUID | None
    return_id: uuid.UUID | None
    shipment_id: uuid.UUID | None
    review_id: uuid.UUID | None
    location_id: uuid.UUID | None
    team_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    level: int
    created_at: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    paused: bool
    clocks: dict[str, ClockRead]
    csat_score: int | None


class MyTicketRead(Schema):
    id: uuid.UUID
    number: str
    status: str
    subject: str
    created_at: datetime
    resolved_at: datetime | None


class TicketPage(Schema):
    items: list[TicketRead]
    next_cursor: str | None


class MyTicketPage(Schema):
    items: list[MyTicketRead]
    next_cursor: str | None


class ActionRead(Schema):
    id: uuid.UUID
    ticket_id: uuid.UUID
    kind: str
    actor: str
    body: str | None
    data: dict[str, Any]
    at: datetime


class ActionKindIn(StrEnum):
    REPLY = "reply"
    NOTE = "note"
    CALL = "call"
    STATUS = "status"
    ASSIGN = "assign"
    ESCALATE = "escalate"
    SCHEDULE_CALLBACK = "schedule-callback"


class ActionCreate(Schema):
    """One agent action; which fields apply depends on ``kind`` (missing ones come back as field errors)."""

    kind: ActionKindIn
    body: Body | None = None
    status: Status | None = None
    wait_for_customer: bool = False
    reached: bool = True
    assignee_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    due_at: datetime | None = None
    canned_code: Code | None = None


class InboundEmail(Schema):
    """What the mail gateway posts for each e-mail received at the support address."""

    sender: Annotated[str, StringConstraints(min_length=3, max_length=320)] = Field(alias="from")
    subject: Annotated[str, StringConstraints(max_length=300)] = ""
    text: Annotated[str, StringConstraints(max_length=100000)] = ""
    message_id: Annotated[str, StringConstraints(max_length=200)] | None = None
    language: Locale | None = None


class InboundResult(Schema):
    ticket_id: uuid.UUID
    number: str
    created: bool
    locale: str


class CsatIn(Schema):
    token: Annotated[str, StringConstraints(min_length=10, max_length=100)]
    score: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class CsatRead(Schema):
    ticket_id: uuid.UUID
    score: int


class SlaPolicyCreate(Schema):
    name: Name
    priority: Priority | None = None
    category: Category | None = None
    tier: Code | None = None
    first_response_minutes: Minutes
    resolution_minutes: Minutes
    warn_before_minutes: Annotated[int, Field(ge=0, le=10080)] = 60
    active: bool = True


class SlaPolicyUpdate(Schema):
    name: Name | None = None
    priority: Priority | None = None
    category: Category | None = None
    tier: Code | None = None
    first_response_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    warn_before_minutes: Annotated[int, Field(ge=0, le=10080)] | None = None
    active: bool | None = None


class SlaPolicyRead(Schema):
    id: uuid.UUID
    name: str
    priority: str | None
    category: str | None
    tier: str | None
    first_response_minutes: int
    resolution_minutes: int
    warn_before_minutes: int
    active: bool


Weekday = Annotated[int, Field(ge=0, le=6)]


class CalendarIn(Schema):
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=60)] = "UTC"
    weekdays: Annotated[list[Weekday], Field(min_length=1, max_length=7)] = [0, 1, 2, 3, 4]
    day_start: HourMinute = "09:00"
    day_end: HourMinute = "18:00"
    holidays: Annotated[list[date], Field(max_length=400)] = []


class TeamCreate(CalendarIn):
    code: Code
    name: Name
    categories: Annotated[list[Category], Field(max_length=50)] = []
    is_default: bool = False
    location_id: uuid.UUID | None = None
    escalation_team_id: uuid.UUID | None = None


class TeamRead(Schema):
    id: uuid.UUID
    code: str
    name: str
    timezone: str
    weekdays: list[int]
    day_start: str
    day_end: str
    holidays: list[date]
    categories: list[str]
    is_default: bool
    location_id: uuid.UUID | None
    escalation_team_id: uuid.UUID | None


class CannedIn(Schema):
    code: Code
    locale: Locale
    title: Subject
    body: Body


class CannedRead(Schema):
    id: uuid.UUID
    code: str
    locale: str
    title: str
    body: str
