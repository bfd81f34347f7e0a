"""Gateway adapters: the test card gateway (documented test numbers), and the registry placement uses.

``TestCardGateway`` behaves like a real card processor kept in memory: idempotent by key, refunds capped at
what was captured, webhooks signed with HMAC-SHA256. Test numbers: 4242 4242 4242 4242 approves,
4000 0000 0000 0002 declines, 4000 0000 0000 9995 declines for insufficient funds, 4000 0025 0000 3155 needs
customer action (3-D Secure), 4000 0000 0000 0341 approves at checkout but declines every later capture (a
pay-later installment). Any other Luhn-valid number approves. The gateway lives in memory: charges made by an earlier
process are unknown to it, and it accepts captures and refunds of those (demo data) as a sandbox would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.payments.exceptions import BadWebhookSignature, RefundRefused
from omniretail.payments.ports import APPROVED, DECLINED, NEEDS_ACTION, GatewayResult, PaymentGateway
from omniretail.payments.rules import (
    TEST_CARD_DECLINE,
    TEST_CARD_INSUFFICIENT_FUNDS,
    TEST_CARD_LATER_DECLINE,
    TEST_CARD_NEEDS_ACTION,
    Method,
    luhn_ok,
)


@dataclass
class Charge:
    reference: str
    amount: Money
    captured_minor: int
    refunded_minor: int = 0
    voided: bool = False
    fails_later: bool = False


class TestCardGateway:
    """An in-process card processor for development, tests and demos (never for real money)."""

    name = "test_card"

    def __init__(self, webhook_secret: str = "whsec_test") -> None:  # noqa: S107 - a test gateway
        self._lock = threading.Lock()
        self._by_key: dict[str, tuple[GatewayResult, Charge | None]] = {}
        self._by_ref: dict[str, Charge] = {}
        self._refunds: dict[str, GatewayResult] = {}
        self._captures: dict[str, GatewayResult] = {}
        self.calls = 0
        self.webhook_secret = webhook_secret.encode()

    def authorize(self, *, amount: Money, source: str, idempotency_key: str, capture: bool) -> GatewayResult:
        number = source.replace(" ", "")
        with self._lock:
            self.calls += 1
            if idempotency_key in self._by_key:
                return self._by_key[idempotency_key][0]
            charge: Charge | None = None
            if not luhn_ok(number):
                result = GatewayResult(DECLINED, None, message="the card number is not valid")
            elif number in (TEST_CARD_DECLINE, TEST_CARD_INSUFFICIENT_FUNDS):
                reason = "insufficient funds" if number == TEST_CARD_INSUFFICIENT_FUNDS else "card declined"
                result = GatewayResult(DECLINED, None, message=reason, card_last4=number[-4:])
            elif number == TEST_CARD_NEEDS_ACTION:
                result = GatewayResult(NEEDS_ACTION, None, message="confirm the payment with your bank",
                                       next_action="/test-gateway/3ds", card_last4=number[-4:])
            else:
                reference = f"tc_{new_id().hex[:20]}"
                charge = Charge(reference, amount, amount.amount_minor if capture else 0,
                                fails_later=number == TEST_CARD_LATER_DECLINE)
                self._by_ref[reference] = charge
                result = GatewayResult(APPROVED, reference, captured=capture, card_last4=number[-4:])
            self._by_key[idempotency_key] = (result, charge)
            return result

    def capture(self, *, reference: str, amount: Money, idempotency_key: str) -> GatewayResult:
        with self._lock:
            self.calls += 1
            if idempotency_key in self._captures:
                return self._captures[idempotency_key]
            charge = self._by_ref.get(reference)
            if charge is not None and (charge.voided or (charge.fails_later and charge.captured_minor > 0)):
                result = GatewayResult(DECLINED, None, message="insufficient funds")
            elif charge is not None and charge.captured_minor + amount.amount_minor > charge.amount.amount_minor:
                result = GatewayResult(DECLINED, None, message="more than was authorized")
            else:
                if charge is not None:
                    charge.captured_minor += amount.amount_minor
                result = GatewayResult(APPROVED, f"cp_{new_id().hex[:20]}", captured=True)
            self._captures[idempotency_key] = result
            return result

    def void(self, *, idempotency_key: str) -> bool:
        with self._lock:
            found = self._by_key.get(idempotency_key)
            if found is None or found[1] is None or found[1].voided:
                return False
            found[1].voided = True
            return True

    def refund(self, *, reference: str, amount: Money, idempotency_key: str) -> GatewayResult:
        with self._lock:
            if idempotency_key in self._refunds:
                return self._refunds[idempotency_key]
            charge = self._by_ref.get(reference)
            if charge is not None and charge.refunded_minor + amount.amount_minor > charge.captured_minor:
                raise RefundRefused("The gateway refuses to refund more than it captured")
            if charge is not None:
                charge.refunded_minor += amount.amount_minor
            result = GatewayResult(APPROVED, f"re_{new_id().hex[:20]}", captured=True)
            self._refunds[idempotency_key] = result
            return result

    def sign(self, payload: bytes) -> str:
        return hmac.new(self.webhook_secret, payload, hashlib.sha256).hexdigest()

    def verify_webhook(self, *, payload: bytes, signature: str) -> dict[str, Any]:
        if not hmac.compare_digest(self.sign(payload), signature or ""):
            raise BadWebhookSignature()
        data = json.loads(payload)
        if not isinstance(data, dict):
            raise BadWebhookSignature("The webhook body is not an event")
        return data

    # what tests and the docs look at
    def charges_for(self, idempotency_prefix: str) -> list[Charge]:
        """Live (not voided) charges made under keys starting with ``idempotency_prefix``."""
        with self._lock:
            return [c for k, (_, c) in self._by_key.items()
                    if k.startswith(idempotency_prefix) and c is not None and not c.voided]

    def charge(self, reference: str) -> Charge:
        with self._lock:
            return self._by_ref[reference]


@dataclass
class Gateways:
    """Which gateway serves which method (card and the card part of pay later go to the same processor)."""

    by_method: dict[str, PaymentGateway] = field(default_factory=dict)

    def for_method(self, method: str) -> PaymentGateway:
        return self.by_method[method]

    def named(self, name: str) -> PaymentGateway | None:
        """The gateway called ``name`` (webhooks arrive per gateway), if one is configured."""
        return next((g for g in self.by_method.values() if g.name == name), None)


_default = TestCardGateway()
_registry = Gateways({Method.CARD.value: _default, Method.PAY_LATER.value: _default})


def gateways() -> Gateways:
    """The process-wide gateways (the test card gateway until a real adapter is configured)."""
    return _registry


def use(registry: Gateways) -> Gateways:
    """Swap the gateways (tests, or a composition root that configures a real provider); returns the old ones."""
    global _registry
    old, _registry = _registry, registry
    return old


def test_card() -> TestCardGateway:
    """The process's test card gateway (tests and demos read its charges)."""
    return _default
