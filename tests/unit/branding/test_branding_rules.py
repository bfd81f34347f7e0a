"""Brand rules: colour pairs must read at WCAG AA, names are short and clean, logos shrink to fit."""

from __future__ import annotations

import pytest

from omniretail.branding.rules import Palette, contrast, logo_size, name_problem, palette_problems


def test_black_on_white_is_the_largest_contrast_and_a_colour_on_itself_the_smallest():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#b0305a", "#b0305a") == pytest.approx(1.0)


def test_the_default_rose_palette_reads_at_aa():
    assert palette_problems(Palette("#b0305a", "#1d1d1f", "#faf8f6")) == {}


def test_a_pale_accent_under_white_button_text_is_refused():
    problems = palette_problems(Palette("#f4a7b9", "#1d1d1f", "#faf8f6"))

    assert set(problems) == {"accent"}


def test_grey_text_on_a_grey_background_is_refused():
    assert set(palette_problems(Palette("#8a2846", "#999999", "#bbbbbb"))) == {"ink"}


@pytest.mark.parametrize("bad", ["red", "#fff", "#gggggg", "", "#b0305a;}"])
def test_only_six_digit_hex_colours_are_taken(bad):
    assert "accent" in palette_problems(Palette(bad, "#1d1d1f", "#faf8f6"))


@pytest.mark.parametrize(("name", "ok"), [("Dzintars Beauty", True), ("  ", False), ("x" * 81, False),
                                          ("Tab\tshop", False), ("丝绒美妆", True)])
def test_shop_names_are_one_to_eighty_printable_characters(name, ok):
    assert (name_problem(name) is None) is ok


def test_a_wide_logo_shrinks_to_the_box_keeping_its_proportions_and_a_small_one_stays():
    assert logo_size(1920, 320) == (480, 80)
    assert logo_size(200, 100) == (200, 100)
    assert logo_size(100, 4000) == (4, 160)
