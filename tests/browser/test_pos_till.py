"""The till in a real headless Chromium: a cashier opens the drawer, scans, takes split payment with change,
prints the receipt and closes the drawer with a Z-report that balances."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.payments.rules import TEST_CARD_APPROVE

pytestmark = pytest.mark.browser
PASSWORD = "velvet-lipstick-07"


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


def _cashier_at_riga(db):
    with db.transaction() as session:
        shop = retailer(session)
        identity_service.create_staff(session=session, actor=None, email="kasiere@shop.example.com", name="Kasiere",
                                      password=PASSWORD, grants=[Grant(Role.CASHIER, shop.riga)])
    return shop


def _sign_in(page, url):
    page.goto(f"{url}/pos")
    page.fill("input[name=email]", "kasiere@shop.example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#till-open-form")


def test_a_cashier_sells_with_cash_and_card_prints_the_receipt_and_closes_the_drawer(db, live_server, page,
                                                                                        artifacts):
    _cashier_at_riga(db)
    _sign_in(page, live_server.url)

    page.fill("#till-float", "100.00")
    page.click("#till-open-form button[type=submit]")
    for code in ("LIP-VELVET-07", "LIP-VELVET-07", "MASCARA-XL-01"):
        page.fill("#till-scan", code)
        page.press("#till-scan", "Enter")
        page.wait_for_timeout(50)
    page.wait_for_function("document.querySelector('#till-total').textContent === '49.97'")
    assert page.locator("#till-lines tr[data-sku='LIP-VELVET-07'] .qty").inner_text() == "2"

    page.click("[data-method=cash]")
    page.fill("#till-amount", "20.00")
    page.fill("#till-extra", "50.00")
    page.click("#till-add-tender")
    page.click("[data-method=card]")
    assert page.input_value("#till-amount") == "29.97"
    page.fill("#till-extra", TEST_CARD_APPROVE)
    page.click("#till-add-tender")
    page.click("#till-complete")

    page.wait_for_selector("#till-done:not([hidden])")
    receipt = page.locator("#till-receipt").inner_text()
    assert page.locator("#till-receipt").get_attribute("data-number") in receipt
    assert "49.97" in receipt or "49,97" in receipt
    assert page.locator("#till-change").inner_text() == "Change: 30.00"
    page.screenshot(path=str(artifacts / "pos-receipt.png"), full_page=True)

    page.click("#till-new")
    page.click("#till-close-drawer")
    page.fill("#till-counted", "120.00")
    page.click("#till-close-form button[type=submit]")
    page.wait_for_selector("#till-z:not([hidden])")
    z = page.locator("#till-z").inner_text()
    assert "Expected cash: 120.00" in z and "Over / short: 0.00" in z


def test_an_unknown_code_is_said_plainly_and_the_sale_goes_on(db, live_server, page):
    _cashier_at_riga(db)
    _sign_in(page, live_server.url)
    page.fill("#till-float", "50")
    page.click("#till-open-form button[type=submit]")

    page.fill("#till-scan", "0000000000000")
    page.press("#till-scan", "Enter")
    page.wait_for_selector("#till-status.bad")
    assert "No product with this code" in page.locator("#till-status").inner_text()
    page.fill("#till-scan", "SERUM-GLOW-30")
    page.press("#till-scan", "Enter")
    page.wait_for_function("document.querySelector('#till-total').textContent === '29.99'")


def test_the_scan_endpoint_needs_a_signed_in_seller(client, db):
    assert client.get("/api/v1/pos/scan?code=LIP-VELVET-07").status_code == 401


def _count_orders(db):
    from omniretail.ordering import service as ordering_service

    with db.transaction(read_only=True) as session:
        page = ordering_service.list_orders(session=session, cursor=None, limit=50)
        return [(o.number, o.total_minor) for o in page.items]


def test_sales_go_on_while_the_server_is_down_and_sync_once_when_it_is_back(db, settings, page):
    from omniretail.app import create_app
    from tests.conftest import LiveServer
    from tests.support.postgres import free_port

    _cashier_at_riga(db)
    port = free_port()
    server = LiveServer(create_app(settings, db=db, run_dispatcher=False), port).__enter__()
    _sign_in(page, server.url)
    page.fill("#till-float", "100.00")
    page.click("#till-open-form button[type=submit]")
    page.wait_for_selector("#till[data-cached='3']")
    page.fill("#till-scan", "LIP-VELVET-07")
    page.press("#till-scan", "Enter")
    page.wait_for_function("document.querySelector('#till-total').textContent === '14.99'")

    server.__exit__()  # the server goes away in the middle of a sale
    page.fill("#till-scan", "SERUM-GLOW-30")
    page.press("#till-scan", "Enter")
    page.wait_for_function("document.querySelector('#till-total').textContent === '44.98'")
    assert "Offline" in page.locator("#till-status").inner_text()
    page.click("[data-method=cash]")
    page.fill("#till-extra", "50.00")
    page.click("#till-add-tender")
    page.click("#till-complete")
    page.wait_for_selector("#till-done:not([hidden])")
    assert "Change: 5.02" in page.locator("#till-change").inner_text()
    page.click("#till-new")
    page.fill("#till-scan", "MASCARA-XL-01")
    page.press("#till-scan", "Enter")
    page.wait_for_function("document.querySelector('#till-total').textContent === '19.99'")
    page.click("[data-method=cash]")
    page.click("#till-add-tender")
    page.click("#till-complete")
    page.wait_for_selector("#till-done:not([hidden])")
    assert page.locator("#till-queue").inner_text().startswith("Sales waiting to be sent: 2")
    assert _count_orders(db) == []

    back = LiveServer(create_app(settings, db=db, run_dispatcher=False), port).__enter__()
    try:
        page.wait_for_selector("#till-queue[hidden]", state="attached", timeout=20_000)
        page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 6000))")  # another sync round passes
        assert sorted(total for _, total in _count_orders(db)) == [1999, 4498]
    finally:
        back.__exit__()


def test_training_mode_says_so_and_changes_no_stock_money_or_orders(db, live_server, page):
    from omniretail.inventory import service as inventory_service

    shop = _cashier_at_riga(db)
    _sign_in(page, live_server.url)
    page.click("#till-training")
    assert page.locator("#till-training-banner").is_visible()
    assert "training" in page.locator("body").get_attribute("class")
    page.wait_for_selector("#till-sale:not([hidden])")  # no drawer to open in training

    page.fill("#till-scan", "SERUM-GLOW-30")
    page.press("#till-scan", "Enter")
    page.wait_for_function("document.querySelector('#till-total').textContent === '29.99'")
    page.click("[data-method=cash]")
    page.fill("#till-extra", "40.00")
    page.click("#till-add-tender")
    page.click("#till-complete")
    page.wait_for_selector("#till-done:not([hidden])")

    assert "TRAINING - NOT A SALE" in page.locator("#till-receipt").inner_text()
    assert page.locator("#till-change").inner_text() == "Change: 10.01"
    assert _count_orders(db) == []
    with db.transaction(read_only=True) as session:
        [level] = inventory_service.availability(session=session, variant_ids=[shop.serum], location_ids=[shop.riga])
    assert (level.on_hand, level.reserved) == (10, 0)


def test_a_cashier_sells_three_scanned_items_to_a_member_with_cash_and_a_gift_card(db, live_server, page, artifacts):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "promotions"))
    from offers_factories import programme

    from omniretail.customers import service as customers_service
    from omniretail.kernel.money import Money
    from omniretail.payments import service as payments_service

    _cashier_at_riga(db)
    with db.transaction() as session:
        programme(session)
        member = customers_service.create_profile(session=session, actor="test", source="pos", given_name="Ilze",
                                                  family_name="Ozola", phone="+371 2000 0001", region="LV")
        _, gift_code = payments_service.issue_gift_card(session=session, amount=Money(1000, "EUR"), ref="test-gc")
        member_id = member.id
    _sign_in(page, live_server.url)
    page.fill("#till-float", "100.00")
    page.click("#till-open-form button[type=submit]")
    for code in ("LIP-VELVET-07", "SERUM-GLOW-30", "MASCARA-XL-01"):
        page.fill("#till-scan", code)
        page.press("#till-scan", "Enter")
        page.wait_for_timeout(50)
    page.wait_for_function("document.querySelector('#till-total').textContent === '64.97'")

    page.fill("#till-member", "20000001")
    page.click("#till-member-form button[type=submit]")
    page.click("#till-members button")
    page.wait_for_selector("#till-member-card:not([hidden])")
    assert "Ilze Ozola" in page.locator("#till-member-card").inner_text()

    page.click("[data-method=gift_card]")
    page.fill("#till-amount", "10.00")
    page.fill("#till-extra", gift_code)
    page.click("#till-add-tender")
    page.click("[data-method=cash]")
    page.fill("#till-extra", "60.00")
    page.click("#till-add-tender")
    page.click("#till-complete")
    page.wait_for_selector("#till-done:not([hidden]), #till-status.bad")
    assert page.locator("#till-status").inner_text() == ""
    page.screenshot(path=str(artifacts / "pos-member-receipt.png"), full_page=True)

    receipt = page.locator("#till-receipt").inner_text()
    # 1 point per whole euro of each line (14.99, 29.99 and 19.99 earn 14 + 29 + 19), pending until the
    # return window closes.
    assert "Points earned" in receipt and "62" in receipt.split("Points earned")[1].split("\n")[0]
    assert page.locator("#till-change").inner_text() == "Change: 5.03"
    from omniretail.loyalty import service as loyalty_service

    for _ in range(100):  # the points are earned by the worker once the order is placed
        with db.transaction(read_only=True) as session:
            pending = loyalty_service.summary_for(session=session, customer_id=member_id).pending
        if pending:
            break
        page.wait_for_timeout(100)
    assert pending == 62


def test_a_cashier_hands_over_a_pickup_order_by_its_code_and_a_second_try_is_refused(db, live_server, page):
    from omniretail.cart import service as cart_service
    from omniretail.checkout import placement
    from omniretail.checkout import service as checkout_service
    from omniretail.fulfillment import service as fulfillment_service
    from omniretail.ordering import service as ordering_service
    from omniretail.payments.rules import TenderRequest

    shop = _cashier_at_riga(db)
    with db.transaction() as session:
        cart, _ = cart_service.create_cart(session=session, channel_id=shop.web)
        cart_service.add_line(session=session, cart=cart, variant_id=shop.serum, quantity=1)
        checkout_service.choose_delivery(session=session, cart=cart, method="click_and_collect",
                                         location_id=shop.riga, email="ilze@shop.example.com")
        cart_id = cart.id
    placed = placement.place_order(db=db, cart_id=cart_id, idempotency_key=f"web-{cart_id}", actor="test",
                                   tenders=[TenderRequest("card", card_number=TEST_CARD_APPROVE)])
    with db.transaction() as session:
        pickup = fulfillment_service.mark_ready_for_pickup(session=session, actor=None, order_id=placed.order_id)
        code, name = pickup.code, pickup.name or "Ilze"
    _sign_in(page, live_server.url)

    page.click("#till-pickup-open")
    page.fill("#till-pickup-code", code)
    page.fill("#till-pickup-name", name)
    page.click("#till-pickup-form button[type=submit]")
    page.wait_for_selector("#till-pickup-done:not([hidden])")
    assert page.locator("#till-pickup-done").get_attribute("data-order") == placed.number

    page.fill("#till-pickup-code", code)
    page.fill("#till-pickup-name", name)
    page.click("#till-pickup-form button[type=submit]")
    page.wait_for_selector("#till-status.bad")
    assert f"Order {placed.number} is handed over" in page.locator("#till-status").inner_text()
    with db.transaction(read_only=True) as session:
        assert ordering_service.get_order(session=session, order_id=placed.order_id).status == "picked_up"


def test_a_cashier_takes_back_an_item_bought_online_and_refunds_it_to_the_card(db, live_server, page):
    from checkout_factories import place_web_order

    from omniretail.inventory import service as inventory_service
    from omniretail.ordering import service as ordering_service
    from omniretail.ordering.rules import OrderStatus

    shop = _cashier_at_riga(db)
    placed = place_web_order(db, shop, variant_id=shop.serum, quantity=2)
    with db.transaction() as session:
        order = ordering_service.get_order(session=session, order_id=placed.order_id)
        for step in ("picking", "packed", "shipped", "delivered"):  # the parcel reached the shopper
            ordering_service.move(session=session, order=order, to=OrderStatus(step), actor="test")
    with db.transaction(read_only=True) as session:
        [before] = inventory_service.availability(session=session, variant_ids=[shop.serum], location_ids=[shop.riga])
    _sign_in(page, live_server.url)

    page.click("#till-return-open")
    page.fill("#till-return-number", placed.number.lower())
    page.click("#till-return-find button[type=submit]")
    page.wait_for_selector("#till-return-form:not([hidden])")
    page.fill("#till-return-lines tr[data-sku='SERUM-GLOW-30'] .till-return-qty", "1")
    page.select_option("#till-return-lines tr[data-sku='SERUM-GLOW-30'] .till-return-reason", "wrong_shade")
    page.click("#till-return-form button[type=submit]")
    page.wait_for_selector("#till-return-done:not([hidden]), #till-status.bad")

    assert page.locator("#till-status").inner_text() == ""
    assert "Refunded: 29.99" in page.locator("#till-return-done").inner_text()
    with db.transaction(read_only=True) as session:
        order = ordering_service.get_order(session=session, order_id=placed.order_id)
        [after] = inventory_service.availability(session=session, variant_ids=[shop.serum], location_ids=[shop.riga])
    assert order.refunded_minor == 2999  # back to the card it was paid with
    assert after.on_hand == before.on_hand + 1  # on this store's shelf, though it was shipped from the warehouse


def test_a_store_manager_sets_a_price_by_hand_with_a_reason(db, live_server, page):
    with db.transaction() as session:
        shop = retailer(session)
        identity_service.create_staff(session=session, actor=None, email="kasiere@shop.example.com", name="Vadītāja",
                                      password=PASSWORD, grants=[Grant(Role.STORE_MANAGER, shop.riga)])
    _sign_in(page, live_server.url)
    page.fill("#till-float", "50")
    page.click("#till-open-form button[type=submit]")
    page.fill("#till-scan", "SERUM-GLOW-30")
    page.press("#till-scan", "Enter")
    page.wait_for_function("document.querySelector('#till-total').textContent === '29.99'")
    answers = iter(["19.99", "dented box"])
    page.on("dialog", lambda dialog: dialog.accept(next(answers)))

    page.click("#till-lines tr[data-sku='SERUM-GLOW-30'] .till-price")
    page.wait_for_function("document.querySelector('#till-total').textContent === '19.99'")

    assert "dented box" in page.locator("#till-lines tr[data-sku='SERUM-GLOW-30'] .till-by-hand").inner_text()
