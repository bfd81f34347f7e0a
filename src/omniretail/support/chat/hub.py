"""Fan-out of chat frames to the sockets of one server process.

Each open socket registers a queue with the event loop it runs on; ``publish`` puts a frame on every queue of a
chat (and ``publish_agents`` on every advisor console) through ``call_soon_threadsafe``, so it may be called from
the request thread pool. One process only: with several app processes behind a load balancer, a visitor and an
advisor on different processes would not see each other (docs/chat.md says what to add for that).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

Frame = dict[str, Any]


@dataclass(eq=False)
class Listener:
    """One open socket: its loop and the queue its sender task drains."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Frame] = field(default_factory=asyncio.Queue)
    role: str = "visitor"
    staff_id: uuid.UUID | None = None

    def put(self, frame: Frame) -> None:
        with contextlib.suppress(RuntimeError):  # the socket's loop has ended; it is about to unsubscribe
            self.loop.call_soon_threadsafe(self.queue.put_nowait, frame)


class Hub:
    """Who listens to which chat, and the advisor consoles that listen to the queue."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chats: dict[uuid.UUID, set[Listener]] = {}
        self._agents: set[Listener] = set()

    def join(self, chat_id: uuid.UUID, listener: Listener) -> None:
        with self._lock:
            self._chats.setdefault(chat_id, set()).add(listener)

    def leave(self, chat_id: uuid.UUID, listener: Listener) -> None:
        with self._lock:
            listeners = self._chats.get(chat_id)
            if listeners is not None:
                listeners.discard(listener)
                if not listeners:
                    del self._chats[chat_id]

    def join_agents(self, listener: Listener) -> None:
        with self._lock:
            self._agents.add(listener)

    def leave_agents(self, listener: Listener) -> None:
        with self._lock:
            self._agents.discard(listener)
            for chat_id in [c for c, ls in self._chats.items() if listener in ls]:
                self._chats[chat_id].discard(listener)
                if not self._chats[chat_id]:
                    del self._chats[chat_id]

    def publish(self, chat_id: uuid.UUID, frame: Frame, *, skip: Listener | None = None) -> None:
        """Send a frame to every socket of one chat (but ``skip``, the sender of a typing signal)."""
        with self._lock:
            listeners = list(self._chats.get(chat_id, ()))
        for listener in listeners:
            if listener is not skip:
                listener.put(frame)

    def publish_agents(self, frame: Frame) -> None:
        """Send a frame to every open advisor console (a chat waiting, taken or closed)."""
        with self._lock:
            listeners = list(self._agents)
        for listener in listeners:
            listener.put(frame)

    def listening(self, chat_id: uuid.UUID) -> int:
        with self._lock:
            return len(self._chats.get(chat_id, ()))


hub = Hub()
