"""QR payments: a payment request the shopper's phone opens from a QR code and confirms.

Placement creates the request under the tender's idempotency key and answers "needs customer action" with the
link; the phone opens the link (``GET /api/v1/payments/qr/{token}``), the shopper confirms, and a retry of the
checkout with the same idempotency key completes the order. The link carries a signed token (the request id and an
HMAC-SHA256 of it under the app's secret key), so a guessed or altered link opens nothing. The confirmation page
stands in for the shopper's bank app: with a real instant-payment provider its webhook would confirm instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import uuid
from datetime import datetime

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.kernel import clock
from omniretail.kernel.db import conflict_insert
from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.payments.exceptions import QrRequestExpired, QrRequestNotFound
from omniretail.payments.models import QrPaymentRequest
from omniretail.payments.rules import qr_payload

PENDING, CONFIRMED = "pending", "confirmed"


def request_for(*, session: Session, key: str, amount: Money, merchant: str, expires_at: datetime
                ) -> QrPaymentRequest:
    """The payment request of a placement's tender, created on first use (the same key finds the same one)."""
    insert = conflict_insert(session)
    session.execute(insert(QrPaymentRequest).values(
        id=new_id(), idempotency_key=key, amount_minor=amount.amount_minor, currency=amount.currency,
        merchant=merchant[:70], reference=f"QR{new_id().hex[:16].upper()}", status=PENDING, expires_at=expires_at,
        confirmed_at=None, created_at=clock.now()).on_conflict_do_nothing(index_elements=["idempotency_key"]))
    row = session.scalar(select(QrPaymentRequest).where(QrPaymentRequest.idempotency_key == key))
    assert row is not None
    return row


def get_request(*, session: Session, request_id: uuid.UUID) -> QrPaymentRequest:
    row = session.get(QrPaymentRequest, request_id)
    if row is None:
        raise QrRequestNotFound()
    return row


def confirm(*, session: Session, request_id: uuid.UUID) -> QrPaymentRequest:
    """The shopper confirmed on their phone; confirming twice is harmless, confirming too late is refused."""
    row = session.scalar(select(QrPaymentRequest).where(QrPaymentRequest.id == request_id).with_for_update())
    if row is None:
        raise QrRequestNotFound()
    if row.status == CONFIRMED:
        return row
    if row.expires_at <= clock.now():
        raise QrRequestExpired()
    row.status, row.confirmed_at = CONFIRMED, clock.now()
    session.flush()
    return row


def payload(row: QrPaymentRequest) -> str:
    """The EPC-style text a banking app would read for this request."""
    return qr_payload(reference=row.reference, amount=Money(row.amount_minor, row.currency), merchant=row.merchant)


def _mac(secret: str, request_id: uuid.UUID) -> str:
    digest = hmac.new(secret.encode(), b"qr:" + request_id.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def sign(*, secret: str, request_id: uuid.UUID) -> str:
    """The link token of a request: its id and a MAC of it."""
    return f"{request_id.hex}.{_mac(secret, request_id)}"


def read_token(*, secret: str, token: str) -> uuid.UUID:
    """The request id a token names, if its MAC matches."""
    head, _, mac = token.partition(".")
    try:
        request_id = uuid.UUID(hex=head)
    except ValueError as exc:
        raise QrRequestNotFound() from exc
    if not hmac.compare_digest(mac.encode("utf-8", "replace"), _mac(secret, request_id).encode()):
        raise QrRequestNotFound()
    return request_id


def svg(url: str) -> str:
    """The QR code of ``url`` as an SVG document."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, title="Pay with your phone")
    return out.getvalue().decode()
