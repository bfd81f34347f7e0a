"""Box choice, rate shopping, tracking steps and delays: pure rules."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from omniretail.fulfillment import rules
from omniretail.fulfillment.rules import Box, Item, Rate, Service

SMALL = Box("S", 200, 150, 80, 2000, 80, 45)
MEDIUM = Box("M", 300, 250, 150, 5000, 150, 70)
LARGE = Box("L", 450, 350, 250, 15000, 300, 120)
LIP = Item(uuid.uuid4(), "LIP-VELVET-07", 90, 25, 25, 60)
DRYER = Item(uuid.uuid4(), "HAIR-DRYER-2000", 280, 220, 110, 900)
MONDAY_NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _service(code: str, price: int, days: int, cutoff: time = time(16)) -> Service:
    return Service("baltic-post", code, code, days, cutoff, {"LV": "home", "*": "eu"},
                   (Rate("home", 2000, price), Rate("home", 10000, price * 2), Rate("eu", 10000, price * 3)))


def test_a_few_lipsticks_go_in_the_cheapest_small_box():
    assert rules.pack([LIP] * 4, [LARGE, MEDIUM, SMALL]) == [rules.Parcel(SMALL, (LIP,) * 4)]


def test_a_hair_dryer_needs_the_medium_box_whatever_its_rotation():
    assert rules.cheapest_box([DRYER], [SMALL, MEDIUM, LARGE]) == MEDIUM


def test_too_much_for_the_largest_box_is_split_into_as_few_parcels_as_fit():
    parcels = rules.pack([DRYER] * 7, [SMALL, MEDIUM, LARGE])

    assert not isinstance(parcels, str)
    assert sum(len(p.items) for p in parcels) == 7 and len(parcels) == 2
    assert all(rules.fits(list(p.items), p.box) for p in parcels)


def test_an_item_bigger_than_every_box_is_refused_with_its_sku():
    ladder = Item(uuid.uuid4(), "LADDER-3M", 3000, 400, 100, 8000)

    assert rules.pack([ladder], [SMALL, LARGE]) == "no box holds LADDER-3M"


def test_rate_shopping_picks_the_cheapest_service_that_arrives_by_the_promise_and_says_why():
    economy, express = _service("economy", 300, 4), _service("express", 900, 1)

    promised_soon = rules.shop_rates([economy, express], country="LV", grams=500, now=MONDAY_NOON,
                                     promised_by=date(2026, 11, 25))
    promised_late = rules.shop_rates([economy, express], country="LV", grams=500, now=MONDAY_NOON,
                                     promised_by=date(2026, 11, 30))

    assert promised_soon.quote is not None and promised_soon.quote.service.code == "express"
    assert promised_late.quote is not None and promised_late.quote.service.code == "economy"
    assert "cheapest of 2 service(s) arriving by 2026-11-30" in promised_late.reason


def test_after_the_cut_off_a_parcel_ships_the_next_working_day():
    friday_evening = datetime(2026, 11, 27, 18, tzinfo=UTC)

    assert rules.ship_date(_service("economy", 300, 2), friday_evening) == date(2026, 11, 30)
    assert rules.ship_date(_service("economy", 300, 2), MONDAY_NOON) == date(2026, 11, 23)


def test_the_weight_band_and_zone_set_the_price():
    service = _service("economy", 300, 3)

    assert service.price("LV", 1500) == 300 and service.price("LV", 2500) == 600
    assert service.price("DE", 2500) == 900 and service.price("LV", 20000) is None


def test_tracking_steps_follow_the_parcel_and_refuse_going_backwards():
    assert rules.can_track("packed", "picked_up").allowed
    assert not rules.can_track("delivered", "in_transit").allowed
    assert rules.can_track("packed", "teleported").reason == "unknown tracking event 'teleported'"


def test_a_parcel_in_transit_for_more_than_two_days_is_overdue():
    expected = rules.next_expected("in_transit", MONDAY_NOON)

    assert expected == MONDAY_NOON + timedelta(hours=48)
    assert not rules.overdue(expected, MONDAY_NOON + timedelta(hours=47))
    assert rules.overdue(expected, MONDAY_NOON + timedelta(hours=49))


def test_webhook_signatures_are_checked_in_constant_time():
    body = b'{"id":"evt-1"}'

    assert rules.signature_ok("s3cret", body, rules.sign("s3cret", body))
    assert not rules.signature_ok("s3cret", body, rules.sign("other", body))
    assert not rules.signature_ok("s3cret", body, None)


def test_pick_lists_walk_the_bins_in_order_with_unknown_bins_last():
    lip, serum, mascara = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    lines = [(serum, "SERUM-GLOW-30", 1, "W-1"), (lip, "LIP-VELVET-07", 2, "W-1"), (lip, "LIP-VELVET-07", 1, "W-2"),
             (mascara, "MASCARA-XL-01", 1, "W-2")]

    picked = rules.pick_list(lines, {lip: "A-02", serum: "A-01"})

    assert [(p.bin, p.sku, p.quantity, p.orders) for p in picked] == [
        ("A-01", "SERUM-GLOW-30", 1, ("W-1",)), ("A-02", "LIP-VELVET-07", 3, ("W-1", "W-2")),
        ("", "MASCARA-XL-01", 1, ("W-2",))]


def test_the_name_check_accepts_one_of_the_names_on_the_order():
    assert rules.names_match("Anna Bērziņa", "anna")
    assert not rules.names_match("Anna Bērziņa", "Ilze")
    assert rules.normalize_code(" ab-cd 12 34 ") == "ABCD1234"
