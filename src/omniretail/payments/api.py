"""Payments API: refunds of one payment, gift cards (sold or granted, usable in every channel), and the POS
cash drawer routes."""

from __future__ import annotations

import uuid
from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from omniretail.cart.dependencies import csrf_for_cookies, resolve_caller
from omniretail.identity.dependencies import Allowed, CurrentStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import DatabaseDep, SessionDep, SettingsDep
from omniretail.kernel.errors import NotAuthenticated, PermissionDenied
from omniretail.kernel.i18n import current_locale, gettext
from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.ordering.schemas import RefundRead
from omniretail.payments import qr, refunds
from omniretail.payments import service as payments_service
from omniretail.payments.exceptions import PaymentNotFound
from omniretail.payments.gateways import gateways
from omniretail.payments.models import Payment
from omniretail.payments.pos.api import router as pos_router
from omniretail.payments.schemas import GiftCardCreate, GiftCardRead, PaymentRefundIn, WebhookAck

router = APIRouter(tags=["payments"])
router.include_router(pos_router)


@router.post("/payments/{payment_id}/refunds", status_code=201, response_model=list[RefundRead],
             dependencies=[Depends(csrf_for_cookies)])
def refund_payment(payment_id: uuid.UUID, body: PaymentRefundIn, request: Request, db: DatabaseDep,
                   idempotency_key: Annotated[str, Header(alias="idempotency-key", min_length=8, max_length=200)]
                   ) -> list[RefundRead]:
    """Refund part of one payment (never more than it captured), to itself or to store credit; the same key
    refunds once. The card gateway is called with no transaction open."""
    with db.transaction(read_only=True) as session:
        staff = resolve_caller(request, session).staff
    if staff is None:
        raise NotAuthenticated("Sign in")

    def check(payment: Payment) -> None:
        if not staff.can(Permission.ORDERS_MANAGE, payment.location_id) and not staff.can(
                Permission.RETURNS_MANAGE, payment.location_id):
            raise PermissionDenied("You may not refund payments here")

    done = refunds.refund_payment(db=db, payment_id=payment_id, amount_minor=body.amount_minor,
                                  idempotency_key=idempotency_key, to_store_credit=body.to_store_credit,
                                  customer_id=None, actor=f"staff:{staff.email}", check=check)
    return [RefundRead.model_validate(d) for d in done]


@router.post("/gift-cards", status_code=201, response_model=GiftCardRead)
def issue_gift_card(body: GiftCardCreate, session: SessionDep,
                    staff: Annotated[Principal, Depends(Allowed(Permission.ORDERS_MANAGE))]) -> GiftCardRead:
    """Issue a gift card loaded with an amount; its code works in every channel."""
    account, code = payments_service.issue_gift_card(session=session, amount=Money(body.amount_minor, body.currency),
                                                     ref=f"issue:{new_id()}", customer_id=body.customer_id)
    return GiftCardRead(code=code, currency=account.currency, balance_minor=body.amount_minor)


@router.get("/gift-cards/{code}", response_model=GiftCardRead)
def gift_card_balance(code: str, session: SessionDep, staff: CurrentStaff) -> GiftCardRead:
    """A gift card's balance."""
    account = payments_service.gift_card(session=session, code=code[:32])
    return GiftCardRead(code=account.code or "", currency=account.currency,
                        balance_minor=payments_service.balance(session=session, account_id=account.id))


@router.post("/payments/webhooks/{gateway}", response_model=WebhookAck)
async def gateway_webhook(gateway: str, request: Request, db: DatabaseDep,
                          signature: Annotated[str, Header(alias="x-signature", max_length=200)] = "") -> WebhookAck:
    """Take an event a payment gateway sends (HMAC-SHA256 over the raw body in ``X-Signature``); a redelivered
    event id changes nothing."""
    adapter = gateways().named(gateway[:30])
    if adapter is None:
        raise PaymentNotFound("No such gateway")
    payload = await request.body()
    event = adapter.verify_webhook(payload=payload, signature=signature)

    def store() -> bool:
        with db.transaction() as session:
            return payments_service.receive_webhook(session=session, gateway=adapter.name, event=event)

    fresh = await run_in_threadpool(store)
    return WebhookAck(received=True, duplicate=not fresh)


# -- QR payments: the pages the shopper's phone opens ----------------------------------------------------------

_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">{body}</body></html>"""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(lang=current_locale.get(), title=escape(title), body=body))


@router.get("/payments/qr/{token}", response_class=HTMLResponse, name="qr_payment_page")
def qr_payment_page(token: str, session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The page a phone opens from the QR code: what is paid, to whom, and a button to confirm."""
    row = qr.get_request(session=session, request_id=qr.read_token(secret=settings.effective_secret_key(),
                                                                  token=token[:100]))
    amount = Money(row.amount_minor, row.currency).format(current_locale.get())
    title = gettext("Pay {amount} to {merchant}").format(amount=amount, merchant=row.merchant)
    if row.status == qr.CONFIRMED:
        return _page(title, f"<h1>{escape(title)}</h1><p>{escape(gettext('Paid. You can close this page.'))}</p>")
    return _page(title, f"<h1>{escape(title)}</h1><p>{escape(gettext('Reference'))}: {escape(row.reference)}</p>"
                        f'<form method="post" action="{escape(token)}/confirm">'
                        f'<button type="submit">{escape(gettext("Confirm payment"))}</button></form>')


@router.get("/payments/qr/{token}/code.svg", name="qr_payment_code")
def qr_payment_code(token: str, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The QR code (SVG) of the payment page, for the checkout screen to show."""
    qr.get_request(session=session, request_id=qr.read_token(secret=settings.effective_secret_key(),
                                                            token=token[:100]))
    url = str(request.url_for("qr_payment_page", token=token))
    return Response(qr.svg(url), media_type="image/svg+xml")


@router.post("/payments/qr/{token}/confirm", response_model=None)
def qr_payment_confirm(token: str, request: Request, session: SessionDep, settings: SettingsDep
                       ) -> HTMLResponse | dict[str, str]:
    """Confirm the payment from the phone; the checkout then completes when it is placed again with its key."""
    row = qr.confirm(session=session, request_id=qr.read_token(secret=settings.effective_secret_key(),
                                                               token=token[:100]))
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return _page(gettext("Paid. You can close this page."),
                     f"<p>{escape(gettext('Paid. You can close this page.'))}</p>")
    return {"status": row.status, "reference": row.reference}
