"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for e-mail tests."""

from __future__ import annotations

import email
import email.policy
import threading
import time
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted"


class SmtpSink:
    def __init__(self, port: int):
        self.port = port
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def wait_for(self, to: str, timeout: float = 10.0) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for message in self.messages:
                    if to in str(message["To"]):
                        return message
            time.sleep(0.05)
        raise AssertionError(f"no e-mail to {to} within {timeout} s")

    @staticmethod
    def body(message: Message) -> str:
        part = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else message
        payload = (part or message).get_payload(decode=True)
        return payload.decode() if isinstance(payload, bytes) else str(payload)
