"""What every storefront page shares: the brand, the language links, the shopper's cart and the page render.

Pages pass their session in; the brand costs one small read (``branding.service.current`` caches the rest), and
the cart badge one read when the browser holds a cart.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_date, format_datetime
from fastapi import Request, Response
from sqlalchemy.orm import Session

from omniretail.branding import service as branding_service
from omniretail.cart import service as cart_service
from omniretail.cart.dependencies import CART_COOKIE
from omniretail.identity import service as identity_service
from omniretail.identity.dependencies import CUSTOMER_COOKIE
from omniretail.kernel import i18n
from omniretail.kernel.money import Money
from omniretail.web.storefront import views
from omniretail.web.storefront.views import SORT_LABELS
from omniretail.web.templates import render

if TYPE_CHECKING:
    from omniretail.channels.models import Channel
    from omniretail.identity.models import CustomerAccount

CART_DAYS = 30


def lang_urls(request: Request) -> dict[str, str]:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {code: f"{request.url.path}?{urlencode([*kept, ('lang', code)])}" for code in i18n.LOCALES}


def money(amount_minor: int, currency: str, locale: str) -> str:
    return Money(amount_minor, currency).format(locale)


def when(value: datetime, locale: str, *, with_time: bool = False) -> str:
    """A date (and time, UTC) in the shopper's language."""
    loc = Locale.parse(locale)
    return format_datetime(value, "medium", locale=loc) if with_time else format_date(value, "medium", locale=loc)


def customer_of(request: Request, session: Session) -> CustomerAccount | None:
    """The signed-in shopper, for routes that open their own transactions (no request-wide session)."""
    raw = request.cookies.get(CUSTOMER_COOKIE)
    return identity_service.customer_for_session(session=session, raw=raw) if raw else None


def find_cart(request: Request, session: Session, customer_id: uuid.UUID | None,
              channel: Channel) -> cart_service.Cart | None:
    """The shopper's open cart in this channel: the account's, else the guest cart in the cookie."""
    if customer_id is not None:
        mine = cart_service.open_cart_for(session=session, customer_id=customer_id, channel_id=channel.id)
        if mine is not None:
            return mine
    token = request.cookies.get(CART_COOKIE)
    if not token or len(token) > 100:
        return None
    cart = cart_service.cart_by_token(session=session, token=token)
    if cart is None or cart.status != cart_service.OPEN or cart.channel_id != channel.id:
        return None
    if cart.customer_id is not None and cart.customer_id != customer_id:
        return None
    return cart


def keep_cart_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(CART_COOKIE, token, max_age=CART_DAYS * 86400, httponly=True, samesite="lax",
                        secure=secure, path="/")


def page(request: Request, session: Session, template: str, locale: str, context: dict[str, Any], *,
         links: list[views.CategoryLink] | None = None, channel: Channel | None = None,
         customer: CustomerAccount | None = None, cart_count: int | None = None, status: int = 200,
         chrome: bool = True) -> Response:
    """Render a storefront page with the brand, header menu, language links, cart badge and Server-Timing
    (``chrome=False``: no search box, menu or footer, for the focused sign-in forms)."""
    if cart_count is None and channel is not None and (customer is not None or request.cookies.get(CART_COOKIE)):
        cart = find_cart(request, session, customer.id if customer else None, channel)
        cart_count = sum(line.quantity for line in cart.lines) if cart else 0
    shell = {"menu": views.children(links or [], None)} if chrome else {}
    response = render(request, template, {
        **shell, "lang_urls": lang_urls(request), "channel": channel,
        "money": lambda minor, currency: money(minor, currency, locale), "sort_labels": SORT_LABELS,
        "brand": branding_service.current(session=session), "customer": customer,
        "cart_count": cart_count or 0, **context}, preferred_locale=locale, status=status)
    started = getattr(request.state, "started", None)
    if started is not None:
        response.headers["server-timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response
