"""Scan and go: in a store, the shopper picks that store, scans barcodes with the phone's camera (or types them),
pays in the browser and shows an exit pass (a QR code) that the store's staff check on the POS.

The cart is an ordinary cart on the store's own channel at its location, so the sale takes stock from that
store's shelf and lands in the order history like a till sale (one order path). The pass is the order id signed
with the app's secret key; ``GET /api/v1/scan-and-go/passes/{token}`` tells staff at that store whether it is a
paid scan-and-go order and what it holds.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import segno
from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.checkout import placement
from omniretail.identity.dependencies import OptionalStaff, check_csrf
from omniretail.identity.rules import Permission
from omniretail.inventory import service as inventory_service
from omniretail.kernel.deps import DatabaseDep, SessionDep, SettingsDep
from omniretail.kernel.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from omniretail.kernel.i18n import N_
from omniretail.ordering import service as ordering_service
from omniretail.ordering.exceptions import OrderNotFound
from omniretail.payments.rules import TenderRequest
from omniretail.web.storefront import layout, views
from omniretail.web.storefront.cart_pages import line_views, totals_view
from omniretail.web.storefront.views import PageNotFound
from omniretail.web.templates import locale_for

if TYPE_CHECKING:
    from omniretail.channels.models import Channel
    from omniretail.inventory.models import Location

router = APIRouter(include_in_schema=False)
SCAN_COOKIE = "or_scan"
NOTICES = {"added": N_("Added to your cart."), "unknown": N_("We could not find this barcode."),
           "declined": N_("The card was declined. Try another card."),
           "failed": N_("We could not place the order and nothing was charged. Please try again.")}


class PassNotValid(NotFound):
    """An exit pass that is forged, for another store, or for an order that is not a paid scan-and-go sale."""

    type = "storefront/exit-pass-not-valid"
    title = N_("This exit pass is not valid")


def _store_channel(session: Session, location: Location) -> Channel | None:
    """The store's own counter channel (its POS channel), which accepts cards."""
    for channel in channels_service.list_channels(session=session, active_only=True):
        if channel.kind in ("store", "franchise") and location.id in channel.location_ids \
                and "card" in channel.payment_methods:
            return channel
    return None


def _store(session: Session, code: str) -> tuple[Location, Channel]:
    location = inventory_service.location_by_code(session=session, code=code[:40])
    channel = _store_channel(session, location) if location is not None and location.is_active else None
    if location is None or channel is None:
        raise PageNotFound("No scan-and-go store here")
    return location, channel


def _scan_cart(request: Request, session: Session, location: Location) -> cart_service.Cart | None:
    token = request.cookies.get(SCAN_COOKIE)
    cart = cart_service.cart_by_token(session=session, token=token) if token and len(token) <= 100 else None
    ok = cart is not None and cart.status == cart_service.OPEN and cart.location_id == location.id
    return cart if ok else None


def exit_token(secret: str, order_id: uuid.UUID) -> str:
    """The exit pass: the order id and its HMAC under the app's secret key."""
    mac = hmac.new(secret.encode(), f"scan-exit:{order_id.hex}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{order_id.hex}.{mac}"


def _order_of(secret: str, token: str) -> uuid.UUID | None:
    found = re.fullmatch(r"([0-9a-f]{32})\.([0-9a-f]{32})", token)
    if found is None:
        return None
    order_id = uuid.UUID(found.group(1))
    return order_id if hmac.compare_digest(exit_token(secret, order_id), token) else None


@router.get("/scan")
def choose_store(request: Request, session: SessionDep) -> Response:
    """The stores where the shopper can scan and go."""
    customer = layout.customer_of(request, session)
    locale = locale_for(request, customer.locale if customer else None)
    stores = [s for s in views.stores(session) if _store_channel(session, s) is not None]
    return layout.page(request, session, "storefront/scan_stores.html", locale, {"stores": stores},
                       links=views.category_links(session, locale), channel=views.web_channel(session),
                       customer=customer)


@router.get("/scan/{code}")
def scan_page(code: str, request: Request, session: SessionDep) -> Response:
    """The scan-and-go cart at one store: a barcode field (the camera fills it), the items and the pay form."""
    customer = layout.customer_of(request, session)
    locale = locale_for(request, customer.locale if customer else None)
    location, channel = _store(session, code)
    cart = _scan_cart(request, session, location)
    lines = line_views(session, cart, channel, locale) if cart and cart.lines else []
    return layout.page(request, session, "storefront/scan.html", locale, {
        "store": location, "lines": lines, "totals": totals_view(session, cart, locale) if cart and lines else None,
        "notice": NOTICES.get(request.query_params.get("notice") or ""), "key": uuid.uuid4().hex},
        links=views.category_links(session, locale), channel=views.web_channel(session), customer=customer)


@router.post("/scan/{code}/items", dependencies=[Depends(check_csrf)])
def scan_item(code: str, request: Request, db: DatabaseDep, settings: SettingsDep,
              barcode: Annotated[str, Form(max_length=64)]) -> Response:
    """Add the scanned (or typed) item to the store cart."""
    token = None
    with db.transaction() as session:
        location, channel = _store(session, code)
        variant = catalog_service.variant_by_code(session=session, code=barcode)
        if variant is None:
            return RedirectResponse(f"/scan/{location.code}?notice=unknown", status_code=303)
        cart = _scan_cart(request, session, location)
        if cart is None:
            customer = layout.customer_of(request, session)
            cart, token = cart_service.create_cart(session=session, channel_id=channel.id, location_id=location.id,
                                                   customer_id=customer.id if customer else None)
        cart_service.add_line(session=session, cart=cart, variant_id=variant.id, quantity=1)
    response = RedirectResponse(f"/scan/{location.code}?notice=added", status_code=303)
    if token is not None:
        response.set_cookie(SCAN_COOKIE, token, max_age=86400, httponly=True, samesite="lax",
                            secure=settings.cookie_secure, path="/scan")
    return response


@router.post("/scan/{code}/pay", dependencies=[Depends(check_csrf)])
def pay(code: str, request: Request, db: DatabaseDep, key: Annotated[str, Form(pattern=r"^[0-9a-f]{32}$")],
        card_number: Annotated[str, Form(max_length=23)]) -> Response:
    """Pay for the store cart by card; the exit pass follows."""
    with db.transaction() as session:
        location, _channel = _store(session, code)
        cart = _scan_cart(request, session, location)
        customer = layout.customer_of(request, session)
        if cart is None or not cart.lines:
            return RedirectResponse(f"/scan/{location.code}", status_code=303)
        cart_id, customer_id = cart.id, customer.id if customer else None
    try:
        placed = placement.place_order(db=db, cart_id=cart_id, idempotency_key=f"scan:{key}",
                                       tenders=[TenderRequest("card", card_number=re.sub(r"[\s-]", "", card_number))],
                                       actor=f"customer:{customer_id}" if customer_id else "scan-and-go",
                                       customer_id=customer_id)
    except DomainError as error:
        notice = "declined" if error.type.startswith("payments/") else "failed"
        return RedirectResponse(f"/scan/{location.code}?notice={notice}", status_code=303)
    return RedirectResponse(f"/scan/pass/{placed.order_id}", status_code=303)


@router.get("/scan/pass/{order_id}")
def exit_pass(order_id: uuid.UUID, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The exit pass: a QR code of the signed order id, the order number and what was bought."""
    customer = layout.customer_of(request, session)
    locale = locale_for(request, customer.locale if customer else None)
    try:
        order = ordering_service.get_order(session=session, order_id=order_id)
    except OrderNotFound:
        raise PageNotFound("No such order") from None
    token = request.cookies.get(SCAN_COOKIE)
    cart = cart_service.cart_by_token(session=session, token=token) if token and len(token) <= 100 else None
    if not ((cart is not None and cart.order_id == order.id) or (customer and order.customer_id == customer.id)):
        raise PageNotFound("No such order")
    pass_token = exit_token(settings.effective_secret_key(), order.id)
    qr = segno.make(pass_token, error="m").svg_inline(scale=5, dark="#000", light="#fff", title=order.number)
    return layout.page(request, session, "storefront/scan_pass.html", locale, {
        "order": order, "qr": qr, "token": pass_token, "currency": order.currency},
        links=views.category_links(session, locale), channel=views.web_channel(session), customer=customer)


@router.get("/api/v1/scan-and-go/passes/{token}")
def verify_pass(token: str, session: SessionDep, settings: SettingsDep, staff: OptionalStaff) -> dict[str, Any]:
    """For the POS: is this exit pass a paid scan-and-go order of this store, and what does it hold?"""
    if staff is None:
        raise NotAuthenticated("Sign in or send an API token")
    order_id = _order_of(settings.effective_secret_key(), token[:100])
    try:
        order = ordering_service.get_order(session=session, order_id=order_id) if order_id else None
    except OrderNotFound:
        order = None
    if order is None or order.channel_kind not in ("store", "franchise") or not (order.checkout_key or "").startswith(
            "scan:"):
        raise PassNotValid()
    if not staff.can(Permission.POS_SELL, order.location_id):
        raise PermissionDenied("You do not sell at this store", permission=Permission.POS_SELL.value)
    return {"valid": order.paid_minor >= order.total_minor, "order_id": str(order.id), "number": order.number,
            "status": order.status, "location_id": str(order.location_id), "total_minor": order.total_minor,
            "paid_minor": order.paid_minor, "currency": order.currency, "placed_at": order.created_at.isoformat(),
            "lines": [{"sku": ln.sku, "name": ln.name, "quantity": ln.quantity} for ln in order.lines]}
