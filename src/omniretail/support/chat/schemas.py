"""Chat API shapes: the REST bodies and answers, and the frames the two sockets accept."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from omniretail.kernel.schemas import Locale, Schema

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class ChatCreate(Schema):
    name: Annotated[str, StringConstraints(max_length=120)] | None = None
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    locale: Locale = "en"
    text: Text | None = None


class ChatStarted(Schema):
    id: uuid.UUID
    status: str
    token: str | None = Field(None, description="The guest's secret for the visitor socket; shown once.")


class MessageRead(Schema):
    id: uuid.UUID
    author: str
    author_name: str | None
    body: str
    card: dict[str, Any] | None
    created_at: datetime


class ChatRead(Schema):
    id: uuid.UUID
    status: str
    customer_id: uuid.UUID | None
    guest_name: str | None
    guest_email: str | None
    locale: str
    agent_staff_id: uuid.UUID | None
    agent_name: str | None
    ticket_id: uuid.UUID | None
    created_at: datetime
    last_message_at: datetime
    closed_at: datetime | None


class ChatDetail(ChatRead):
    messages: list[MessageRead]


# --- socket frames ------------------------------------------------------------------------------------------

class AuthFrame(Schema):
    type: Literal["auth"]
    token: Annotated[str, StringConstraints(max_length=100)] | None = None


class VisitorMessageFrame(Schema):
    type: Literal["message"]
    text: Text


class VisitorSignalFrame(Schema):
    type: Literal["typing", "close"]


VisitorFrame = Annotated[VisitorMessageFrame | VisitorSignalFrame, Field(discriminator="type")]


class AgentChatFrame(Schema):
    type: Literal["take", "typing", "close"]
    chat_id: uuid.UUID


class AgentMessageFrame(Schema):
    type: Literal["message"]
    chat_id: uuid.UUID
    text: Text


class AgentCardFrame(Schema):
    type: Literal["card"]
    chat_id: uuid.UUID
    ref: Ref


AgentFrame = Annotated[AgentChatFrame | AgentMessageFrame | AgentCardFrame, Field(discriminator="type")]
