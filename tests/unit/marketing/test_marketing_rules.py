"""Consent policy and quiet-hours arithmetic, across midnight and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from omniretail.marketing.rules import (
    Channel,
    Purpose,
    QuietHours,
    Recipient,
    Status,
    can_move,
    is_quiet,
    may_send,
    next_allowed,
    respects_quiet_hours,
)

RIGA = ZoneInfo("Europe/Riga")
NIGHT = QuietHours.parse("21:00", "08:00")


def test_marketing_sms_needs_sms_consent_even_when_email_was_granted():
    anna = Recipient(erased=False, address="+37120000000", consented=frozenset({Channel.EMAIL}))

    decision = may_send(anna, channel=Channel.SMS, purpose=Purpose.MARKETING)

    assert not decision.allowed
    assert decision.reason == "no sms marketing consent"


def test_service_messages_need_no_consent_but_never_reach_an_erased_customer():
    anna = Recipient(erased=False, address="anna@shop.example.com", consented=frozenset())
    erased = Recipient(erased=True, address="anna@shop.example.com", consented=frozenset(Channel))

    assert may_send(anna, channel=Channel.EMAIL, purpose=Purpose.SERVICE).allowed
    assert may_send(erased, channel=Channel.EMAIL, purpose=Purpose.SERVICE).reason == "customer erased"


def test_a_message_without_an_address_is_suppressed_with_that_reason():
    nobody = Recipient(erased=False, address=None, consented=frozenset(Channel))

    assert may_send(nobody, channel=Channel.SMS, purpose=Purpose.SERVICE).reason == "no sms address"


def test_only_marketing_by_sms_or_push_waits_for_quiet_hours():
    assert respects_quiet_hours(channel=Channel.SMS, purpose=Purpose.MARKETING)
    assert respects_quiet_hours(channel=Channel.PUSH, purpose=Purpose.MARKETING)
    assert not respects_quiet_hours(channel=Channel.EMAIL, purpose=Purpose.MARKETING)
    assert not respects_quiet_hours(channel=Channel.SMS, purpose=Purpose.SERVICE)


def test_a_late_delivered_report_never_revives_a_failed_message():
    assert can_move(Status.SENT, Status.DELIVERED)
    assert not can_move(Status.FAILED, Status.DELIVERED)
    assert not can_move(Status.DELIVERED, Status.DELIVERED)


def test_the_window_wraps_midnight():
    assert NIGHT.covers(time(23, 30)) and NIGHT.covers(time(0, 0)) and NIGHT.covers(time(7, 59))
    assert not NIGHT.covers(time(8, 0)) and not NIGHT.covers(time(20, 59))
    assert not QuietHours.parse("09:00", "09:00").covers(time(9, 0))


def test_an_sms_at_half_past_eleven_in_riga_waits_until_eight_next_morning():
    now = datetime(2026, 11, 23, 23, 30, tzinfo=RIGA).astimezone(UTC)

    when = next_allowed(now, NIGHT, RIGA)

    assert when.astimezone(RIGA) == datetime(2026, 11, 24, 8, 0, tzinfo=RIGA)


def test_outside_quiet_hours_it_goes_now():
    now = datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC)

    assert next_allowed(now, NIGHT, RIGA) == now


def test_a_window_ending_inside_the_spring_forward_gap_ends_when_the_clock_jumps():
    quiet = QuietHours.parse("01:00", "03:30")  # Riga jumps from 03:00 to 04:00 on 2026-03-29
    now = datetime(2026, 3, 29, 1, 15, tzinfo=RIGA).astimezone(UTC)

    when = next_allowed(now, quiet, RIGA)

    assert when.astimezone(RIGA).replace(tzinfo=None) == datetime(2026, 3, 29, 4, 0)


def test_a_window_ending_inside_the_fall_back_hour_ends_at_its_first_occurrence():
    quiet = QuietHours.parse("01:00", "03:30")  # Riga repeats 03:00-04:00 on 2026-10-25
    now = datetime(2026, 10, 25, 1, 15, tzinfo=RIGA).astimezone(UTC)

    when = next_allowed(now, quiet, RIGA)

    assert when == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 03:30 at +03:00, the first time round


ZONES = st.sampled_from(["Europe/Riga", "Europe/Warsaw", "Asia/Shanghai", "America/New_York", "Australia/Lord_Howe",
                         "UTC", "Antarctica/Troll"])
MOMENTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC))
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@settings(max_examples=200, deadline=None)
@given(now=MOMENTS, start=TIMES, end=TIMES, zone=ZONES)
def test_next_allowed_is_the_first_minute_outside_the_window(now, start, end, zone):
    tz = ZoneInfo(zone)
    quiet = QuietHours(start, end)

    when = next_allowed(now, quiet, tz)

    assert when >= now
    assert not is_quiet(when, quiet, tz)
    assert when - now <= timedelta(hours=26)
    if when != now:
        assert when.second == 0 and when.microsecond == 0
        before = when - timedelta(minutes=1)
        assert before < now or is_quiet(before, quiet, tz)
