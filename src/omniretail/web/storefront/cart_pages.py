"""The cart page: lines with pictures, quantity change and removal as plain forms, why a line cannot be bought,
totals with every adjustment explained, a coupon form and (signed in) a points form.

Every POST carries the CSRF token and answers with a redirect (post/redirect/get), so reloading never repeats
it. A guest's cart lives behind the ``or_cart`` cookie; a signed-in shopper's cart is their account's.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.cart.rules import Problem
from omniretail.catalog.storefront import service as storefront_service
from omniretail.identity.dependencies import check_csrf
from omniretail.kernel.deps import DatabaseDep, SettingsDep
from omniretail.kernel.errors import DomainError
from omniretail.kernel.i18n import N_, gettext
from omniretail.kernel.money import Money
from omniretail.loyalty import service as loyalty_service
from omniretail.promotions import service as promotions_service
from omniretail.web.storefront import layout, views
from omniretail.web.storefront.views import PageNotFound
from omniretail.web.templates import locale_for
from omniretail.web.tracking import track

if TYPE_CHECKING:
    from omniretail.channels.models import Channel

router = APIRouter(include_in_schema=False)
CsrfChecked = Depends(check_csrf)
MAX_QUANTITY = 20
PROBLEMS = {Problem.NOT_FOUND: N_("This item is no longer sold."),
            Problem.NOT_PUBLISHED: N_("This item is not sold in this shop."),
            Problem.NO_PRICE: N_("This item has no price here yet."),
            Problem.QUANTITY_LIMIT: N_("At most 20 of one item per order."),
            Problem.OUT_OF_STOCK: N_("Out of stock.")}
ONLY = re.compile(r"only (\d+) available")
NOTICES = {"added": N_("Added to your cart."), "updated": N_("Your cart is updated."),
           "removed": N_("The item is removed from your cart."), "coupon": N_("The coupon is applied."),
           "coupon-removed": N_("The coupon is removed."), "points": N_("Your points are set for this order."),
           "unknown-item": N_("We could not find this item."),
           "coupon-refused": N_("This coupon cannot be used for this cart."),
           "points-refused": N_("These points cannot be used for this cart."),
           "closed": N_("This cart was already ordered; here is a new one.")}



def shop_channel(session: Session) -> Channel:
    channel = views.web_channel(session)
    if channel is None:
        raise PageNotFound("The shop has no web channel yet")
    return channel


def problem_text(problem: str | None, detail: str | None) -> str | None:
    """The shopper's sentence for why a line cannot be bought, in their language."""
    if not problem:
        return None
    found = ONLY.search(detail or "")
    if problem == Problem.OUT_OF_STOCK and found:
        return gettext("Only %(num)s left.") % {"num": found.group(1)}
    return gettext(PROBLEMS.get(Problem(problem), N_("This item cannot be bought now.")))


@dataclass(frozen=True)
class LineView:
    id: uuid.UUID
    sku: str
    name: str
    url: str | None
    image: str | None
    quantity: int
    unit: str | None
    regular: str | None
    total: str | None
    problem: str | None


def line_views(session: Session, cart: cart_service.Cart, channel: Channel, locale: str) -> list[LineView]:
    """The cart's lines with their product names, links and pictures in the shopper's language (3 queries)."""
    product_ids = list(dict.fromkeys(ln.product_id for ln in cart.lines if ln.product_id))
    cards = {c.id: c for c in storefront_service.cards(session=session, channel=channel, locale=locale,
                                                       product_ids=product_ids, prices={})}
    views_: list[LineView] = []
    for ln in cart.lines:
        card = cards.get(ln.product_id) if ln.product_id else None
        unit = layout.money(ln.unit_price_minor, cart.currency, locale) if ln.unit_price_minor is not None else None
        regular = (layout.money(ln.regular_price_minor, cart.currency, locale)
                   if ln.regular_price_minor and ln.unit_price_minor is not None
                   and ln.regular_price_minor > ln.unit_price_minor else None)
        total = (layout.money(ln.unit_price_minor * ln.quantity, cart.currency, locale)
                 if ln.unit_price_minor is not None else None)
        views_.append(LineView(ln.id, ln.sku, card.name if card else ln.name, f"/p/{card.slug}" if card else None,
                               card.image if card else None, ln.quantity, unit, regular, total,
                               problem_text(ln.problem, ln.problem_detail)))
    return views_


def totals_view(session: Session, cart: cart_service.Cart, locale: str) -> dict[str, Any]:
    """Subtotal, each adjustment with its label, delivery, total and the points it earns, formatted."""
    offers = cart_service.offers_for(session=session, cart=cart)
    totals = cart_service.cart_totals(session=session, cart=cart)

    def fmt(m: Money) -> str:
        return m.format(locale)

    return {"subtotal": fmt(totals.subtotal), "tax": fmt(totals.tax), "shipping": fmt(totals.shipping),
            "has_shipping": bool(cart.delivery), "discount": totals.discount.amount_minor,
            "adjustments": [(a.label, fmt(a.amount)) for a in offers.adjustments],
            "total": fmt(totals.total), "total_minor": totals.total.amount_minor, "points": totals.points}


def _notice(request: Request) -> str | None:
    key = request.query_params.get("notice")
    return NOTICES.get(key or "")


@router.get("/cart")
def cart_page(request: Request, db: DatabaseDep) -> Response:
    """The cart, re-priced now: each line says if it cannot be bought and why; totals explain every discount."""
    with db.transaction() as session:
        customer = layout.customer_of(request, session)
        locale = locale_for(request, customer.locale if customer else None)
        channel = shop_channel(session)
        links = views.category_links(session, locale)
        cart = layout.find_cart(request, session, customer.id if customer else None, channel)
        context: dict[str, Any] = {"cart": cart, "notice": _notice(request), "lines": [], "totals": None,
                                   "codes": [], "points_form": customer is not None, "max_quantity": MAX_QUANTITY}
        if cart is not None and cart.lines:
            cart_service.reprice(session=session, cart=cart)
            context.update(lines=line_views(session, cart, channel, locale), totals=totals_view(session, cart, locale),
                           blocked=any(ln.problem for ln in cart.lines),
                           codes=promotions_service.cart_codes(session=session, cart_id=cart.id))
        count = sum(ln.quantity for ln in cart.lines) if cart else 0
        return layout.page(request, session, "storefront/cart.html", locale, context, links=links, channel=channel,
                           customer=customer, cart_count=count)


def _back(notice: str) -> RedirectResponse:
    return RedirectResponse(f"/cart?notice={notice}", status_code=303)


def _quantity(raw: str) -> int | None:
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if 0 <= value <= 999 else None


@router.post("/cart/lines", dependencies=[CsrfChecked])
def add_to_cart(request: Request, db: DatabaseDep, settings: SettingsDep, sku: Annotated[str, Form(max_length=64)],
                quantity: Annotated[str, Form(max_length=6)] = "1") -> Response:
    """Put an item in the cart (a new guest cart is kept in a cookie) and show the cart."""
    amount = _quantity(quantity) or 1
    token = None
    with db.transaction() as session:
        customer = layout.customer_of(request, session)
        channel = shop_channel(session)
        cart = layout.find_cart(request, session, customer.id if customer else None, channel)
        if cart is None:
            cart, token = cart_service.create_cart(session=session, channel_id=channel.id,
                                                   customer_id=customer.id if customer else None)
        try:
            with session.begin_nested():
                cart_service.add_line(session=session, cart=cart, sku=sku.strip(), quantity=min(amount, MAX_QUANTITY))
        except DomainError:
            response = _back("unknown-item")
        else:
            response = _back("added")
            added = next((ln for ln in cart.lines if ln.sku == sku.strip()), None)
            track(request, "add_to_cart", customer_id=customer.id if customer else None, channel_code=channel.code,
                  variant_id=added.variant_id if added else None, product_id=added.product_id if added else None,
                  quantity=min(amount, MAX_QUANTITY))
    if token is not None and customer is None:
        layout.keep_cart_cookie(response, token, settings.cookie_secure)
    return response


@router.post("/cart/lines/{line_id}", dependencies=[CsrfChecked])
def change_line(line_id: uuid.UUID, request: Request, db: DatabaseDep,
                quantity: Annotated[str, Form(max_length=6)] = "",
                action: Annotated[str, Form(max_length=10)] = "update") -> Response:
    """Change a line's quantity, or take it out (``action=remove`` or quantity 0)."""
    with db.transaction() as session:
        customer = layout.customer_of(request, session)
        cart = layout.find_cart(request, session, customer.id if customer else None, shop_channel(session))
        if cart is None:
            return _back("closed")
        amount = 0 if action == "remove" else _quantity(quantity)
        if amount is None:
            return _back("updated")
        try:
            with session.begin_nested():
                cart_service.set_quantity(session=session, cart=cart, line_id=line_id,
                                          quantity=min(amount, MAX_QUANTITY))
        except DomainError:
            return _back("unknown-item")
    return _back("removed" if amount == 0 else "updated")


@router.post("/cart/coupon", dependencies=[CsrfChecked])
def apply_coupon(request: Request, db: DatabaseDep, code: Annotated[str, Form(max_length=40)] = "",
                 action: Annotated[str, Form(max_length=10)] = "apply") -> Response:
    """Apply a coupon code to the cart, or remove it."""
    with db.transaction() as session:
        customer = layout.customer_of(request, session)
        cart = layout.find_cart(request, session, customer.id if customer else None, shop_channel(session))
        if cart is None:
            return _back("closed")
        try:
            with session.begin_nested():
                if action == "remove":
                    promotions_service.remove_coupon(session=session, cart_id=cart.id, code=code.strip())
                else:
                    promotions_service.apply_coupon(session=session, cart_id=cart.id, code=code.strip(),
                                                    customer_id=customer.id if customer else None)
        except DomainError:
            return _back("coupon-refused")
    return _back("coupon-removed" if action == "remove" else "coupon")


@router.post("/cart/points", dependencies=[CsrfChecked])
def use_points(request: Request, db: DatabaseDep, points: Annotated[str, Form(max_length=9)] = "0") -> Response:
    """Spend loyalty points on this cart (0 spends none)."""
    amount = int(points.strip()) if points.strip().isdigit() else None
    if amount is None:
        return _back("points-refused")
    with db.transaction() as session:
        customer = layout.customer_of(request, session)
        if customer is None:
            return RedirectResponse("/account/signin?next=/cart", status_code=303)
        cart = layout.find_cart(request, session, customer.id, shop_channel(session))
        if cart is None:
            return _back("closed")
        try:
            with session.begin_nested():
                loyalty_service.set_points_redemption(session=session, cart_id=cart.id, customer_id=customer.id,
                                                      points=amount)
        except DomainError:
            return _back("points-refused")
    return _back("points")
