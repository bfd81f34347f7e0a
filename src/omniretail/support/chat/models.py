"""Chat tables: one row per conversation and one per message; the transcript is the messages in order.

A chat belongs to a shopper's account (``customer_id``) when they were signed in, else it carries the guest's
name and e-mail. The guest's token is kept only as a SHA-256 digest. Other contexts' ids are plain UUIDs.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Chat(IdMixin, CreatedMixin, Base):
    __tablename__ = "support_chat_conversation"
    __table_args__ = (Index("ix_support_chat_conversation_status_created", "status", "created_at"),)

    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    guest_name: Mapped[str | None] = mapped_column(String(120))
    guest_email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(10))
    agent_staff_id: Mapped[uuid.UUID | None]
    agent_name: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_id: Mapped[uuid.UUID | None]
    last_message_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class ChatMessage(IdMixin, CreatedMixin, Base):
    __tablename__ = "support_chat_message"

    chat_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_chat_conversation.id", ondelete="CASCADE"),
                                               index=True)
    author: Mapped[str] = mapped_column(String(10))
    author_name: Mapped[str | None] = mapped_column(String(200))
    staff_id: Mapped[uuid.UUID | None]
    body: Mapped[str] = mapped_column(Text)
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
