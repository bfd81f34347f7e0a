"""Support rules, pure: business time on a team's calendar, SLA targets by priority, category and tier,
SLA clock states, escalation steps and the review-to-callback rule.

Business time counts only the minutes inside a team's working hours, in the team's time zone, on working
week days that are not holidays. ``business_minutes_between`` and ``add_business_minutes`` walk day by day
(never minute by minute), so a clock far in the future costs a few dozen steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_DAYS = 3700


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Status(StrEnum):
    OPEN = "open"
    WAITING_CUSTOMER = "waiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Channel(StrEnum):
    WEB = "web"
    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    STORE = "store"
    SOCIAL = "social"
    SYSTEM = "system"


class ActionKind(StrEnum):
    CREATED = "created"
    REPLY = "reply"
    CUSTOMER_MESSAGE = "customer_message"
    NOTE = "note"
    CALL = "call"
    STATUS = "status"
    ASSIGN = "assign"
    ESCALATE = "escalate"
    SLA_WARNING = "sla_warning"
    CALLBACK_SCHEDULED = "callback_scheduled"
    CALLBACK_REMINDER = "callback_reminder"
    CHAT_TRANSCRIPT = "chat_transcript"
    EVENT = "event"
    CSAT = "csat"


OPEN_STATUSES = (Status.OPEN, Status.WAITING_CUSTOMER)
PRIORITY_ORDER = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)

# Default targets in business minutes (first response, resolution) when no policy matches.
DEFAULT_TARGETS: dict[Priority, tuple[int, int]] = {
    Priority.URGENT: (60, 240),
    Priority.HIGH: (240, 960),
    Priority.NORMAL: (480, 2400),
    Priority.LOW: (960, 4800),
}
DEFAULT_WARN_MINUTES = 60


@dataclass(frozen=True)
class Calendar:
    """A team's working time: week days (Monday 0 .. Sunday 6), daily hours and holidays, in ``timezone``."""

    timezone: str = "UTC"
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(9, 0)
    end: time = time(18, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def problems(self) -> list[str]:
        """What makes this calendar unusable (an empty list when it is fine)."""
        found = []
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            found.append(f"unknown time zone {self.timezone!r}")
        if not self.weekdays or not self.weekdays <= set(range(7)):
            found.append("week days must be a non-empty set of 0 (Monday) .. 6 (Sunday)")
        if self.start >= self.end:
            found.append("the working day must end after it starts")
        return found

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The working hours of ``day`` as UTC instants."""
        zone = self.zone
        return (datetime.combine(day, self.start, tzinfo=zone).astimezone(UTC),
                datetime.combine(day, self.end, tzinfo=zone).astimezone(UTC))


ALWAYS = Calendar(weekdays=frozenset(range(7)), start=time(0, 0), end=time(23, 59, 59, 999999))


def _local_day(calendar: Calendar, at: datetime) -> date:
    return at.astimezone(calendar.zone).date()


def business_seconds_between(calendar: Calendar, start: datetime, end: datetime) -> int:
    """Working seconds from ``start`` to ``end`` on ``calendar`` (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    total = 0.0
    day = _local_day(calendar, start) - timedelta(days=1)
    last = _local_day(calendar, end) + timedelta(days=1)
    while day <= last:
        if calendar.is_working_day(day):
            opens, closes = calendar.window(day)
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return int(total)


def business_minutes_between(calendar: Calendar, start: datetime, end: datetime) -> int:
    """Whole working minutes from ``start`` to ``end`` on ``calendar``."""
    return business_seconds_between(calendar, start, end) // 60


def add_business_minutes(calendar: Calendar, start: datetime, minutes: int) -> datetime:
    """The first instant at which ``minutes`` working minutes have passed since ``start``."""
    if minutes <= 0:
        return start
    if calendar.problems():
        raise ValueError("; ".join(calendar.problems()))
    remaining = timedelta(minutes=minutes)
    day = _local_day(calendar, start) - timedelta(days=1)
    for _ in range(MAX_DAYS):
        if calendar.is_working_day(day):
            opens, closes = calendar.window(day)
            begin = max(opens, start)
            if closes > begin:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("the calendar has no working time in the next ten years")


# --- SLA targets ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PolicyRule:
    """One SLA policy: blank criteria match anything; the most specific matching policy wins."""

    id: object
    priority: str | None
    category: str | None
    tier: str | None
    first_response_minutes: int
    resolution_minutes: int
    warn_before_minutes: int = DEFAULT_WARN_MINUTES


@dataclass(frozen=True)
class Targets:
    first_response_minutes: int
    resolution_minutes: int
    warn_before_minutes: int
    policy_id: object | None = None


def pick_targets(policies: list[PolicyRule], *, priority: str, category: str | None, tier: str | None) -> Targets:
    """The targets of the most specific policy matching the ticket (ties: the stricter resolution target)."""
    best: tuple[int, int, PolicyRule] | None = None
    for policy in policies:
        wanted = ((policy.priority, priority), (policy.category, category), (policy.tier, tier))
        if any(want is not None and want != have for want, have in wanted):
            continue
        score = sum(want is not None for want, _ in wanted)
        key = (-score, policy.resolution_minutes, policy)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is not None:
        p = best[2]
        return Targets(p.first_response_minutes, p.resolution_minutes, p.warn_before_minutes, p.id)
    first, resolve = DEFAULT_TARGETS[Priority(priority)]
    return Targets(first, resolve, DEFAULT_WARN_MINUTES)


def raise_priority(priority: str) -> str:
    """The next priority up (urgent stays urgent)."""
    index = PRIORITY_ORDER.index(Priority(priority))
    return PRIORITY_ORDER[min(index + 1, len(PRIORITY_ORDER) - 1)].value


class ClockState(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"
    PAUSED = "paused"
    MET = "met"
    NONE = "none"


def clock_state(*, due_at: datetime | None, done_at: datetime | None, paused: bool, now: datetime,
                warn_before: timedelta) -> ClockState:
    """Where one SLA clock stands for the queue display and the SLA watch."""
    if done_at is not None:
        return ClockState.MET if due_at is None or done_at <= due_at else ClockState.BREACHED
    if paused:
        return ClockState.PAUSED
    if due_at is None:
        return ClockState.NONE
    if now >= due_at:
        return ClockState.BREACHED
    if now >= due_at - warn_before:
        return ClockState.WARNING
    return ClockState.OK


def review_needs_callback(*, rating: int, sentiment: float) -> bool:
    """A review rated 2 or less, or read as negative, is a call-back case."""
    return rating <= 2 or sentiment < 0


CALLBACK_WITHIN = timedelta(hours=24)
