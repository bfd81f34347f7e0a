"""The round-trip budget of the hot paths: a checkout and a cart change send at most so many statements
(the bench's figures depend on it; a change that adds reads shows up here first)."""

from __future__ import annotations

from checkout_factories import ADDRESS, retailer
from statements import count_statements

from omniretail.cart import service as cart_service
from omniretail.checkout import placement
from omniretail.checkout import service as checkout_service
from omniretail.checkout.rules import Address
from omniretail.payments.rules import TEST_CARD_APPROVE, TenderRequest

CHECKOUT_BUDGET = 36  # 29 of checkout, payments, ordering, inventory; 7 of the promotions and loyalty hooks
ADD_LINE_BUDGET = 13  # the cart loaded by id here (2 reads); the API loads it joined (1)


def test_a_checkout_and_a_cart_change_stay_within_their_statement_budget(db):
    with db.transaction() as s:
        shop = retailer(s)
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web)
        cart_service.add_line(session=s, cart=cart, variant_id=shop.lipstick, quantity=1)
        checkout_service.choose_delivery(session=s, cart=cart, method="courier", address=Address(**ADDRESS),
                                         email="anna@shop.example.com")
        cart_id = cart.id

    with count_statements(db) as adding, db.transaction() as s:
        cart = cart_service.get_cart(session=s, cart_id=cart_id)
        cart_service.add_line(session=s, cart=cart, variant_id=shop.serum, quantity=1)
    with count_statements(db) as checkout:
        placement.place_order(db=db, cart_id=cart_id, idempotency_key=f"budget-{cart_id}", actor="test",
                              tenders=[TenderRequest("card", card_number=TEST_CARD_APPROVE)])

    print(f"\nadd line: {adding.count} statements, checkout: {checkout.count} statements")
    assert adding.count <= ADD_LINE_BUDGET, "\n".join(adding.statements)
    assert checkout.count <= CHECKOUT_BUDGET, "\n".join(checkout.statements)
