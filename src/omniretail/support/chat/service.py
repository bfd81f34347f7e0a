"""Live-chat use cases: start, authorize, write, send a product card, take, close, read transcripts.

Services flush, never commit; the socket or request handler owns the transaction. Closing a chat stores its
transcript on a support ticket through ``support.service.record_chat`` in the same transaction, and the
messages stay on the chat rows, linked to the shopper's account when they were signed in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.catalog.storefront import service as storefront_service
from omniretail.channels import service as channels_service
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError, InvalidInput, NotFound
from omniretail.kernel.security import new_token, same, token_hash
from omniretail.support import service as support_service
from omniretail.support.chat.exceptions import (
    ChatClosed,
    ChatNotFound,
    ChatNotTaken,
    ChatTaken,
    ProductCardUnavailable,
)
from omniretail.support.chat.models import Chat, ChatMessage
from omniretail.support.chat.rules import (
    MAX_CARD_REF,
    MAX_NAME,
    MAX_TEXT,
    Author,
    ChatStatus,
    author_label,
    can_post,
    can_take,
    clean_text,
)

WEB_CHANNEL = "web-eu"
LOCALES = ("en", "ru", "pl", "lv", "zh")


@dataclass(frozen=True)
class Started:
    chat: Chat
    token: str | None


def _text(raw: str, loc: tuple[str | int, ...]) -> str:
    text = clean_text(raw)
    if not text:
        raise InvalidInput(errors=[FieldError(loc, "write a message", "missing")])
    if len(text) > MAX_TEXT:
        raise InvalidInput(errors=[FieldError(loc, f"at most {MAX_TEXT} characters", "too_long")])
    return text


def start_chat(*, session: Session, customer_id: uuid.UUID | None, name: str | None, email: str | None,
               locale: str, text: str | None = None) -> Started:
    """Open a chat for a visitor; a guest gets a random token (only its hash is kept) to reconnect with."""
    errors = []
    name = clean_text(name or "")[:MAX_NAME] or None
    email = (email or "").strip().lower() or None
    if email is not None and (len(email) > 254 or "@" not in email.strip("@")
                              or any(ch.isspace() or not ch.isprintable() for ch in email)):
        errors.append(FieldError(("body", "email"), "not an e-mail address", "value_error"))
    if locale not in LOCALES:
        errors.append(FieldError(("body", "locale"), "one of en, ru, pl, lv, zh"))
    if errors:
        raise InvalidInput(errors=errors)
    first = _text(text, ("body", "text")) if text is not None else None
    token = None if customer_id is not None else new_token("orchat")
    now = clock.now()
    chat = Chat(customer_id=customer_id, guest_name=name, guest_email=email, locale=locale,
                status=ChatStatus.WAITING, token_hash=token_hash(token) if token else None, last_message_at=now)
    session.add(chat)
    session.flush()
    if first is not None:
        _add(session, chat, Author.VISITOR, first, name=name)
    return Started(chat, token)


def get_chat(*, session: Session, chat_id: uuid.UUID) -> Chat:
    """One chat, or ChatNotFound."""
    chat = session.get(Chat, chat_id)
    if chat is None:
        raise ChatNotFound()
    return chat


def visitor_chat(*, session: Session, chat_id: uuid.UUID, token: str | None,
                 customer_id: uuid.UUID | None) -> Chat:
    """The chat a visitor may join: a guest by their token, a signed-in shopper by their account."""
    chat = session.get(Chat, chat_id)
    if chat is None:
        raise ChatNotFound()
    if chat.customer_id is not None:
        if chat.customer_id != customer_id:
            raise ChatNotFound()
    elif not token or chat.token_hash is None or not same(chat.token_hash, token_hash(token)):
        raise ChatNotFound()
    return chat


def _add(session: Session, chat: Chat, author: Author, body: str, *, name: str | None,
         staff_id: uuid.UUID | None = None, card: dict[str, Any] | None = None) -> ChatMessage:
    message = ChatMessage(chat_id=chat.id, author=author, author_name=name, staff_id=staff_id, body=body,
                          card=card)
    session.add(message)
    chat.last_message_at = clock.now()
    session.flush()
    return message


def _check_post(chat: Chat, author: Author) -> None:
    decision = can_post(ChatStatus(chat.status), author)
    if not decision.allowed:
        raise ChatClosed() if chat.status == ChatStatus.CLOSED else ChatNotTaken()


def post_visitor_message(*, session: Session, chat: Chat, text: str) -> ChatMessage:
    """Add the visitor's message to their chat."""
    _check_post(chat, Author.VISITOR)
    return _add(session, chat, Author.VISITOR, _text(text, ("body", "text")), name=chat.guest_name)


def take(*, session: Session, chat: Chat, staff_id: uuid.UUID, staff_name: str) -> Chat:
    """An advisor takes a waiting chat (taking one's own chat again is a no-op)."""
    decision = can_take(ChatStatus(chat.status), chat.agent_staff_id, staff_id)
    if not decision.allowed:
        raise ChatClosed() if chat.status == ChatStatus.CLOSED else ChatTaken()
    if chat.agent_staff_id != staff_id or chat.status != ChatStatus.ACTIVE:
        chat.status, chat.agent_staff_id, chat.agent_name = ChatStatus.ACTIVE, staff_id, staff_name
        _add(session, chat, Author.SYSTEM, f"{staff_name} joined the chat", name=None)
    return chat


def _check_agent(chat: Chat, staff_id: uuid.UUID) -> None:
    _check_post(chat, Author.AGENT)
    if chat.agent_staff_id != staff_id:
        raise ChatTaken()


def post_agent_message(*, session: Session, chat: Chat, staff_id: uuid.UUID, staff_name: str,
                       text: str) -> ChatMessage:
    """Add the advisor's reply to a chat they have taken."""
    _check_agent(chat, staff_id)
    return _add(session, chat, Author.AGENT, _text(text, ("body", "text")), name=staff_name, staff_id=staff_id)


def _web_channel(session: Session) -> channels_service.Channel | None:
    channels = channels_service.list_channels(session=session, active_only=True)
    return next((c for c in channels if c.code == WEB_CHANNEL), None) or next(
        (c for c in channels if c.kind == "web"), None)


def product_card(*, session: Session, ref: str, locale: str) -> dict[str, Any]:
    """What a product card shows, from a SKU, barcode, variant id or product id: name, price, image, link."""
    ref = ref.strip()
    unavailable = ProductCardUnavailable(errors=[FieldError(("body", "ref"), "no product the shop sells")])
    if not ref or len(ref) > MAX_CARD_REF or not ref.isprintable():
        raise unavailable
    variant = None
    product_id: uuid.UUID | None = None
    try:
        parsed = uuid.UUID(ref)
    except ValueError:
        variant = catalog_service.variant_by_code(session=session, code=ref)
    else:
        try:
            variant = catalog_service.get_variant(session=session, variant_id=parsed)
        except NotFound:
            product_id = parsed
    if variant is not None:
        product_id = variant.product_id
    channel = _web_channel(session)
    if product_id is None or channel is None:
        raise unavailable
    try:
        shown = storefront_service.product_page(session=session, channel_ref=channel.code, locale=locale,
                                                product_ref=str(product_id))
    except NotFound:
        raise unavailable from None
    price = shown.card.price
    if variant is not None:
        price = next((v.price for v in shown.variants if v.id == variant.id), None) or price
    return {"product_id": str(product_id), "variant_id": str(variant.id) if variant else None,
            "sku": variant.sku if variant else None, "name": shown.card.name, "brand": shown.card.brand,
            "price": price.formatted if price else None, "image": shown.card.image,
            "image_alt": shown.card.image_alt,
            "url": f"/p/{quote(shown.card.slug)}" + (f"?variant={quote(variant.sku)}" if variant else "")}


def send_card(*, session: Session, chat: Chat, staff_id: uuid.UUID, staff_name: str, ref: str) -> ChatMessage:
    """Send the visitor a product card; the server looks the product up, the advisor only names it."""
    _check_agent(chat, staff_id)
    card = product_card(session=session, ref=ref, locale=chat.locale)
    body = " · ".join(p for p in (card["name"], card["price"], card["url"]) if p)
    return _add(session, chat, Author.AGENT, body, name=staff_name, staff_id=staff_id, card=card)


def messages(*, session: Session, chat_id: uuid.UUID) -> list[ChatMessage]:
    """A chat's messages, oldest first."""
    return list(session.scalars(select(ChatMessage).where(ChatMessage.chat_id == chat_id)
                                .order_by(ChatMessage.created_at, ChatMessage.id)))


def close(*, session: Session, chat: Chat, staff_id: uuid.UUID | None, by: Author) -> Chat:
    """End a chat and store its transcript on a support ticket (same transaction); closing twice is a no-op."""
    if chat.status == ChatStatus.CLOSED:
        return chat
    who = chat.agent_name if by == Author.AGENT and chat.agent_name else None
    _add(session, chat, Author.SYSTEM, f"{who} closed the chat" if who else f"The {by} closed the chat", name=None)
    chat.status, chat.closed_at = ChatStatus.CLOSED, clock.now()
    transcript = [(m.created_at, author_label(Author(m.author), m.author_name), m.body)
                  for m in messages(session=session, chat_id=chat.id)]
    chat.ticket_id = support_service.record_chat(
        session=session, chat_id=chat.id, customer_id=chat.customer_id, name=chat.guest_name,
        email=chat.guest_email, locale=chat.locale, transcript=transcript,
        agent_staff_id=chat.agent_staff_id or staff_id)
    session.flush()
    return chat


def list_chats(*, session: Session, statuses: list[ChatStatus] | None = None,
               customer_id: uuid.UUID | None = None, limit: int = 100) -> list[Chat]:
    """Chats for the advisors' queue, oldest waiting first; or one shopper's chats, newest first."""
    stmt = select(Chat)
    if statuses:
        stmt = stmt.where(Chat.status.in_([s.value for s in statuses]))
    if customer_id is not None:
        stmt = stmt.where(Chat.customer_id == customer_id).order_by(Chat.created_at.desc(), Chat.id.desc())
    else:
        stmt = stmt.order_by(Chat.created_at, Chat.id)
    return list(session.scalars(stmt.limit(limit)))


def chats_of_customer(*, session: Session, customer_id: uuid.UUID) -> list[Chat]:
    """A shopper's chats, newest first (their transcripts, for the customer's history)."""
    return list_chats(session=session, customer_id=customer_id)
