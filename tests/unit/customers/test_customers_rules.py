"""Customers rules: loyalty card check digits, distances, consent history, RFM scores and the segment rule
language (validated and evaluated without a database)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omniretail.customers import normalize, rules
from omniretail.customers.rules import ConsentEntry, Context, Facts

ANNA = uuid.UUID(int=1)
RIGA_CENTRS = str(uuid.UUID(int=100))
RIGA = (56.9474, 24.1106)
TALLINN = (59.4363, 24.7550)
T0 = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def facts(**kw: object) -> Facts:
    return Facts(customer_id=ANNA, **kw)  # type: ignore[arg-type]


# --- cards ---------------------------------------------------------------------------------------------------------

def test_the_luhn_check_digit_matches_the_published_example():
    assert rules.luhn_check_digit("7992739871") == "3"


def test_card_numbers_carry_the_prefix_a_fixed_length_and_a_valid_check_digit():
    number = rules.card_number(42)

    assert number.startswith(rules.CARD_PREFIX) and len(number) == rules.CARD_LENGTH
    assert rules.is_card_number(number)


@given(st.integers(min_value=0, max_value=10**10 - 1), st.integers(min_value=0, max_value=12),
       st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_never_passes_the_check(serial, position, shift):
    number = rules.card_number(serial)
    typo = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1:]

    assert not rules.is_card_number(typo)


# --- distances and consents ----------------------------------------------------------------------------------------

def test_riga_to_tallinn_is_about_280_km():
    assert 275 < rules.haversine_km(*RIGA, *TALLINN) < 285
    assert rules.haversine_km(*RIGA, *RIGA) == 0


def test_the_latest_consent_per_channel_counts_and_unasked_channels_are_none():
    history = [ConsentEntry("email", True, T0, "web"), ConsentEntry("email", False, T0 + timedelta(days=3), "pos"),
               ConsentEntry("sms", True, T0 + timedelta(days=1), "pos")]

    current = rules.current_consents(reversed(history))

    assert current["email"] is not None and current["email"].granted is False and current["email"].source == "pos"
    assert current["sms"] is not None and current["sms"].granted is True
    assert current["push"] is None


# --- RFM -----------------------------------------------------------------------------------------------------------

def test_rfm_scores_the_most_recent_frequent_big_spender_555_and_a_non_buyer_111():
    base = [facts(orders=n, spend_minor=n * 1000, recency_days=100 - n * 10) for n in range(1, 11)]
    edges = rules.rfm_edges(base)

    best = rules.rfm_scores(facts(orders=10, spend_minor=10_000, recency_days=0), edges)
    worst = rules.rfm_scores(facts(orders=1, spend_minor=1000, recency_days=90), edges)

    assert best == (5, 5, 5)
    assert worst == (1, 1, 1)
    assert rules.rfm_scores(facts(), edges) == (1, 1, 1)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=50),
       st.integers(min_value=0, max_value=10_000))
def test_a_score_is_always_1_to_5_and_never_drops_as_the_value_grows(values, value):
    edges = rules.quintile_edges([float(v) for v in values])

    low, high = rules.score(float(value), edges), rules.score(float(value + 1), edges)

    assert 1 <= low <= high <= 5


# --- the rule language ---------------------------------------------------------------------------------------------

def test_spend_and_orders_per_channel_compare_as_numbers():
    shopper = facts(orders=4, spend_minor=25_000, orders_by_channel={"web": 3, "store": 1})

    assert rules.matches({"field": "spend_minor", "op": "ge", "value": 20_000}, shopper)
    assert not rules.matches({"field": "spend_minor", "op": "lt", "value": 20_000}, shopper)
    assert rules.matches({"field": "orders.web", "op": "eq", "value": 3}, shopper)
    assert rules.matches({"field": "share.store", "op": "eq", "value": 25}, shopper)
    assert rules.matches({"field": "orders.marketplace", "op": "eq", "value": 0}, shopper)


def test_rfm_ranges_and_the_rfm_code_select_champions():
    champion = facts(orders=9, rfm=(5, 4, 5))
    sleeper = facts(orders=1, rfm=(1, 1, 2))
    rule = {"rfm": {"r": [4, 5], "f": [4, 5], "m": [4, 5]}}

    assert rules.matches(rule, champion) and not rules.matches(rule, sleeper)
    assert rules.matches({"field": "rfm", "op": "in", "value": ["545", "555"]}, champion)


def test_tags_tier_and_language_select_by_value():
    vip = facts(tags=frozenset({"vip", "makeup-artist"}), tier="gold", language="lv")

    assert rules.matches({"tag": "vip"}, vip)
    assert not rules.matches({"tag": "wholesale"}, vip)
    assert rules.matches({"field": "tier", "op": "in", "value": ["gold", "platinum"]}, vip)
    assert rules.matches({"all": [{"field": "language", "op": "eq", "value": "lv"}, {"not": {"tag": "staff"}}]}, vip)


def test_distance_to_a_store_uses_its_coordinates_from_the_context():
    near = facts(home=(56.95, 24.12))
    far = facts(home=TALLINN)
    homeless = facts()
    context = Context(locations={RIGA_CENTRS: RIGA})
    rule = {"within_km": {"km": 5, "location": RIGA_CENTRS}}

    assert rules.matches(rule, near, context)
    assert not rules.matches(rule, far, context)
    assert not rules.matches(rule, homeless, context)
    assert not rules.matches(rule, near, Context())
    assert rules.matches({"within_km": {"km": 300, "lat": RIGA[0], "lon": RIGA[1]}}, far)


def test_missing_facts_never_match_an_ordering_comparison():
    assert not rules.matches({"field": "recency_days", "op": "le", "value": 30}, facts())
    assert rules.matches({"field": "tier", "op": "ne", "value": "gold"}, facts())


def test_any_of_nothing_is_false_and_all_of_nothing_is_true():
    assert rules.matches({"all": []}, facts()) and not rules.matches({"any": []}, facts())


def test_validate_names_every_problem_with_its_path():
    problems = rules.validate({"all": [{"field": "spend", "op": "ge", "value": 1},
                                       {"field": "orders", "op": "about", "value": 1},
                                       {"rfm": {"r": [0, 9]}},
                                       {"within_km": {"km": -1, "location": "RIGA"}},
                                       {"colour": "red"}]})

    paths = [path for path, _ in problems]
    assert ("all", 0, "field") in paths
    assert ("all", 1, "op") in paths
    assert ("all", 2, "rfm", "r") in paths
    assert ("all", 3, "within_km", "km") in paths and ("all", 3, "within_km", "location") in paths
    assert ("all", 4, "colour") in paths


def test_a_well_formed_rule_validates_clean_and_its_locations_are_listed():
    rule = {"any": [{"within_km": {"km": 10, "location": RIGA_CENTRS}},
                    {"not": {"field": "spend_minor", "op": "in", "value": [0, 1]}}]}

    assert rules.validate(rule) == []
    assert rules.locations_in(rule) == {RIGA_CENTRS}


def test_rules_nested_too_deep_are_refused():
    rule: dict[str, object] = {"tag": "vip"}
    for _ in range(rules.MAX_DEPTH + 2):
        rule = {"not": rule}

    assert rules.validate(rule) != []


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.sampled_from(["all", "any", "not", "field", "op", "value", "tag",
                                                              "rfm", "within_km", "km", "r", "x"]), inner, max_size=3),
                           max_leaves=12)


@given(json_values)
def test_any_json_either_validates_and_evaluates_or_is_refused_without_crashing(rule):
    problems = rules.validate(rule)

    if not problems:
        assert isinstance(rules.matches(rule, facts(orders=2, spend_minor=500, home=RIGA)), bool)


simple_rules = st.sampled_from([{"tag": "vip"}, {"field": "orders", "op": "ge", "value": 2},
                                {"field": "spend_minor", "op": "lt", "value": 1000},
                                {"within_km": {"km": 50, "lat": RIGA[0], "lon": RIGA[1]}}])
shoppers = st.builds(lambda orders, spend, vip, lat: facts(orders=orders, spend_minor=spend,
                                                           tags=frozenset({"vip"} if vip else ()),
                                                           home=(lat, 24.1)),
                     st.integers(0, 20), st.integers(0, 5000), st.booleans(), st.floats(50, 60))


@given(simple_rules, simple_rules, shoppers)
def test_not_all_and_any_follow_boolean_logic(a, b, shopper):
    both = rules.matches({"all": [a, b]}, shopper)
    either = rules.matches({"any": [a, b]}, shopper)

    assert both == (rules.matches(a, shopper) and rules.matches(b, shopper))
    assert either == (rules.matches(a, shopper) or rules.matches(b, shopper))
    assert rules.matches({"not": a}, shopper) != rules.matches(a, shopper)


@given(shoppers, st.floats(1, 500), st.floats(0, 500))
def test_a_wider_radius_never_loses_a_customer(shopper, km, more):
    narrow = {"within_km": {"km": km, "location": RIGA_CENTRS}}
    wide = {"within_km": {"km": km + more, "location": RIGA_CENTRS}}
    context = Context(locations={RIGA_CENTRS: RIGA})

    assert not rules.matches(narrow, shopper, context) or rules.matches(wide, shopper, context)


# --- normalization -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["+371 2000 0000", "20000000", "(+371) 20-00-00-00", "0037120000000"])
def test_a_latvian_mobile_reads_the_same_however_it_is_typed(typed):
    assert normalize.phone(typed) == "+37120000000"


@pytest.mark.parametrize("typed", ["12", "not a phone", "+371 123", ""])
def test_what_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(normalize.NotNormal):
        normalize.phone(typed)


def test_names_fold_accents_and_case_for_prefix_search():
    assert normalize.name_key("Anna", "Bērziņa") == "anna berzina"
    assert normalize.postal_key("lv-1050 ") == "LV1050"
    assert normalize.email(" Anna@Shop.Example.COM ") == "anna@shop.example.com"
