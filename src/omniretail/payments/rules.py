"""Payment rules: test card numbers, cash change, split tender cover, refund plans, pay-later schedules. Pure.

Refunds go back to the original tenders in the order they were taken (or all to store credit when the shopper
chooses), and never exceed what a tender captured minus what it already refunded.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from omniretail.kernel.money import Money


class Method(StrEnum):
    CARD = "card"
    CASH = "cash"
    GIFT_CARD = "gift_card"
    STORE_CREDIT = "store_credit"
    PAY_LATER = "pay_later"
    QR = "qr"
    MARKETPLACE = "marketplace"


class PaymentStatus(StrEnum):
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    VOIDED = "voided"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


# The test card gateway's documented numbers (docs/checkout.md).
TEST_CARD_APPROVE = "4242424242424242"
TEST_CARD_DECLINE = "4000000000000002"
TEST_CARD_NEEDS_ACTION = "4000002500003155"
TEST_CARD_INSUFFICIENT_FUNDS = "4000000000009995"
# Approves at checkout, then every later charge (a pay-later installment) is declined for insufficient funds.
TEST_CARD_LATER_DECLINE = "4000000000000341"


@dataclass(frozen=True)
class TenderRequest:
    """What the shopper or cashier offers: ``amount_minor`` None means "the rest" (only one tender may)."""

    method: str
    amount_minor: int | None = None
    card_number: str | None = None
    gift_card_code: str | None = None
    cash_tendered_minor: int | None = None
    external_ref: str | None = None
    installments: int = 4


@dataclass(frozen=True)
class TenderShare:
    method: str
    amount_minor: int
    tendered_minor: int
    change_minor: int


def split(total_minor: int, tenders: Sequence[TenderRequest]) -> list[TenderShare] | str:
    """How much each tender pays; cash may be more than due (change). A string says why it does not add up."""
    if not tenders:
        return "give at least one way to pay" if total_minor > 0 else []
    open_ended = [t for t in tenders if t.amount_minor is None and t.method != Method.CASH]
    cash = [t for t in tenders if t.method == Method.CASH]
    if len(open_ended) > 1:
        return "only one tender may pay 'the rest'"
    if len(cash) > 1:
        return "take cash once per sale"
    if cash and open_ended:
        return "cash pays the rest; give the other tenders' amounts"
    fixed = sum(t.amount_minor or 0 for t in tenders if t.method != Method.CASH)
    if any((t.amount_minor or 0) < 0 for t in tenders):
        return "amounts cannot be negative"
    if fixed > total_minor:
        return "the tenders pay more than is due"
    rest = total_minor - fixed
    shares: list[TenderShare] = []
    for tender in tenders:
        if tender.method == Method.CASH:
            given = tender.cash_tendered_minor if tender.cash_tendered_minor is not None else (tender.amount_minor or 0)
            if given < rest:
                return f"cash given ({given}) is less than the {rest} still due"
            shares.append(TenderShare(tender.method, rest, given, given - rest))
            rest = 0
        elif tender.amount_minor is None:
            shares.append(TenderShare(tender.method, rest, rest, 0))
            rest = 0
        else:
            shares.append(TenderShare(tender.method, tender.amount_minor, tender.amount_minor, 0))
    if rest:
        return f"{rest} is still due"
    return shares


@dataclass(frozen=True)
class Tender:
    """A taken tender as refunds see it."""

    payment_id: uuid.UUID
    method: str
    captured_minor: int
    refunded_minor: int

    @property
    def refundable(self) -> int:
        return max(self.captured_minor - self.refunded_minor, 0)


@dataclass(frozen=True)
class RefundPart:
    payment_id: uuid.UUID
    amount_minor: int
    destination: str  # "original" or "store_credit"


def plan_refund(tenders: Sequence[Tender], amount_minor: int, *, to_store_credit: bool = False
                ) -> list[RefundPart] | str:
    """Split a refund over the tenders in the order they were taken; a string says why it is refused."""
    if amount_minor <= 0:
        return "a refund must be positive"
    available = sum(t.refundable for t in tenders)
    if amount_minor > available:
        return f"only {available} can still be refunded"
    parts: list[RefundPart] = []
    left = amount_minor
    for tender in tenders:
        take = min(left, tender.refundable)
        if take:
            destination = "store_credit" if to_store_credit else "original"
            parts.append(RefundPart(tender.payment_id, take, destination))
            left -= take
        if not left:
            break
    return parts


def installment_schedule(total: Money, *, count: int, first_due: datetime,
                         every: timedelta = timedelta(days=14)) -> list[tuple[datetime, Money]]:
    """Equal installments (the cents spread by ``Money.allocate``), the first due at ``first_due``."""
    if count < 2 or count > 12:
        raise ValueError("pay later takes 2 to 12 installments")
    return [(first_due + every * i, part) for i, part in enumerate(total.allocate([1] * count))]


@dataclass(frozen=True)
class InstallmentPolicy:
    """How pay later runs: the gap between installments, and how a declined installment is retried (``retry_after``
    later, at most ``max_attempts`` times, then it stays ``failed`` for a person to chase)."""

    every: timedelta = timedelta(days=14)
    retry_after: timedelta = timedelta(days=1)
    max_attempts: int = 3


def after_failure(*, attempts: int, now: datetime, policy: InstallmentPolicy) -> datetime | None:
    """When a declined installment is tried again, or None when it has used its attempts."""
    return now + policy.retry_after if attempts < policy.max_attempts else None


def luhn_ok(number: str) -> bool:
    """The card number's check digit is right."""
    digits = [int(c) for c in number if c in "0123456789"]  # str.isdigit() also says yes to "³"
    if len(digits) < 12 or len(digits) != len(number):
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def qr_payload(*, reference: str, amount: Money, merchant: str) -> str:
    """The text a shopper's banking app scans to pay (an EPC-style payload; images need a QR package)."""
    return "\n".join(["BCD", "002", "1", "SCT", "", merchant[:70], "", f"{amount.currency}{amount.to_decimal()}",
                      "", reference[:35]])
