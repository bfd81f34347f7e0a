"""Business time on a team's calendar: right across weekends, holidays and daylight-saving changes, checked
against a plain minute-by-minute count."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from omniretail.support import rules
from omniretail.support.rules import Calendar

RIGA = Calendar(timezone="Europe/Riga", weekdays=frozenset({0, 1, 2, 3, 4}), start=time(9), end=time(18),
                holidays=frozenset({date(2026, 11, 18)}))


def riga(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A Riga wall-clock time in 2026 as UTC (Riga is UTC+2 in winter, UTC+3 in summer)."""
    offset = 3 if 3 < month < 11 and not (month == 10 and day >= 25) else 2
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=offset)


def reference_minutes(calendar: Calendar, start: datetime, end: datetime) -> int:
    count, t = 0, start
    zone = calendar.zone
    while t < end:
        local = t.astimezone(zone)
        if calendar.is_working_day(local.date()) and calendar.start <= local.time() < calendar.end:
            count += 1
        t += timedelta(minutes=1)
    return count


def test_a_friday_afternoon_ticket_is_due_on_monday_morning():
    friday_five = riga(20, 17)

    due = rules.add_business_minutes(RIGA, friday_five, 120)

    assert due == riga(23, 10)


def test_the_independence_day_holiday_is_skipped():
    tuesday_five = riga(17, 17)

    due = rules.add_business_minutes(RIGA, tuesday_five, 120)

    assert due == riga(19, 10)
    assert rules.business_minutes_between(RIGA, tuesday_five, due) == 120


def test_a_ticket_opened_at_night_starts_counting_at_nine():
    saturday_night = riga(21, 23)

    assert rules.add_business_minutes(RIGA, saturday_night, 1) == riga(23, 9, 1)
    assert rules.business_minutes_between(RIGA, saturday_night, riga(23, 9, 30)) == 30


def test_the_clock_is_right_across_the_autumn_clock_change():
    friday = riga(23, 17, month=10)

    due = rules.add_business_minutes(RIGA, friday, 120)

    assert due == riga(26, 10, month=10)
    assert due.hour == 8


def test_policies_pick_the_most_specific_match_and_default_by_priority():
    policies = [rules.PolicyRule("any", None, None, None, 480, 2400),
                rules.PolicyRule("gold", None, None, "gold", 60, 480),
                rules.PolicyRule("gold-delivery", None, "delivery", "gold", 30, 240)]

    assert rules.pick_targets(policies, priority="normal", category="delivery", tier="gold").policy_id == \
        "gold-delivery"
    assert rules.pick_targets(policies, priority="normal", category="payment", tier="gold").policy_id == "gold"
    assert rules.pick_targets(policies, priority="low", category="payment", tier=None).policy_id == "any"
    assert rules.pick_targets([], priority="urgent", category=None, tier=None).resolution_minutes == 240


def test_clock_states_for_the_queue():
    now = riga(23, 12)
    warn = timedelta(minutes=30)

    assert rules.clock_state(due_at=riga(23, 13), done_at=None, paused=False, now=now, warn_before=warn) == "ok"
    assert rules.clock_state(due_at=riga(23, 12, 20), done_at=None, paused=False, now=now,
                             warn_before=warn) == "warning"
    assert rules.clock_state(due_at=riga(23, 11), done_at=None, paused=False, now=now, warn_before=warn) == \
        "breached"
    assert rules.clock_state(due_at=riga(23, 11), done_at=None, paused=True, now=now, warn_before=warn) == "paused"
    assert rules.clock_state(due_at=riga(23, 11), done_at=riga(23, 10), paused=False, now=now,
                             warn_before=warn) == "met"


def test_a_review_of_two_stars_or_a_negative_one_needs_a_callback():
    assert rules.review_needs_callback(rating=2, sentiment=0.4)
    assert rules.review_needs_callback(rating=4, sentiment=-0.3)
    assert not rules.review_needs_callback(rating=3, sentiment=0.0)


def test_escalation_raises_priority_up_to_urgent():
    assert [rules.raise_priority(p) for p in ("low", "normal", "high", "urgent")] == \
        ["normal", "high", "urgent", "urgent"]


def test_a_calendar_without_working_days_or_a_real_zone_is_refused():
    assert Calendar(timezone="Mars/Olympus").problems()
    assert Calendar(weekdays=frozenset()).problems()
    assert Calendar(start=time(18), end=time(9)).problems()
    assert RIGA.problems() == []


calendars = st.builds(
    Calendar,
    timezone=st.sampled_from(["Europe/Riga", "UTC", "Asia/Shanghai", "America/New_York"]),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    start=st.integers(0, 11).map(lambda h: time(h)),
    end=st.integers(12, 23).map(lambda h: time(h, 59)),
    holidays=st.frozensets(st.dates(date(2026, 10, 20), date(2026, 11, 5)), max_size=4))
instants = st.integers(0, 16 * 24 * 60).map(lambda m: datetime(2026, 10, 20, tzinfo=UTC) + timedelta(minutes=m))


@settings(max_examples=60, deadline=None)
@given(calendar=calendars, start=instants, span=st.integers(0, 5 * 24 * 60))
def test_business_minutes_match_a_minute_by_minute_count(calendar, start, span):
    end = start + timedelta(minutes=span)

    assert rules.business_minutes_between(calendar, start, end) == reference_minutes(calendar, start, end)


@settings(max_examples=60, deadline=None)
@given(calendar=calendars, start=instants, minutes=st.integers(1, 3000))
def test_adding_business_minutes_lands_on_the_first_instant_with_that_many_behind_it(calendar, start, minutes):
    due = rules.add_business_minutes(calendar, start, minutes)

    assert rules.business_minutes_between(calendar, start, due) == minutes
    assert reference_minutes(calendar, start, due - timedelta(minutes=1)) == minutes - 1
