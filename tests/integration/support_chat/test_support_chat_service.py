"""Live chat use cases on SQLite and PostgreSQL: guest tokens, taking and answering, product cards from the
catalog, and closing, which stores the transcript on a support ticket and keeps it on the shopper's chats."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))

from checkout_factories import retailer

from omniretail.identity import service as identity_service
from omniretail.kernel.errors import InvalidInput
from omniretail.kernel.security import token_hash
from omniretail.support import service as support_service
from omniretail.support.chat import service as chat_service
from omniretail.support.chat.exceptions import (
    ChatClosed,
    ChatNotFound,
    ChatNotTaken,
    ChatTaken,
    ProductCardUnavailable,
)
from omniretail.support.chat.models import Chat
from omniretail.support.chat.rules import Author, ChatStatus

OLIVIA, PIOTR = uuid.uuid4(), uuid.uuid4()


def _guest_chat(db, text="Is the velvet lipstick long-lasting?"):
    with db.transaction() as session:
        started = chat_service.start_chat(session=session, customer_id=None, name="Anna",
                                          email="Anna@Shop.Example.com", locale="lv", text=text)
        return started.chat.id, started.token


def test_a_guest_chat_keeps_only_the_hash_of_its_token_and_admits_only_that_token(db):
    chat_id, token = _guest_chat(db)

    with db.transaction() as session:
        stored = session.scalar(select(Chat).where(Chat.id == chat_id))
        admitted = chat_service.visitor_chat(session=session, chat_id=chat_id, token=token, customer_id=None)
        with pytest.raises(ChatNotFound):
            chat_service.visitor_chat(session=session, chat_id=chat_id, token=token + "x", customer_id=None)
        with pytest.raises(ChatNotFound):
            chat_service.visitor_chat(session=session, chat_id=chat_id, token=None, customer_id=uuid.uuid4())

    assert token and token.startswith("orchat_") and len(token) > 40
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert admitted.id == chat_id
    assert (stored.status, stored.guest_email, stored.locale) == (ChatStatus.WAITING, "anna@shop.example.com", "lv")


def test_an_advisor_takes_the_chat_answers_and_closing_puts_the_transcript_on_a_ticket(db):
    chat_id, _ = _guest_chat(db)

    with db.transaction() as session:
        chat = chat_service.get_chat(session=session, chat_id=chat_id)
        with pytest.raises(ChatNotTaken):
            chat_service.post_agent_message(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia",
                                            text="Hello!")
    with db.transaction() as session:
        chat = chat_service.get_chat(session=session, chat_id=chat_id)
        chat_service.take(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia")
        chat_service.post_agent_message(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia",
                                        text="Yes, up to eight hours.")
        chat_service.post_visitor_message(session=session, chat=chat, text="Thanks!")
        chat_service.close(session=session, chat=chat, staff_id=OLIVIA, by=Author.AGENT)
        ticket_id = chat.ticket_id
    with db.transaction(read_only=True) as session:
        transcript = [a for a in support_service.actions_of(session=session, ticket_id=ticket_id)
                      if a.kind == "chat_transcript"]
        lines = chat_service.messages(session=session, chat_id=chat_id)

    assert ticket_id is not None and len(transcript) == 1
    body = transcript[0].body
    assert "Anna (visitor): Is the velvet lipstick long-lasting?" in body
    assert "Olivia (advisor): Yes, up to eight hours." in body
    assert body.index("long-lasting") < body.index("eight hours") < body.index("Thanks!")
    assert [m.author for m in lines] == ["visitor", "system", "agent", "visitor", "system"]


def test_nobody_writes_into_a_closed_chat_and_closing_again_keeps_the_same_ticket(db):
    chat_id, _ = _guest_chat(db)
    with db.transaction() as session:
        chat = chat_service.get_chat(session=session, chat_id=chat_id)
        chat_service.close(session=session, chat=chat, staff_id=None, by=Author.VISITOR)
        first = chat.ticket_id

    with db.transaction() as session:
        chat = chat_service.get_chat(session=session, chat_id=chat_id)
        again = chat_service.close(session=session, chat=chat, staff_id=OLIVIA, by=Author.AGENT).ticket_id
        with pytest.raises(ChatClosed):
            chat_service.post_visitor_message(session=session, chat=chat, text="Hello?")
        with pytest.raises(ChatClosed):
            chat_service.take(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia")

    assert first is not None and again == first


def test_a_second_advisor_cannot_take_or_answer_a_chat_another_advisor_has(db):
    chat_id, _ = _guest_chat(db)
    with db.transaction() as session:
        chat = chat_service.get_chat(session=session, chat_id=chat_id)
        chat_service.take(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia")

    with db.transaction() as session:
        chat = chat_service.get_chat(session=session, chat_id=chat_id)
        with pytest.raises(ChatTaken):
            chat_service.take(session=session, chat=chat, staff_id=PIOTR, staff_name="Piotr")
        with pytest.raises(ChatTaken):
            chat_service.post_agent_message(session=session, chat=chat, staff_id=PIOTR, staff_name="Piotr",
                                            text="I can help too")
        chat_service.take(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia")
        joined = [m for m in chat_service.messages(session=session, chat_id=chat_id) if m.author == "system"]

    assert len(joined) == 1 and joined[0].body == "Olivia joined the chat"


def test_a_product_card_is_looked_up_in_the_catalog_by_sku_with_price_image_and_link(db):
    with db.transaction() as session:
        retailer(session)
    chat_id, _ = _guest_chat(db)

    with db.transaction() as session:
        chat = chat_service.get_chat(session=session, chat_id=chat_id)
        chat_service.take(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia")
        message = chat_service.send_card(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia",
                                         ref=" LIP-VELVET-07 ")
        card = dict(message.card or {})

    assert card["name"] == "Lip Velvet" and card["sku"] == "LIP-VELVET-07"
    assert "14.99" in card["price"] or "14,99" in card["price"]
    assert card["url"].startswith("/p/") and card["url"].endswith("?variant=LIP-VELVET-07")
    assert "Lip Velvet" in message.body


def test_a_product_card_for_something_the_shop_does_not_sell_is_refused_with_a_field_error(db):
    with db.transaction() as session:
        retailer(session)
    chat_id, _ = _guest_chat(db)
    refusals = []

    for ref in ("NO-SUCH-SKU", "", str(uuid.uuid4()), "x" * 65):
        with db.transaction() as session:
            chat = chat_service.get_chat(session=session, chat_id=chat_id)
            chat_service.take(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia")
            with pytest.raises(ProductCardUnavailable) as refused:
                chat_service.send_card(session=session, chat=chat, staff_id=OLIVIA, staff_name="Olivia", ref=ref)
            refusals.append((refused.value.status, refused.value.errors[0].loc))

    assert refusals == [(422, ("body", "ref"))] * 4


def test_an_empty_or_overlong_message_is_refused(db):
    chat_id, _ = _guest_chat(db)

    for text in ("", "   \n ", "\x00\x07", "a" * 2001):
        with db.transaction() as session:
            chat = chat_service.get_chat(session=session, chat_id=chat_id)
            with pytest.raises(InvalidInput):
                chat_service.post_visitor_message(session=session, chat=chat, text=text)


def test_a_signed_in_shoppers_chats_stay_on_their_account_and_need_no_token(db):
    with db.transaction() as session:
        account = identity_service.sign_up_customer(session=session, email="marta@shop.example.com",
                                                    password="velvet-lipstick-07", name="Marta", locale="pl")
        started = chat_service.start_chat(session=session, customer_id=account.id, name="Marta",
                                          email="marta@shop.example.com", locale="pl", text="Czy jest rozmiar M?")
        chat_service.close(session=session, chat=started.chat, staff_id=None, by=Author.VISITOR)
        account_id, chat_id = account.id, started.chat.id

    with db.transaction(read_only=True) as session:
        mine = chat_service.chats_of_customer(session=session, customer_id=account_id)
        admitted = chat_service.visitor_chat(session=session, chat_id=chat_id, token=None, customer_id=account_id)
        with pytest.raises(ChatNotFound):
            chat_service.visitor_chat(session=session, chat_id=chat_id, token=None, customer_id=None)
        ticket = support_service.get_ticket(session=session, ticket_id=mine[0].ticket_id)

    assert started.token is None
    assert [c.id for c in mine] == [chat_id] and admitted.id == chat_id
    assert ticket.customer_id == account_id


def test_the_queue_lists_waiting_and_active_chats_oldest_first(db):
    first, _ = _guest_chat(db, "first")
    second, _ = _guest_chat(db, "second")
    third, _ = _guest_chat(db, "third")
    with db.transaction() as session:
        chat_service.close(session=session, chat=chat_service.get_chat(session=session, chat_id=second),
                           staff_id=None, by=Author.VISITOR)

    with db.transaction(read_only=True) as session:
        queue = chat_service.list_chats(session=session, statuses=[ChatStatus.WAITING, ChatStatus.ACTIVE])

    assert [c.id for c in queue] == [first, third]
