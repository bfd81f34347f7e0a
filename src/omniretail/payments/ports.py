"""The payment gateway port: every card, wallet or pay-later provider sits behind this Protocol.

A gateway is an outside system: placement calls it with no database transaction open. Every call takes an
idempotency key so a retry after a timeout never charges twice. To add a provider, implement the Protocol in an
adapter module and register it for its methods in ``payments.gateways.Gateways``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from omniretail.kernel.money import Money

APPROVED, DECLINED, NEEDS_ACTION = "approved", "declined", "needs_action"


@dataclass(frozen=True)
class GatewayResult:
    outcome: str
    reference: str | None
    captured: bool = False
    message: str = ""
    next_action: str | None = None
    card_last4: str | None = None


class PaymentGateway(Protocol):
    name: str

    def authorize(self, *, amount: Money, source: str, idempotency_key: str, capture: bool) -> GatewayResult:
        """Reserve (and with ``capture`` take) ``amount`` from the card or account ``source``."""
        ...

    def capture(self, *, reference: str, amount: Money, idempotency_key: str) -> GatewayResult:
        """Take an authorized amount (all or part)."""
        ...

    def void(self, *, idempotency_key: str) -> bool:
        """Cancel whatever the authorization under ``idempotency_key`` holds (refund it if captured)."""
        ...

    def refund(self, *, reference: str, amount: Money, idempotency_key: str) -> GatewayResult:
        """Give back part or all of a captured amount."""
        ...

    def verify_webhook(self, *, payload: bytes, signature: str) -> dict[str, Any]:
        """The webhook's event after checking its signature; raises ``BadWebhookSignature`` otherwise."""
        ...
