"""Catalog rules: barcodes, accent folding, slugs, attribute types, locale fallback, publication windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from omniretail.catalog.rules import (
    Window,
    barcode_problem,
    coerce_attribute,
    fold,
    gtin_check_digit,
    pick,
    sku_problem,
    slugify,
)
from omniretail.catalog.search.text import allowed_typos, edit_distance, index_terms

NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)
FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in "5901234123457")


@pytest.mark.parametrize("code", ["5901234123457", "4006381333931", "036000291452", "96385074"])
def test_valid_ean13_upca_and_ean8_barcodes_pass(code):
    assert barcode_problem(code) is None


def test_a_wrong_check_digit_names_the_right_one():
    assert barcode_problem("5901234123458") == "check digit should be 7"


@pytest.mark.parametrize("code", ["59012341234", "59012341234567", "590123412345A", FULL_WIDTH])
def test_wrong_lengths_and_non_digits_are_not_barcodes(code):
    assert barcode_problem(code) is not None


def test_the_gs1_check_digit_of_a_upc_body():
    assert gtin_check_digit("03600029145") == 2


@pytest.mark.parametrize(("text", "folded"), [("Krēms", "krems"), ("Żel oczyszczający", "zel oczyszczajacy"),
                                              ("Ślęża Łódź", "sleza lodz"), ("Ёлка", "елка"), ("口红", "口红")])
def test_folding_drops_accents_and_case_but_keeps_cyrillic_and_chinese(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(("name", "slug"), [("Velvet Matte Lipstick!", "velvet-matte-lipstick"),
                                            ("Бархатная помада", "barkhatnaya-pomada"),
                                            ("Mitrinošs dienas krēms", "mitrinoss-dienas-krems"),
                                            ("丝绒 口红", "丝绒-口红"), ("!!!", "item")])
def test_slugs_are_folded_transliterated_and_hyphenated(name, slug):
    assert slugify(name) == slug


def test_a_sku_has_safe_characters_only():
    assert sku_problem("LIP-VELVET-07") is None
    assert sku_problem("LIP VELVET") is not None
    assert sku_problem("L") is not None


@pytest.mark.parametrize(("kind", "raw", "value"), [("number", "50", 50), ("number", "12,5", 12.5),
                                                    ("boolean", "yes", True), ("color", "#aa3344", "#AA3344"),
                                                    ("text", " ruby ", "ruby")])
def test_attribute_values_are_coerced_to_their_type(kind, raw, value):
    assert coerce_attribute(kind, raw) == (value, None)


def test_an_attribute_value_of_the_wrong_type_says_what_is_expected():
    assert coerce_attribute("number", "fifty")[1] == "a number is expected"
    assert coerce_attribute("boolean", True) == (True, None)
    assert coerce_attribute("number", True)[1] == "a number is expected"


def test_texts_fall_back_to_the_default_locale_then_any():
    assert pick({"en": "Lipstick", "pl": "Szminka"}, "pl") == "Szminka"
    assert pick({"en": "Lipstick", "pl": "Szminka"}, "lv") == "Lipstick"
    assert pick({"zh": "口红"}, "lv") == "口红"


def test_a_publication_window_includes_its_start_and_excludes_its_end():
    window = Window(NOON, NOON + timedelta(days=1))

    assert window.open_at(NOON)
    assert not window.open_at(NOON - timedelta(seconds=1))
    assert not window.open_at(NOON + timedelta(days=1))
    assert Window(None, None).open_at(NOON)


def test_typos_are_forgiven_by_word_length_and_counted_with_transpositions():
    assert (allowed_typos("lip"), allowed_typos("cream"), allowed_typos("lavender")) == (0, 1, 2)
    assert edit_distance("lavendr", "lavender") == 1
    assert edit_distance("craem", "cream") == 1


def test_chinese_names_are_indexed_by_words_and_character_bigrams():
    terms = set(index_terms("丝绒哑光口红"))

    assert {"口红", "丝绒"} <= terms
    assert "光口" in terms
