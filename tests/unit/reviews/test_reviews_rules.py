"""Pure review rules: moderation checks per language, rating summaries, the callback rule, NPS, survey tokens."""
# ruff: noqa: RUF001

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omniretail.reviews import rules


@pytest.mark.parametrize(("locale", "text"), [
    ("ru", "Полное говно, а не крем"),
    ("pl", "Co za gówno"),
    ("lv", "Pilnīgs sūds"),
    ("zh", "这个商家真是傻逼"),
])
def test_swear_words_are_caught_in_their_language(locale, text):
    assert rules.moderate(title="Review", body=text, locale=locale).flags == ("profanity",)


@pytest.mark.parametrize(("locale", "text"), [
    ("lv", "Uzrakstīju sūdzību, bet atbildēja ātri"),
    ("ru", "Сукно на коробке красивое, крем хороший"),
    ("en", "Lovely scent, soft skin"),
    ("zh", "非常好用，推荐"),
])
def test_ordinary_words_that_look_like_swearing_pass(locale, text):
    assert rules.moderate(title="Review", body=text, locale=locale).clean


def test_english_swear_words_come_from_the_package_list():
    assert rules.moderate(title="x", body="what a crap cream", locale="en", english_words={"crap"}).flags == (
        "profanity",)


@pytest.mark.parametrize(("body", "flag"), [
    ("Order cheaper at https://deals.example.com now", "link"),
    ("Call me on +371 2000 0000 for a discount", "contact"),
    ("加微信买便宜货", "contact"),
    ("Soooooooooo good", "repeated-characters"),
    ("THIS IS THE WORST CREAM I HAVE EVER BOUGHT IN MY LIFE", "shouting"),
    ("buy buy buy buy buy buy buy buy cream", "repetitive"),
])
def test_spam_signals(body, flag):
    assert flag in rules.spam_signals("Title", body)


@pytest.mark.parametrize(("rating", "sentiment", "expected"), [
    (1, 0.9, True), (2, 0.0, True), (3, -0.4, True), (5, -0.06, True), (3, 0.0, False), (4, 0.7, False),
])
def test_a_low_rating_or_a_negative_text_needs_a_callback(rating, sentiment, expected):
    assert rules.needs_callback(rating=rating, sentiment=sentiment) is expected


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=200))
def test_the_summary_from_counts_equals_the_summary_of_the_ratings(ratings):
    counts = {star: ratings.count(star) for star in set(ratings)}

    direct, grouped = rules.summarize(ratings), rules.summary_from_counts(counts)

    assert direct == grouped
    assert sum(direct.histogram.values()) == direct.count == len(ratings)
    assert (1.0 <= direct.average <= 5.0) if ratings else direct.average == 0.0


def test_nps_is_promoters_less_detractors_in_percent():
    report = rules.nps([10, 9, 9, 8, 7, 6, 0, 10])

    assert (report.promoters, report.passives, report.detractors) == (4, 2, 2)
    assert report.score == 25
    assert rules.nps([]).score == 0


def test_a_survey_token_is_bound_to_its_survey_and_secret():
    survey_id = uuid.uuid4()
    token = rules.survey_token(survey_id, "secret-one")

    assert rules.read_survey_token(token, "secret-one") == survey_id
    assert rules.read_survey_token(token, "secret-two") is None
    assert rules.read_survey_token(rules.survey_token(uuid.uuid4(), "secret-one").split(".")[0] + "."
                                   + token.split(".")[1], "secret-one") is None
    assert rules.read_survey_token("not-a-token", "secret-one") is None
