"""Chat endpoints: the visitor's and the advisor's WebSockets and the REST around them.

Sockets speak JSON frames (docs/chat.md lists them). A bad frame gets ``{"type": "error", "problem": {...}}``
with the problem+json body inside, and the socket stays open; a socket that cannot be authorized is closed
with a 44xx code:
4401 nobody signed in (or an unknown token), 4403 signed in without ``support.manage`` or from another site,
4404 no such chat (or a wrong guest token), 4408 the visitor sent no ``auth`` frame in time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from fastapi import APIRouter, BackgroundTasks, Depends, Query, WebSocket, WebSocketDisconnect
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from omniretail.identity import service as identity_service
from omniretail.identity.dependencies import CUSTOMER_COOKIE, STAFF_COOKIE, Allowed, OptionalCustomer
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.db import Database
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import DomainError, FieldError, InvalidInput, MalformedRequest
from omniretail.support.chat import service as chat_service
from omniretail.support.chat.hub import Frame, Listener, hub
from omniretail.support.chat.models import Chat, ChatMessage
from omniretail.support.chat.rules import Author, ChatStatus
from omniretail.support.chat.schemas import (
    AgentFrame,
    AuthFrame,
    ChatCreate,
    ChatDetail,
    ChatRead,
    ChatStarted,
    MessageRead,
    VisitorFrame,
)

log = logging.getLogger("omniretail.chat")
router = APIRouter(tags=["chat"])
Advisor = Annotated[Principal, Depends(Allowed(Permission.SUPPORT_MANAGE))]
T = TypeVar("T")
MAX_FRAME = 8192
AUTH_SECONDS = 15
VISITOR_FRAMES: TypeAdapter[Any] = TypeAdapter(VisitorFrame)
AGENT_FRAMES: TypeAdapter[Any] = TypeAdapter(AgentFrame)


# --- frames -------------------------------------------------------------------------------------------------

def message_frame(message: ChatMessage) -> Frame:
    return {"type": "message", "chat_id": str(message.chat_id), "id": str(message.id), "author": message.author,
            "name": message.author_name, "text": message.body, "card": message.card,
            "at": message.created_at.isoformat()}


def summary_frame(chat: Chat, preview: str | None = None) -> Frame:
    return {"type": "chat", "chat": {
        "id": str(chat.id), "status": chat.status, "name": chat.guest_name, "email": chat.guest_email,
        "customer_id": str(chat.customer_id) if chat.customer_id else None, "locale": chat.locale,
        "agent_staff_id": str(chat.agent_staff_id) if chat.agent_staff_id else None, "agent": chat.agent_name,
        "ticket_id": str(chat.ticket_id) if chat.ticket_id else None, "preview": preview,
        "created_at": chat.created_at.isoformat(), "last_message_at": chat.last_message_at.isoformat()}}


def status_frame(chat: Chat) -> Frame:
    return {"type": "status", "chat_id": str(chat.id), "status": chat.status, "agent": chat.agent_name}


def error_frame(error: DomainError) -> Frame:
    return {"type": "error", "problem": error.to_problem()}


def _invalid(exc: ValidationError) -> InvalidInput:
    errors = [FieldError(("frame", *item["loc"]), item["msg"], item["type"]) for item in exc.errors()]
    return InvalidInput(f"{len(errors)} field(s) are not valid", errors=errors)


def _parse(raw: str, adapter: TypeAdapter[Any]) -> Any:
    if len(raw) > MAX_FRAME:
        raise InvalidInput(errors=[FieldError(("frame",), f"at most {MAX_FRAME} characters", "too_long")])
    try:
        data = json.loads(raw)
    except ValueError:
        raise MalformedRequest("The frame is not valid JSON") from None
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise _invalid(exc) from None


# --- REST ---------------------------------------------------------------------------------------------------

@router.post("/chats", status_code=201)
def start_chat(body: ChatCreate, session: SessionDep, customer: OptionalCustomer,
               background: BackgroundTasks) -> ChatStarted:
    """Start a chat with an advisor, as a guest or as the signed-in shopper."""
    started = chat_service.start_chat(
        session=session, customer_id=customer.id if customer else None,
        name=body.name or (customer.name if customer else None),
        email=body.email or (customer.email if customer else None), locale=body.locale, text=body.text)
    session.flush()
    background.add_task(hub.publish_agents, summary_frame(started.chat, body.text))
    return ChatStarted(id=started.chat.id, status=started.chat.status, token=started.token)


@router.get("/chats")
def list_chats(session: SessionDep, staff: Advisor,
               status: Annotated[list[ChatStatus] | None, Query()] = None,
               customer_id: uuid.UUID | None = None,
               limit: Annotated[int, Query(ge=1, le=200)] = 100) -> list[ChatRead]:
    """List chats for advisors: by default the waiting and active ones; or one shopper's chats."""
    statuses = status or ([ChatStatus.WAITING, ChatStatus.ACTIVE] if customer_id is None else None)
    chats = chat_service.list_chats(session=session, statuses=statuses, customer_id=customer_id, limit=limit)
    return [ChatRead.model_validate(c) for c in chats]


@router.get("/chats/{chat_id}")
def chat_history(chat_id: uuid.UUID, session: SessionDep, staff: Advisor) -> ChatDetail:
    """Show one chat with its whole transcript."""
    chat = chat_service.get_chat(session=session, chat_id=chat_id)
    lines = [MessageRead.model_validate(m) for m in chat_service.messages(session=session, chat_id=chat.id)]
    return ChatDetail.model_validate({**ChatRead.model_validate(chat).model_dump(), "messages": lines})


@router.post("/chats/{chat_id}/close")
def close_chat(chat_id: uuid.UUID, session: SessionDep, staff: Advisor, background: BackgroundTasks) -> ChatRead:
    """End a chat; its transcript is stored on a support ticket."""
    chat = chat_service.get_chat(session=session, chat_id=chat_id)
    was_open = chat.status != ChatStatus.CLOSED
    chat_service.close(session=session, chat=chat, staff_id=staff.staff_id, by=Author.AGENT)
    if was_open:
        last = chat_service.messages(session=session, chat_id=chat.id)[-1]
        for frame in (message_frame(last), status_frame(chat)):
            background.add_task(hub.publish, chat.id, frame)
        background.add_task(hub.publish_agents, summary_frame(chat))
    return ChatRead.model_validate(chat)


# --- sockets: plumbing ----------------------------------------------------------------------------------------

async def _in_transaction(websocket: WebSocket, work: Callable[[Session], T]) -> T:
    """Run ``work`` in a short transaction on the thread pool; frames are published only after it commits."""
    db: Database = websocket.app.state.db

    def run() -> T:
        with db.transaction() as session:
            return work(session)

    return await run_in_threadpool(run)


async def _pump(websocket: WebSocket, listener: Listener) -> None:
    while True:
        frame = await listener.queue.get()
        await websocket.send_json(frame)


async def _serve(websocket: WebSocket, listener: Listener, handle: Callable[[str], Any]) -> None:
    """Read frames until the socket closes; the pump task writes everything this socket is sent."""
    sender = asyncio.create_task(_pump(websocket, listener))
    try:
        while True:
            raw = await websocket.receive_text()
            try:
                await handle(raw)
            except DomainError as error:
                listener.queue.put_nowait(error_frame(error))
    except WebSocketDisconnect:
        pass
    finally:
        sender.cancel()


def _same_site(websocket: WebSocket) -> bool:
    """A cookie-authenticated socket must come from our own pages (browsers send cookies cross-site)."""
    origin = websocket.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == websocket.headers.get("host")


# --- the visitor's socket ----------------------------------------------------------------------------------

@router.websocket("/chats/{chat_id}/visitor")
async def visitor_socket(websocket: WebSocket, chat_id: str) -> None:
    """The shopper's side: first frame ``{"type": "auth", "token": ...}`` (a signed-in shopper's cookie is enough)."""
    await websocket.accept()
    try:
        parsed_id = uuid.UUID(chat_id)
        raw = await asyncio.wait_for(websocket.receive_text(), AUTH_SECONDS)
        auth = _parse(raw, TypeAdapter(AuthFrame))
    except (ValueError, DomainError):
        await websocket.close(code=4404 if not _is_uuid(chat_id) else 4401)
        return
    except TimeoutError:
        await websocket.close(code=4408)
        return
    except WebSocketDisconnect:
        return
    # The shopper's cookie counts only on our own pages: another site's script must not read their chat.
    cookie = websocket.cookies.get(CUSTOMER_COOKIE) if _same_site(websocket) else None

    def hello(session: Session) -> Frame:
        account = identity_service.customer_for_session(session=session, raw=cookie) if cookie else None
        chat = chat_service.visitor_chat(session=session, chat_id=parsed_id, token=auth.token,
                                         customer_id=account.id if account else None)
        return {"type": "hello", "chat": {"id": str(chat.id), "status": chat.status, "agent": chat.agent_name,
                                          "locale": chat.locale},
                "messages": [message_frame(m) for m in chat_service.messages(session=session, chat_id=chat.id)]}

    try:
        first = await _in_transaction(websocket, hello)
    except DomainError:
        await websocket.close(code=4404)
        return
    listener = Listener(loop=asyncio.get_running_loop(), role="visitor")
    listener.queue.put_nowait(first)
    hub.join(parsed_id, listener)
    try:
        await _serve(websocket, listener, lambda raw: _visitor_frame(websocket, listener, parsed_id, auth, cookie, raw))
    finally:
        hub.leave(parsed_id, listener)


def _is_uuid(raw: str) -> bool:
    try:
        uuid.UUID(raw)
    except ValueError:
        return False
    return True


async def _visitor_frame(websocket: WebSocket, listener: Listener, chat_id: uuid.UUID, auth: AuthFrame,
                         cookie: str | None, raw: str) -> None:
    frame = _parse(raw, VISITOR_FRAMES)
    if frame.type == "typing":
        hub.publish(chat_id, {"type": "typing", "chat_id": str(chat_id), "author": Author.VISITOR}, skip=listener)
        return

    def act(session: Session) -> list[Frame]:
        account = identity_service.customer_for_session(session=session, raw=cookie) if cookie else None
        chat = chat_service.visitor_chat(session=session, chat_id=chat_id, token=auth.token,
                                         customer_id=account.id if account else None)
        if frame.type == "message":
            message = chat_service.post_visitor_message(session=session, chat=chat, text=frame.text)
            return [message_frame(message), summary_frame(chat, message.body)]
        was_open = chat.status != ChatStatus.CLOSED
        chat_service.close(session=session, chat=chat, staff_id=None, by=Author.VISITOR)
        if not was_open:
            return []
        last = chat_service.messages(session=session, chat_id=chat.id)[-1]
        return [message_frame(last), status_frame(chat), summary_frame(chat)]

    for out in await _in_transaction(websocket, act):
        if out["type"] == "chat":
            hub.publish_agents(out)
        else:
            hub.publish(chat_id, out)


# --- the advisor's socket ------------------------------------------------------------------------------------

def _bearer(websocket: WebSocket) -> str | None:
    scheme, _, value = websocket.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def _advisor(websocket: WebSocket) -> tuple[Principal, str] | int:
    """The advisor behind the socket and the name the shopper sees, or the close code to refuse with."""
    bearer, cookie = _bearer(websocket), websocket.cookies.get(STAFF_COOKIE)
    if bearer is None and not _same_site(websocket):
        return 4403
    ip = websocket.client.host if websocket.client else None

    def who(session: Session) -> tuple[Principal, str] | None:
        if bearer is not None:
            principal = identity_service.resolve_token(session=session, raw=bearer, ip=ip)
            return (principal, principal.label.split("@")[0]) if principal else None
        if not cookie:
            return None
        user = identity_service.resolve_session(session=session, kind=identity_service.STAFF, raw=cookie)
        if user is None or not hasattr(user, "grants"):
            return None
        return identity_service.principal_for(user, ip=ip), user.name  # type: ignore[arg-type]

    found = await _in_transaction(websocket, who)
    if found is None:
        return 4401
    if not found[0].can(Permission.SUPPORT_MANAGE):
        return 4403
    return found


@router.websocket("/chats/agent")
async def agent_socket(websocket: WebSocket) -> None:
    """The advisor's console: the queue of chats, and the chats they have taken."""
    await websocket.accept()
    found = await _advisor(websocket)
    if isinstance(found, int):
        await websocket.close(code=found)
        return
    staff, name = found

    def queue(session: Session) -> Frame:
        chats = chat_service.list_chats(session=session, statuses=[ChatStatus.WAITING, ChatStatus.ACTIVE])
        return {"type": "queue", "chats": [summary_frame(c)["chat"] for c in chats]}

    listener = Listener(loop=asyncio.get_running_loop(), role="agent", staff_id=staff.staff_id)
    listener.queue.put_nowait(await _in_transaction(websocket, queue))
    hub.join_agents(listener)
    joined: set[uuid.UUID] = set()
    try:
        await _serve(websocket, listener, lambda raw: _agent_frame(websocket, listener, staff, name, joined, raw))
    finally:
        hub.leave_agents(listener)


async def _agent_frame(websocket: WebSocket, listener: Listener, staff: Principal, name: str,
                       joined: set[uuid.UUID], raw: str) -> None:
    frame = _parse(raw, AGENT_FRAMES)
    chat_id: uuid.UUID = frame.chat_id
    if frame.type == "typing":
        if chat_id in joined:
            hub.publish(chat_id, {"type": "typing", "chat_id": str(chat_id), "author": Author.AGENT, "name": name},
                        skip=listener)
        return

    def act(session: Session) -> tuple[Frame | None, list[Frame]]:
        chat = chat_service.get_chat(session=session, chat_id=chat_id)
        if frame.type == "take":
            before = chat.status
            chat_service.take(session=session, chat=chat, staff_id=staff.staff_id, staff_name=name)
            lines = chat_service.messages(session=session, chat_id=chat.id)
            mine = {"type": "history", "chat": summary_frame(chat)["chat"],
                    "messages": [message_frame(m) for m in lines]}
            changed = [message_frame(lines[-1]), status_frame(chat), summary_frame(chat)] if before != chat.status \
                else []
            return mine, changed
        if frame.type == "close":
            was_open = chat.status != ChatStatus.CLOSED
            chat_service.close(session=session, chat=chat, staff_id=staff.staff_id, by=Author.AGENT)
            last = chat_service.messages(session=session, chat_id=chat.id)[-1]
            return None, [message_frame(last), status_frame(chat), summary_frame(chat)] if was_open else []
        if frame.type == "card":
            message = chat_service.send_card(session=session, chat=chat, staff_id=staff.staff_id, staff_name=name,
                                             ref=frame.ref)
        else:
            message = chat_service.post_agent_message(session=session, chat=chat, staff_id=staff.staff_id,
                                                      staff_name=name, text=frame.text)
        return None, [message_frame(message), summary_frame(chat, message.body)]

    mine, frames = await _in_transaction(websocket, act)
    if frame.type == "take":
        joined.add(chat_id)
        hub.join(chat_id, listener)
    if mine is not None:
        listener.queue.put_nowait(mine)
    for out in frames:
        if out["type"] == "chat":
            hub.publish_agents(out)
        else:
            hub.publish(chat_id, out)
