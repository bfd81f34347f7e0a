"""Channel set-up rules: every problem of a channel's settings is named with its field."""

from __future__ import annotations

from omniretail.channels.rules import check_setup


def test_a_web_shop_in_euro_speaking_latvian_and_english_may_be_saved():
    problems = check_setup(kind="web", currency="EUR", locales=["lv", "en"], default_locale="lv",
                           payment_methods=["card"], delivery_methods=["courier"])

    assert problems == []


def test_every_wrong_setting_is_reported_at_once():
    problems = check_setup(kind="kiosk", currency="eur", locales=["lv", "de"], default_locale="en",
                           payment_methods=["barter"], delivery_methods=["pigeon"])

    assert [p.field for p in problems] == ["kind", "currency", "locales", "default_locale", "payment_methods",
                                           "delivery_methods"]
