"""Senders: e-mail through the platform's mailer, SMS and push through a generic JSON-over-HTTP provider.

Most SMS and push services take "POST a JSON body with an auth header" (Twilio-like gateways behind a small
proxy, OneSignal, a self-hosted ntfy or gotify). ``HttpProvider`` is configured with a URL, one header
(``Authorization: Bearer ...``) and a JSON body template whose string values may hold ``{to}``, ``{text}``,
``{title}`` and ``{reference}``; values are substituted after the template is parsed, so they are always
valid JSON. To add a provider with another shape, write a class with ``name`` and ``send`` (``ports.MessageSender``)
and pick it in ``build_senders``.
"""

from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass
from typing import Any

import httpx

from omniretail.config import Settings
from omniretail.kernel.mail import Mailer, OutgoingMail
from omniretail.marketing.ports import (
    MessageSender,
    OutgoingMessage,
    PermanentSendError,
    Receipt,
    TransientSendError,
)

DEFAULT_SMS_BODY = '{"to": "{to}", "text": "{text}", "reference": "{reference}"}'
DEFAULT_PUSH_BODY = '{"user": "{to}", "title": "{title}", "body": "{text}", "reference": "{reference}"}'
RETRYABLE_STATUS = frozenset({408, 425, 429})


@dataclass
class EmailSender:
    """The platform's mailer as a notification sender; a refused recipient is permanent, the rest transient."""

    mailer: Mailer
    name: str = "smtp"

    def send(self, message: OutgoingMessage) -> Receipt:
        try:
            self.mailer.send(OutgoingMail(to=message.to, subject=message.subject or "", text=message.text,
                                          html=message.html))
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentSendError(f"recipient refused: {exc.recipients}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientSendError(f"mail server: {exc!r}"[:500]) from exc
        return Receipt(provider=self.name)


def _fill(node: Any, values: dict[str, str]) -> Any:
    if isinstance(node, str):
        for key, value in values.items():
            node = node.replace("{" + key + "}", value)
        return node
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, dict):
        return {key: _fill(item, values) for key, item in node.items()}
    return node


@dataclass
class HttpProvider:
    """POST one JSON message to a provider; 2xx is sent, 4xx permanent, 5xx/408/429/timeouts transient."""

    name: str
    url: str
    body_template: str
    auth_header: tuple[str, str] | None = None
    timeout: float = 10.0
    id_field: str = "id"

    def __post_init__(self) -> None:
        parsed = json.loads(self.body_template)
        if not isinstance(parsed, dict):
            raise ValueError("the provider body template must be a JSON object")
        self._template: dict[str, Any] = parsed

    def body(self, message: OutgoingMessage) -> dict[str, Any]:
        values = {"to": message.to, "text": message.text, "title": message.subject or "",
                  "reference": str(message.notification_id)}
        filled: dict[str, Any] = _fill(self._template, values)
        return filled

    def send(self, message: OutgoingMessage) -> Receipt:
        headers = {"content-type": "application/json", "idempotency-key": str(message.notification_id)}
        if self.auth_header:
            headers[self.auth_header[0]] = self.auth_header[1]
        try:
            response = httpx.post(self.url, json=self.body(message), headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise TransientSendError(f"{self.name}: {exc.__class__.__name__}: {exc}"[:500]) from exc
        if response.status_code in RETRYABLE_STATUS or response.status_code >= 500:
            raise TransientSendError(f"{self.name}: HTTP {response.status_code}: {response.text[:200]}")
        if response.status_code >= 400:
            raise PermanentSendError(f"{self.name}: HTTP {response.status_code}: {response.text[:200]}")
        return Receipt(provider=self.name, message_id=self._message_id(response))

    def _message_id(self, response: httpx.Response) -> str | None:
        try:
            data = response.json()
        except ValueError:
            return None
        value = data.get(self.id_field) if isinstance(data, dict) else None
        return str(value)[:200] if value is not None else None


def parse_header(raw: str) -> tuple[str, str]:
    """``"Authorization: Bearer abc"`` -> (``Authorization``, ``Bearer abc``)."""
    name, sep, value = raw.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise ValueError("an auth header is written 'Name: value'")
    return name.strip(), value.strip()


@dataclass
class Senders:
    """One sender per channel; None where no provider is configured (such messages fail with that reason)."""

    email: MessageSender | None = None
    sms: MessageSender | None = None
    push: MessageSender | None = None

    def for_channel(self, channel: str) -> MessageSender | None:
        found: MessageSender | None = getattr(self, channel, None)
        return found


def build_senders(settings: Settings, mailer: Mailer) -> Senders:
    """The senders the settings describe (called from ``bootstrap.build_adapters``)."""

    def http(name: str, url: str | None, header: Any, body: str) -> HttpProvider | None:
        if not url:
            return None
        return HttpProvider(name=name, url=url, body_template=body,
                            auth_header=parse_header(header.get_secret_value()) if header else None,
                            timeout=settings.notify_provider_timeout)

    return Senders(email=EmailSender(mailer),
                   sms=http("sms", settings.sms_provider_url, settings.sms_provider_auth_header,
                            settings.sms_provider_body),
                   push=http("push", settings.push_provider_url, settings.push_provider_auth_header,
                             settings.push_provider_body))
