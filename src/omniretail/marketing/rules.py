"""Notification rules, pure: who may be sent what on which channel, and when quiet hours allow it.

``may_send`` is the consent policy: service messages (an order update, a password reset) go to anyone who is
not erased; marketing goes only where the customer said yes for that very channel. ``next_allowed`` is the
quiet-hours arithmetic: the first minute at or after ``now`` that falls outside the quiet window in the
recipient's time zone, correct across midnight and across daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"


class Purpose(StrEnum):
    SERVICE = "service"
    MARKETING = "marketing"


class Status(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


# Where a status may go next: a provider's late "delivered" never revives a failed message, and a repeated
# webhook changes nothing.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.QUEUED: frozenset({Status.SENT, Status.FAILED, Status.SUPPRESSED}),
    Status.SENT: frozenset({Status.DELIVERED, Status.FAILED}),
    Status.DELIVERED: frozenset(),
    Status.FAILED: frozenset(),
    Status.SUPPRESSED: frozenset(),
}


def can_move(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str | None = None

    @classmethod
    def yes(cls) -> Decision:
        return cls(True)

    @classmethod
    def no(cls, reason: str) -> Decision:
        return cls(False, reason)


@dataclass(frozen=True)
class Recipient:
    """What the policy needs to know about the person: erased or not, an address, and their consents."""

    erased: bool
    address: str | None
    consented: frozenset[Channel]


def may_send(recipient: Recipient, *, channel: Channel, purpose: Purpose) -> Decision:
    """Say whether this message may go out on this channel, and why not."""
    if recipient.erased:
        return Decision.no("customer erased")
    if not recipient.address:
        return Decision.no(f"no {channel.value} address")
    if purpose is Purpose.MARKETING and channel not in recipient.consented:
        return Decision.no(f"no {channel.value} marketing consent")
    return Decision.yes()


def respects_quiet_hours(*, channel: Channel, purpose: Purpose) -> bool:
    """Only marketing by SMS or push waits for the morning; e-mail does not wake anyone, service messages are due."""
    return purpose is Purpose.MARKETING and channel in (Channel.SMS, Channel.PUSH)


@dataclass(frozen=True)
class QuietHours:
    """A daily window, in local time, when nobody is woken up; ``start == end`` means no quiet hours.

    ``start`` is inside the window and ``end`` is not: 21:00-08:00 is quiet from 21:00 until 07:59.
    """

    start: time
    end: time

    @classmethod
    def parse(cls, start: str, end: str) -> QuietHours:
        """``QuietHours.parse("21:00", "08:00")``; raises ValueError on anything that is not HH:MM."""
        return cls(_hhmm(start), _hhmm(end))

    def covers(self, moment: time) -> bool:
        """Whether a local wall-clock time is inside the window (across midnight when start > end)."""
        at = moment.replace(second=0, microsecond=0, tzinfo=None)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end


def _hhmm(raw: str) -> time:
    hours, _, minutes = raw.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"not a time of day HH:MM: {raw!r}")
    return time(int(hours), int(minutes))


MINUTE = timedelta(minutes=1)
# The widest daylight-saving jump in the time-zone database is two hours (Antarctica/Troll).
_WIDEST_JUMP = timedelta(hours=2)


def is_quiet(moment: datetime, quiet: QuietHours, zone: ZoneInfo) -> bool:
    return quiet.covers(moment.astimezone(zone).time())


def next_allowed(now: datetime, quiet: QuietHours, zone: ZoneInfo) -> datetime:
    """``now`` when it is outside quiet hours, else the first whole minute after it that is (UTC, aware).

    The end of the window is found on the wall clock; when daylight saving skips over it (the clock jumps from
    02:00 to 03:00 and the window ends at 02:30) the first minute after the jump is the answer, and when the
    clock falls back into the window a second time the later occurrence of the end is taken.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not is_quiet(now, quiet, zone):
        return now
    local = now.astimezone(zone)
    day = local.date()
    if quiet.start > quiet.end and local.time().replace(tzinfo=None) >= quiet.start:
        day += timedelta(days=1)
    candidates = [datetime.combine(day, quiet.end, tzinfo=zone).replace(fold=fold).astimezone(UTC)
                  for fold in (0, 1)]
    later = [c for c in candidates if c > now]
    candidate = min(later) if later else now + MINUTE
    # Walk the few minutes before the wall-clock answer a DST gap may have made allowed already, then forward
    # (a fall-back may put the candidate back inside the window).
    moment = max(_ceil_minute(now), candidate - _WIDEST_JUMP)
    for _ in range(int(2 * _WIDEST_JUMP / MINUTE) + 24 * 60):
        if moment > now and not is_quiet(moment, quiet, zone):
            return moment
        moment += MINUTE
    raise AssertionError("quiet hours without an end")  # pragma: no cover: covers() is never true all day


def _ceil_minute(moment: datetime) -> datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + MINUTE
