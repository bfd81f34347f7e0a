"""The orders, payments, checkout and cart commands, and ordering's reactions to merged and erased customers."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))

from checkout_factories import place_web_order, retailer

from omniretail import cli
from omniretail.cart import service as cart_service
from omniretail.customers.events import CustomerErased, CustomersMerged
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service

runner = CliRunner()


def test_orders_can_be_listed_shown_and_cancelled_from_the_command_line(env):
    with env.transaction() as s:
        shop = retailer(s)
    placed = place_web_order(env, shop, quantity=2)

    listed = runner.invoke(cli.app, ["orders", "list"])
    shown = runner.invoke(cli.app, ["orders", "show", placed.number])
    cancelled = runner.invoke(cli.app, ["orders", "cancel", placed.number, "--reason", "customer called"])
    missing = runner.invoke(cli.app, ["orders", "show", "W-999999"])

    assert listed.exit_code == 0 and placed.number in listed.output
    assert shown.exit_code == 0 and "SERUM-GLOW-30" in shown.output
    assert cancelled.exit_code == 0, cancelled.output
    assert "refunded" in cancelled.output
    with env.transaction(read_only=True) as s:
        assert ordering_service.get_order(session=s, order_id=placed.order_id).status == "cancelled"
    assert missing.exit_code == 1 and "No such order" in missing.output


def test_gift_cards_jobs_and_the_z_report_from_the_command_line(env):
    issued = runner.invoke(cli.app, ["payments", "gift-cards", "issue", "2500", "--currency", "EUR"])
    code = issued.output.strip()

    balance = runner.invoke(cli.app, ["payments", "gift-cards", "balance", code])
    unknown = runner.invoke(cli.app, ["payments", "gift-cards", "balance", "NOPE-NOPE"])
    installments = runner.invoke(cli.app, ["payments", "installments", "run"])
    reconcile = runner.invoke(cli.app, ["checkout", "reconcile"])
    abandoned = runner.invoke(cli.app, ["cart", "abandoned", "run", "--minutes", "30"])
    no_drawer = runner.invoke(cli.app, ["payments", "pos", "z-report", str(uuid.uuid4())])

    assert issued.exit_code == 0 and len(code) == 19
    assert balance.exit_code == 0 and "25.00" in balance.output
    assert unknown.exit_code == 1 and "No such gift card" in unknown.output
    assert installments.exit_code == 0 and "0 captured" in installments.output
    assert reconcile.exit_code == 0 and "0 placement(s) repaired" in reconcile.output
    assert abandoned.exit_code == 0 and "abandoned" in abandoned.output
    assert no_drawer.exit_code == 1 and "error" in no_drawer.output


def test_a_merged_customer_s_orders_and_carts_move_to_the_survivor(db, dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
    merged, survivor = uuid.uuid4(), uuid.uuid4()
    placed = place_web_order(db, shop, customer_id=merged)
    with db.transaction() as s:
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web, customer_id=merged)
        record(s, CustomersMerged(survivor_id=survivor, merged_id=merged))

    dispatcher.drain()

    with db.transaction(read_only=True) as s:
        assert ordering_service.get_order(session=s, order_id=placed.order_id).customer_id == survivor
        assert cart_service.get_cart(session=s, cart_id=cart.id).customer_id == survivor
        assert [o.id for o in ordering_service.list_orders(session=s, customer_id=survivor, cursor=None,
                                                           limit=10).items] == [placed.order_id]


def test_an_erased_customer_s_orders_lose_contact_details_but_keep_their_amounts(db, dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
    customer = uuid.uuid4()
    placed = place_web_order(db, shop, customer_id=customer, email="ilze@shop.example.com")
    with db.transaction() as s:
        before = ordering_service.get_order(session=s, order_id=placed.order_id).total_minor
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web, customer_id=customer,
                                           email="ilze@shop.example.com")
        record(s, CustomerErased(customer_id=customer))

    dispatcher.drain()

    with db.transaction(read_only=True) as s:
        order = ordering_service.get_order(session=s, order_id=placed.order_id)
        assert (order.email, order.phone) == (None, None)
        assert "name" not in order.delivery["address"] and "line1" not in order.delivery["address"]
        assert order.delivery["address"]["country"] == "LV" and order.total_minor == before
        assert cart_service.get_cart(session=s, cart_id=cart.id).email is None
