"""The offline sentiment scorer: accuracy per language on the kept samples, negation, bounds, the CLI report."""
# ruff: noqa: RUF001

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from omniretail.reviews import evaluation, sentiment
from omniretail.reviews.cli import app


@pytest.mark.parametrize("locale", ["en", "ru", "pl", "lv", "zh"])
def test_each_language_reads_at_least_80_percent_of_its_sample_right(locale):
    result = evaluation.evaluate(locale)

    assert result.total >= 100 and result.positives == result.negatives
    assert result.accuracy >= 0.8, result.misses


@pytest.mark.parametrize(("locale", "plain", "negated"), [
    ("en", "I recommend this cream", "I don't recommend this cream"),
    ("ru", "Рекомендую этот крем", "Не рекомендую этот крем"),
    ("pl", "Polecam ten krem", "Nie polecam tego kremu"),
    ("lv", "Iesaku šo krēmu", "Neiesaku šo krēmu"),
    ("zh", "满意", "不满意"),
])
def test_negation_turns_praise_into_complaint(locale, plain, negated):
    assert sentiment.score(plain, locale, model=False).label == "positive"
    assert sentiment.score(negated, locale, model=False).label == "negative"


def test_the_clause_after_but_weighs_more():
    assert sentiment.score("The box is pretty but the cream gave me a rash", "en").label == "negative"
    assert sentiment.score("Не дешёвый, но отличный крем", "ru").label == "positive"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["en", "ru", "pl", "lv", "zh", "de"]))
def test_any_text_scores_within_bounds(text, locale):
    found = sentiment.score(text, locale, model=False)

    assert -1.0 <= found.score <= 1.0
    assert found.label == sentiment.label_of(found.score)


def test_the_evaluate_command_prints_accuracy_and_counts_per_language():
    result = CliRunner().invoke(app, ["evaluate"])

    assert result.exit_code == 0, result.output
    for locale in ("en", "ru", "pl", "lv", "zh"):
        assert locale in result.output
    assert "100" in result.output and "%" in result.output
