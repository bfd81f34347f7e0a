from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from omniretail.kernel import clock, i18n
from omniretail.kernel.ids import format_number, new_id


@pytest.mark.parametrize(("header", "expected"), [
    ("pl-PL,pl;q=0.9,en;q=0.8", "pl"),
    ("de-DE,de;q=0.9,ru;q=0.5", "ru"),
    ("zh-CN", "zh"),
    ("fr, lv;q=0.1", "lv"),
    ("", "en"),
    ("garbage;;q=x", "en"),
])
def test_accept_language_picks_the_best_language_we_speak(header, expected):
    assert i18n.negotiate(header) == expected


def test_the_account_language_wins_over_the_browser():
    assert i18n.negotiate("pl", preferred="lv") == "lv"


def test_every_locale_has_a_catalog_that_translates_the_sign_in_button():
    for locale in ("ru", "pl", "lv", "zh"):
        token = i18n.current_locale.set(locale)
        try:
            assert i18n.gettext("Sign in") != "Sign in"
        finally:
            i18n.current_locale.reset(token)


def test_the_clock_can_be_frozen_and_moved():
    clock.freeze(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))

    clock.advance(timedelta(hours=2))

    assert clock.now() == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def test_row_ids_sort_by_creation_time():
    ids = [new_id() for _ in range(50)]

    assert ids == sorted(ids)


def test_document_numbers_are_short_and_padded():
    assert format_number("W", 123) == "W-000123"
    assert format_number("R", 12345678) == "R-12345678"
