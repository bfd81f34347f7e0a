"""The back office's customer, loyalty and promotion pages over HTTP: search, the 360 view, roles, merging
duplicates, loyalty settings and coupon batches."""

from __future__ import annotations

import csv
import io
import re
import uuid

from omniretail.customers import service as customers_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service
from omniretail.loyalty import service as loyalty_service
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus


def _customer(db, given: str, family: str, *, email: str | None = None, phone: str | None = None) -> uuid.UUID:
    with db.transaction() as s:
        return customers_service.create_profile(session=s, actor="test", source="staff", given_name=given,
                                                family_name=family, email=email, phone=phone).id


def _points(db, customer_id: uuid.UUID, points: int, note: str) -> None:
    with db.transaction() as s:
        loyalty_service.adjust(session=s, customer_id=customer_id, points=points, note=note)


def _store(db) -> uuid.UUID:
    with db.transaction() as s:
        return inventory_service.create_location(session=s, actor=None, code="RIGA-CENTRS", name="Rīga Centrs",
                                                 kind="store", city="Riga", country="LV", latitude=56.95,
                                                 longitude=24.11, timezone="Europe/Riga").id


def _store_order(db, store: uuid.UUID, customer_id: uuid.UUID) -> tuple[uuid.UUID, str]:
    with db.transaction() as s:
        line = ordering_service.NewLine(uuid.uuid4(), "LIP-VELVET-07", "Lipstick Velvet 07", 2, 1499, 2998, 520,
                                        2100, store)
        order = ordering_service.create_order(session=s, actor="pos", new=ordering_service.NewOrder(
            channel_id=uuid.uuid4(), channel_code="pos-riga", channel_kind="store", location_id=store,
            customer_id=customer_id, cart_id=None, checkout_key=None, hold_ref=f"pos:{uuid.uuid4()}",
            currency="EUR", subtotal_minor=2998, tax_minor=520, shipping_minor=0, discount_minor=0,
            total_minor=2998, points=0, email=None, phone=None, delivery={"method": "carry_out"}, sourcing={},
            lines=(line,)), steps=[(OrderStatus.PAID, {})])
        return order.id, order.number


def test_search_finds_a_customer_by_phone_in_any_format(client, db, sign_in):
    anna = _customer(db, "Anna", "Bērziņa", phone="+37120000001", email="anna@shop.example.com")
    other = _customer(db, "Ilze", "Ozola", phone="+37120000002")
    owner = sign_in("owner@velvetine.shop.example.com")

    pages = {typed: owner.post("/admin/customers", data={"q": typed})
             for typed in ("+371 20 000 001", "20000001", "(+371) 2000-0001", "00371 20 00 00 01")}
    exported = owner.post("/admin/customers", data={"q": "2000 0001", "format": "csv"})

    for typed, page in pages.items():
        assert page.status_code == 200, page.text
        assert f"/admin/customers/{anna}" in page.text, typed
        assert f"/admin/customers/{other}" not in page.text, typed
        assert "0001" not in str(page.url)  # the search stays out of the URL
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert [r[0] for r in rows[1:]] == [str(anna)] and rows[1][4] == "'+37120000001"  # not a formula


def test_the_list_filters_by_tier_and_pages_on_the_server(client, db, sign_in):
    for n in range(3):
        _customer(db, f"Gold{n}", "Member", email=f"gold{n}@shop.example.com")
    with db.transaction() as s:
        for p in customers_service.search_profiles(session=s, q="gold", limit=10)[0]:
            customers_service.set_tier(session=s, customer_id=p.id, tier="gold")
    _customer(db, "Plain", "Shopper", email="plain@shop.example.com")
    owner = sign_in("owner@velvetine.shop.example.com")

    gold = owner.get("/admin/customers?tier=gold")
    everyone = owner.get("/admin/customers")

    assert re.search(r'id="customer-count">3<', gold.text) and "Plain" not in gold.text
    assert re.search(r'id="customer-count">4<', everyone.text)


def test_the_360_page_shows_orders_and_points(client, db, sign_in):
    store = _store(db)
    anna = _customer(db, "Anna", "Bērziņa", email="anna@shop.example.com")
    order_id, number = _store_order(db, store, anna)
    _points(db, anna, 150, "welcome gift")
    owner = sign_in("owner@velvetine.shop.example.com")

    page = owner.get(f"/admin/customers/{anna}")

    assert page.status_code == 200, page.text
    assert f'href="/admin/orders/{order_id}">{number}<' in page.text
    assert 'id="points-available">150<' in page.text and "welcome gift" in page.text
    assert "anna@shop.example.com" in page.text


def test_a_cashier_sees_the_customer_but_cannot_edit_export_or_erase(client, db, sign_in):
    store = _store(db)
    anna = _customer(db, "Anna", "Bērziņa", email="anna@shop.example.com")
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, store))

    view = cashier.get(f"/admin/customers/{anna}")
    edit = cashier.post(f"/admin/customers/{anna}", data={"given_name": "Mallory", "family_name": "X"})
    export = cashier.get(f"/admin/customers/{anna}/export")
    erase = cashier.post(f"/admin/customers/{anna}/erase", data={"confirm": "ERASE"})
    loyalty = cashier.get("/admin/loyalty")
    exported = cashier.post("/admin/customers", data={"q": "anna@shop.example.com", "format": "csv"})

    assert view.status_code == 200 and 'id="profile-form"' in view.text and "<fieldset disabled>" in view.text
    assert (edit.status_code, export.status_code, erase.status_code, loyalty.status_code, exported.status_code) == (
        403, 403, 403, 403, 403)
    with db.transaction(read_only=True) as s:
        profile = customers_service.get_profile(session=s, customer_id=anna)
        assert (profile.given_name, profile.status) == ("Anna", "active")


def test_a_manager_edits_the_profile_and_a_bad_phone_saves_nothing(client, db, sign_in):
    anna = _customer(db, "Anna", "Bērziņa", email="anna@shop.example.com")
    owner = sign_in("owner@velvetine.shop.example.com")
    form = {"given_name": "Anna", "family_name": "Kalniņa", "email": "anna@shop.example.com", "phone": "12",
            "birth_date": "", "language": "lv", "tags": "vip", "consent_email": "yes"}

    refused = owner.post(f"/admin/customers/{anna}", data=form, follow_redirects=False)
    saved = owner.post(f"/admin/customers/{anna}", data={**form, "phone": "+371 20 000 009"},
                       follow_redirects=False)

    assert refused.status_code == 422 and 'data-field="phone"' in refused.text
    assert 'value="Kalniņa"' in refused.text  # the input is kept
    assert saved.status_code == 303
    with db.transaction(read_only=True) as s:
        profile = customers_service.get_profile(session=s, customer_id=anna)
        consents = customers_service.consents_of(session=s, customer_id=anna)
        assert (profile.family_name, profile.phone, profile.tags) == ("Kalniņa", "+37120000009", ["vip"])
        assert consents["email"].granted and not consents["sms"].granted
        assert len(customers_service.consent_history(session=s, profile_id=anna)) == 1


def test_erasing_asks_for_confirmation_first(client, db, sign_in):
    anna = _customer(db, "Anna", "Bērziņa", email="anna@shop.example.com")
    owner = sign_in("owner@velvetine.shop.example.com")

    export = owner.get(f"/admin/customers/{anna}/export")
    ask = owner.get(f"/admin/customers/{anna}/erase")
    unconfirmed = owner.post(f"/admin/customers/{anna}/erase", data={"confirm": "yes"})
    with db.transaction(read_only=True) as s:
        still = customers_service.get_profile(session=s, customer_id=anna).status
    erased = owner.post(f"/admin/customers/{anna}/erase", data={"confirm": "ERASE"}, follow_redirects=False)

    assert export.status_code == 200 and export.json()["profile"]["email"] == "anna@shop.example.com"
    assert ask.status_code == 200 and 'id="erase-form"' in ask.text
    assert unconfirmed.status_code == 422 and still == "active"
    assert erased.status_code == 303
    with db.transaction(read_only=True) as s:
        profile = customers_service.get_profile(session=s, customer_id=anna)
        assert (profile.status, profile.email, profile.given_name) == ("erased", None, "")


def test_merging_two_duplicates_through_the_pages_keeps_both_ledgers_points(client, db, sign_in, dispatcher):
    web = _customer(db, "Anna", "Bērziņa", email="anna@shop.example.com")
    till = _customer(db, "Anna", "Berzina", email="Anna@Shop.example.com", phone="+37120000001")
    _points(db, web, 120, "web welcome")
    _points(db, till, 80, "store opening")
    dispatcher.drain()
    owner = sign_in("owner@velvetine.shop.example.com")

    listed = owner.get("/admin/customers/duplicates")
    first, second = sorted([web, till])
    compare = owner.get(f"/admin/customers/merge?first={first}&second={second}")
    unconfirmed = owner.post("/admin/customers/merge", data={"first": str(first), "second": str(second),
                                                             "survivor": str(web)})
    merged = owner.post("/admin/customers/merge", data={"first": str(first), "second": str(second),
                                                        "survivor": str(web), "reason": "same person",
                                                        "confirm": "yes"}, follow_redirects=False)
    dispatcher.drain()
    survivor_page = owner.get(f"/admin/customers/{web}")
    old_link = owner.get(f"/admin/customers/{till}", follow_redirects=False)

    assert f"/admin/customers/merge?first={first}&amp;second={second}" in listed.text
    assert compare.status_code == 200 and "store opening" not in compare.text and ">120 " in compare.text
    assert unconfirmed.status_code == 422 and 'data-field="confirm"' in unconfirmed.text
    assert merged.status_code == 303 and merged.headers["location"].startswith(f"/admin/customers/{web}")
    assert 'id="points-available">200<' in survivor_page.text
    assert old_link.status_code == 303 and old_link.headers["location"] == f"/admin/customers/{web}"
    with db.transaction(read_only=True) as s:
        assert loyalty_service.balance(session=s, customer_id=web).available == 200
        assert loyalty_service.balance(session=s, customer_id=till).available == 0


def test_loyalty_settings_with_a_bad_value_show_a_field_error_and_save_nothing(client, db, sign_in):
    marketer = sign_in("marketing@velvetine.shop.example.com", Grant(Role.MARKETER))
    form = {"name": "Velvet Club", "currency": "EUR", "points_per_unit": "5", "point_value_minor": "0",
            "return_window_days": "14", "expiry_months": "24", "min_redeem_points": "100",
            "referral_points": "300"}

    bad = marketer.post("/admin/loyalty/program", data=form)
    not_a_number = marketer.post("/admin/loyalty/program", data={**form, "point_value_minor": "1", "expiry_months":
                                                                 "two years"})
    with db.transaction(read_only=True) as s:
        unchanged = loyalty_service.program_settings(session=s)
    good = marketer.post("/admin/loyalty/program", data={**form, "point_value_minor": "2"}, follow_redirects=False)

    assert bad.status_code == 422 and 'data-field="point_value_minor"' in bad.text
    assert 'value="Velvet Club"' in bad.text
    assert not_a_number.status_code == 422 and 'data-field="expiry_months"' in not_a_number.text
    assert (unchanged.name, unchanged.points_per_unit, unchanged.point_value_minor) == ("Members", 1, 1)
    assert good.status_code == 303
    with db.transaction(read_only=True) as s:
        saved = loyalty_service.program_settings(session=s)
        assert (saved.name, saved.points_per_unit, saved.point_value_minor, saved.expiry_months) == (
            "Velvet Club", 5, 2, 24)


def test_a_tier_is_added_and_a_members_points_are_adjusted_with_a_reason(client, db, sign_in):
    anna = _customer(db, "Anna", "Bērziņa", email="anna@shop.example.com")
    _points(db, anna, 50, "opening")
    marketer = sign_in("marketing@velvetine.shop.example.com", Grant(Role.MARKETER))

    tier = marketer.post("/admin/loyalty/tier", data={"code": "gold", "name": "Gold", "min_spend_minor": "50000",
                                                      "multiplier_percent": "150", "birthday_points": "0",
                                                      "free_shipping": "yes"}, follow_redirects=False)
    no_reason = marketer.post("/admin/loyalty/adjust", data={"member": "anna@shop.example.com", "points": "-20",
                                                             "note": ""})
    adjusted = marketer.post("/admin/loyalty/adjust", data={"member": "anna@shop.example.com", "points": "-20",
                                                            "note": "damaged voucher"}, follow_redirects=False)

    assert tier.status_code == 303
    assert no_reason.status_code == 422 and 'data-field="note"' in no_reason.text
    assert adjusted.status_code == 303
    with db.transaction(read_only=True) as s:
        assert [(t.code, t.multiplier_percent, t.free_shipping) for t in loyalty_service.tiers(session=s)] == [
            ("gold", 150, True)]
        entries = loyalty_service.history(session=s, customer_id=anna)
        assert [(e.points, e.note) for e in entries] == [(-20, "damaged voucher"), (50, "opening")]
        assert loyalty_service.balance(session=s, customer_id=anna).available == 30


def test_a_coupon_batch_is_generated_and_exported_as_csv(client, db, sign_in):
    marketer = sign_in("marketing@velvetine.shop.example.com", Grant(Role.MARKETER))

    bad = marketer.post("/admin/promotions/new", data={"name": "Winter", "kind": "percent_off", "percent": "0",
                                                       "active": "yes"})
    created = marketer.post("/admin/promotions/new", data={"name": "Winter 10", "kind": "percent_off",
                                                           "percent": "10", "usage_limit": "500", "active": "yes"},
                            follow_redirects=False)
    promotion = created.headers["location"].split("?")[0]
    batch = marketer.post(f"{promotion}/coupons", data={"count": "25", "prefix": "WIN", "usage_limit": "1"},
                          follow_redirects=False)
    listed = marketer.get(batch.headers["location"])
    batch_code = re.search(r"batch=(B[0-9A-F]+)", batch.headers["location"]).group(1)
    exported = marketer.get(f"{promotion}/coupons.csv?batch={batch_code}")
    overview = marketer.get("/admin/promotions?format=csv")

    assert bad.status_code == 422 and 'data-field="percent_bp"' in bad.text
    assert created.status_code == 303, created.text
    assert batch.status_code == 303 and 'id="coupons-made">25<' in listed.text
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["code", "batch", "usage_limit", "uses", "created"]
    assert len(rows) == 26 and len({r[0] for r in rows[1:]}) == 25
    assert all(r[0].startswith("WIN") and r[1] == batch_code and r[2] == "1" and r[3] == "0" for r in rows[1:])
    assert [r[1] for r in csv.reader(io.StringIO(overview.text))][1:] == ["Winter 10"]


def test_a_store_marketer_only_manages_their_stores_promotions(client, db, sign_in):
    store = _store(db)
    admin = sign_in("owner@velvetine.shop.example.com")
    chain = admin.post("/admin/promotions/new", data={"name": "Chain 5", "kind": "percent_off", "percent": "5",
                                                      "active": "yes"}, follow_redirects=False)
    local = sign_in("riga-marketing@velvetine.shop.example.com", Grant(Role.MARKETER, store))

    listed = local.get("/admin/promotions")
    other = local.get(chain.headers["location"].split("?")[0])
    chainwide = local.post("/admin/promotions/new", data={"name": "Mine", "kind": "percent_off", "percent": "5"})
    mine = local.post("/admin/promotions/new", data={"name": "Riga 5", "kind": "percent_off", "percent": "5",
                                                     "stores": str(store), "active": "yes"}, follow_redirects=False)

    assert "Chain 5" not in listed.text and other.status_code == 403
    assert chainwide.status_code == 422 and 'data-field="stores"' in chainwide.text
    assert mine.status_code == 303 and "Riga 5" in local.get("/admin/promotions").text


def test_the_pages_send_strangers_to_sign_in(client, db):
    for path in ("/admin/customers", "/admin/loyalty", "/admin/promotions"):
        response = client.get(path, follow_redirects=False)

        assert response.status_code == 303 and response.headers["location"].startswith("/admin/login")


def test_the_settlement_report_renders_and_exports_for_analysts_only(client, db, sign_in):
    store = _store(db)
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, store))
    refused = cashier.get("/admin/loyalty/settlement")
    owner = sign_in("owner@velvetine.shop.example.com")

    page = owner.get("/admin/loyalty/settlement?from=2026-11-01&to=2026-11-30")
    exported = owner.get("/admin/loyalty/settlement?from=2026-11-01&to=2026-11-30&format=csv")
    bad = owner.get("/admin/loyalty/settlement?from=yesterday")

    assert refused.status_code == 403
    assert page.status_code == 200 and 'id="settlement"' in page.text
    assert exported.text.splitlines() == ["earned_at,redeemed_at,points,value,currency"]
    assert bad.status_code == 422


def test_a_promotion_is_edited_through_its_page(client, db, sign_in):
    marketer = sign_in("marketing@velvetine.shop.example.com", Grant(Role.MARKETER))
    form = {"name": "3 for 2", "kind": "buy_x_get_y", "buy": "2", "get": "1", "active": "yes",
            "starts_at": "2026-12-01T00:00", "ends_at": "2026-11-30T00:00"}
    backwards = marketer.post("/admin/promotions/new", data=form)
    created = marketer.post("/admin/promotions/new", data={**form, "ends_at": "2026-12-31T00:00",
                                                           "usage_limit": "1000"}, follow_redirects=False)
    url = created.headers["location"].split("?")[0]

    page = marketer.get(url)
    edited = marketer.post(url, data={**form, "name": "3 for 2 (Christmas)", "ends_at": "2026-12-24T00:00",
                                      "usage_limit": "2000", "active": ""}, follow_redirects=False)
    listed = marketer.get("/admin/promotions?format=csv")

    assert backwards.status_code == 422 and 'data-field="ends_at"' in backwards.text
    assert 'name="get" value="1"' in page.text and 'value="2026-12-31T00:00"' in page.text
    assert edited.status_code == 303
    row = list(csv.reader(io.StringIO(listed.text)))[1]
    assert row[1:8] == ["3 for 2 (Christmas)", "buy_x_get_y", "False", "2026-12-01T00:00:00+00:00",
                        "2026-12-24T00:00:00+00:00", "False", "2000"]
