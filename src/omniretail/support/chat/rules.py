"""Chat rules: statuses, who may write when, and how a message is cleaned. Pure: no database, no web."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

MAX_TEXT = 2000
MAX_NAME = 120
MAX_CARD_REF = 64


class ChatStatus(StrEnum):
    WAITING = "waiting"
    ACTIVE = "active"
    CLOSED = "closed"


class Author(StrEnum):
    VISITOR = "visitor"
    AGENT = "agent"
    SYSTEM = "system"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    @classmethod
    def yes(cls) -> Decision:
        return cls(True)

    @classmethod
    def no(cls, reason: str) -> Decision:
        return cls(False, reason)


def clean_text(raw: str) -> str:
    """A message as it is kept: control characters dropped (newlines and tabs stay), ends trimmed."""
    kept = "".join(ch for ch in raw if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    return kept.strip()


def can_post(status: ChatStatus, author: Author) -> Decision:
    """Say whether ``author`` may write into a chat in ``status``, and why not."""
    if status == ChatStatus.CLOSED:
        return Decision.no("the chat is closed")
    if author == Author.AGENT and status == ChatStatus.WAITING:
        return Decision.no("take the chat before replying")
    return Decision.yes()


def can_take(status: ChatStatus, assigned: object | None, me: object) -> Decision:
    """Say whether an agent may take a chat: a waiting one, or one already theirs."""
    if status == ChatStatus.CLOSED:
        return Decision.no("the chat is closed")
    if status == ChatStatus.ACTIVE and assigned is not None and assigned != me:
        return Decision.no("another advisor has taken this chat")
    return Decision.yes()


def author_label(author: Author, name: str | None) -> str:
    """How a line of the transcript names its author: ``Anna (visitor)``, ``Olivia (advisor)``."""
    role = {Author.VISITOR: "visitor", Author.AGENT: "advisor", Author.SYSTEM: "system"}[author]
    return f"{name} ({role})" if name else role
