"""Checkout (guest or signed in) and the confirmation page.

One form: contact, delivery (ship to an address with rates and estimates, pick up in a store chosen from a list
sorted by distance that shows how much of the cart each store has, or local delivery in a time window), and
payment by every method the channel accepts that placement supports. Each rendering of the form carries a fresh
idempotency key, so a double submit places one order. Errors come back next to their fields.

The POST opens its own short transactions: placement must call the gateway with no transaction open.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.cart.dependencies import CART_COOKIE
from omniretail.checkout import placement
from omniretail.checkout import service as checkout_service
from omniretail.checkout.rules import NEEDS_ADDRESS, POSTAL_CODES, SHIP_METHODS, Address
from omniretail.identity.dependencies import check_csrf
from omniretail.inventory import service as inventory_service
from omniretail.kernel.db import Database
from omniretail.kernel.deps import DatabaseDep
from omniretail.kernel.errors import DomainError
from omniretail.kernel.i18n import N_
from omniretail.ordering import service as ordering_service
from omniretail.ordering.exceptions import OrderNotFound
from omniretail.payments import qr
from omniretail.payments.exceptions import PaymentNeedsAction
from omniretail.payments.rules import TEST_CARD_APPROVE, TEST_CARD_DECLINE, TEST_CARD_NEEDS_ACTION, TenderRequest
from omniretail.web.storefront import layout, views
from omniretail.web.storefront.cart_pages import line_views, shop_channel, totals_view
from omniretail.web.storefront.views import PageNotFound, clean
from omniretail.web.templates import locale_for
from omniretail.web.tracking import track

if TYPE_CHECKING:
    from omniretail.channels.models import Channel
    from omniretail.identity.models import CustomerAccount

router = APIRouter(include_in_schema=False)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
WEB_PAYMENTS = ("card", "pay_later", "qr", "gift_card", "store_credit")  # what placement takes online
INSTALLMENT_CHOICES = ("3", "4", "6")
METHOD_LABELS = {"courier": N_("Courier to your door"), "post": N_("Post"), "parcel_locker": N_("Parcel locker"),
                 "click_and_collect": N_("Pick up in a store"), "same_day": N_("Local delivery")}
PAY_LABELS = {"card": N_("Card"), "pay_later": N_("Pay later in installments (card)"),
              "qr": N_("Pay with your phone (QR code)"), "gift_card": N_("Gift card"),
              "store_credit": N_("Store credit")}
FIELD_MESSAGES = {
    "email": N_("Enter an e-mail address like anna@example.com."),
    "phone": N_("Enter a phone number we can call."), "name": N_("Enter the recipient's name."),
    "line1": N_("Enter the street and house number."), "city": N_("Enter the city."),
    "postal_code": N_("Check the postal code for this country."),
    "country": N_("We do not deliver to this country."),
    "store": N_("Choose a store that has all your items."), "window": N_("Choose one of the delivery times."),
    "method": N_("Choose how to get your order."), "pay": N_("Choose how to pay."),
    "card_number": N_("Enter the card number."), "gift_card_code": N_("Enter the gift card code."),
    "installments": N_("Choose into how many parts to split the payment.")}
PLACEMENT_ERRORS = {
    "payments/declined": ("card_number", N_("The card was declined. Try another card.")),
    "payments/needs-action": ("card_number", N_("Your bank asks to confirm this payment. Try another card.")),
    "payments/gift-card-not-found": ("gift_card_code", N_("We could not find this gift card.")),
    "payments/insufficient-balance": ("pay", N_("The balance is not enough for this order.")),
    "payments/invalid-tender": ("pay", N_("This way to pay cannot be used for this order.")),
    "inventory/insufficient-stock": ("", N_("Some items are no longer available. Check your cart.")),
    "checkout/cannot-source": ("", N_("Some items are no longer available. Check your cart.")),
    "checkout/cart-not-purchasable": ("", N_("Some items are no longer available. Check your cart.")),
}
SOMETHING_WENT_WRONG = N_("We could not place the order and nothing was charged. Please try again.")
FORM_FIELDS = ("email", "phone", "method", "name", "line1", "line2", "city", "postal_code", "country", "store",
               "window", "pay", "card_number", "gift_card_code", "installments", "qr_token")
SECRET_FIELDS = ("card_number", "gift_card_code")


@dataclass
class CheckoutForm:
    """What the shopper typed, kept to fill the form again next to its errors."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: str | None = None

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name) or default

    def fail(self, name: str, message: str | None = None) -> None:
        self.errors.setdefault(name, message or FIELD_MESSAGES.get(name, SOMETHING_WENT_WRONG))


def _date(value: Any, locale: str) -> str:
    return format_date(value, format="medium", locale=Locale.parse(locale))


def _window_label(start: datetime, end: datetime, timezone: str, locale: str) -> str:
    loc, zone = Locale.parse(locale), ZoneInfo(timezone)
    return (f"{format_datetime(start, 'EEE d MMM, HH:mm', tzinfo=zone, locale=loc)}"
            f"\u2013{format_datetime(end, 'HH:mm', tzinfo=zone, locale=loc)}")


def _countries(locale: str) -> list[tuple[str, str]]:
    names = Locale.parse(locale).territories
    return sorted(((code, str(names.get(code, code))) for code in POSTAL_CODES), key=lambda c: c[1])


def _payments(channel: Channel, customer: CustomerAccount | None) -> list[str]:
    return [m for m in WEB_PAYMENTS if m in channel.payment_methods and (m != "store_credit" or customer)]


def _context(request: Request, session: Session, cart: cart_service.Cart, channel: Channel,
             customer: CustomerAccount | None, locale: str, form: CheckoutForm) -> dict[str, Any]:
    """Everything the checkout form shows: options priced for the cart, stores by distance, totals."""
    shop_stores = views.stores(session)
    where = views.position(request.query_params, channel, shop_stores)
    delivery = cart.delivery or {}
    address = delivery.get("address") or {}
    country = (form.get("country") or clean(request.query_params.get("country"), 2).upper() or address.get("country")
               or channel.country)
    country = country if country in POSTAL_CODES else channel.country
    options = checkout_service.delivery_options(session=session, cart=cart, country=country,
                                                latitude=where.latitude, longitude=where.longitude)
    timezone = shop_stores[0].timezone if shop_stores else "UTC"
    methods = [m for m in options.methods if m in METHOD_LABELS and (m != "same_day" or options.windows)]
    quotes = {q.method: q for q in options.shipping}
    methods = [m for m in methods if m not in SHIP_METHODS or m in quotes]
    chosen_store = form.get("store") or str(delivery.get("location_id") or "")
    first_full = next((s for s in options.pickup_stores if s.has_everything), None)
    values = {"email": cart.email or (customer.email if customer else ""), "phone": cart.phone or "",
              "method": delivery.get("method") if delivery.get("method") in methods else (methods[0] if methods
                                                                                         else ""),
              "store": chosen_store or (str(first_full.location_id) if first_full else ""),
              "name": address.get("name") or (customer.name if customer else ""), "line1": address.get("line1", ""),
              "line2": address.get("line2", ""), "city": address.get("city", ""),
              "postal_code": address.get("postal_code", ""), "country": country,
              "pay": (_payments(channel, customer) or [""])[0]}
    values.update({k: v for k, v in form.values.items() if v and k not in SECRET_FIELDS})
    return {
        "form": form, "values": values, "methods": [(m, METHOD_LABELS[m]) for m in methods],
        "quotes": {m: {"price": layout.money(q.price_minor, cart.currency, locale),
                       "free": q.price_minor == 0, "from": _date(q.estimate_from, locale),
                       "to": _date(q.estimate_to, locale)} for m, q in quotes.items()},
        "stores": [{"id": str(s.location_id), "name": s.name, "city": s.city, "have": s.lines_available,
                    "total": s.lines_total, "all": s.has_everything,
                    "distance": views.km(s.distance_km) if s.distance_km is not None else None}
                   for s in options.pickup_stores],
        "windows": [{"value": f"{w.starts_at.isoformat()}|{w.ends_at.isoformat()}",
                     "label": _window_label(w.starts_at, w.ends_at, timezone, locale)} for w in options.windows],
        "same_day_price": (layout.money(options.same_day_price_minor, cart.currency, locale)
                           if options.same_day_price_minor is not None else None),
        "where": where, "countries": _countries(locale), "address_methods": sorted(NEEDS_ADDRESS),
        "payments": [(m, PAY_LABELS[m]) for m in _payments(channel, customer)],
        "pay_codes": set(_payments(channel, customer)), "installment_choices": INSTALLMENT_CHOICES,
        "test_cards": {"approve": TEST_CARD_APPROVE, "decline": TEST_CARD_DECLINE,
                       "action": TEST_CARD_NEEDS_ACTION},
        "key": uuid.uuid4().hex, "lines": line_views(session, cart, channel, locale),
        "totals": totals_view(session, cart, locale)}


def _render(request: Request, session: Session, cart: cart_service.Cart, channel: Channel,
            customer: CustomerAccount | None, locale: str, form: CheckoutForm, status: int = 200) -> Response:
    context = _context(request, session, cart, channel, customer, locale, form)
    return layout.page(request, session, "storefront/checkout.html", locale, context,
                       links=views.category_links(session, locale), channel=channel, customer=customer,
                       cart_count=sum(ln.quantity for ln in cart.lines), status=status)


@router.get("/checkout")
def checkout_page(request: Request, db: DatabaseDep) -> Response:
    """The checkout form for the shopper's cart; an empty or blocked cart goes back to the cart page."""
    with db.transaction() as session:
        customer = layout.customer_of(request, session)
        locale = locale_for(request, customer.locale if customer else None)
        channel = shop_channel(session)
        cart = layout.find_cart(request, session, customer.id if customer else None, channel)
        if cart is None or not cart.lines:
            return RedirectResponse("/cart", status_code=303)
        cart_service.reprice(session=session, cart=cart)
        if cart_service.problems(cart):
            return RedirectResponse("/cart", status_code=303)
        track(request, "checkout_start", customer_id=customer.id if customer else None, channel_code=channel.code)
        return _render(request, session, cart, channel, customer, locale, CheckoutForm())


def _address(form: CheckoutForm) -> Address:
    return Address(name=form.get("name"), line1=form.get("line1"), line2=form.get("line2"), city=form.get("city"),
                   postal_code=form.get("postal_code"), country=form.get("country").upper(),
                   phone=form.get("phone"))


def _choose_delivery(session: Session, cart: cart_service.Cart, form: CheckoutForm) -> None:
    """Check the contact and delivery fields and store the choice; problems go to ``form.errors``."""
    email, method = form.get("email"), form.get("method")
    if not EMAIL.fullmatch(email) or len(email) > 254:
        form.fail("email")
    if method not in METHOD_LABELS:
        form.fail("method")
        return
    store, window_start, window_end = None, None, None
    if method == "click_and_collect":
        try:
            store = uuid.UUID(form.get("store"))
        except ValueError:
            form.fail("store")
    if method == "same_day":
        start, _, end = form.get("window").partition("|")
        try:
            window_start, window_end = datetime.fromisoformat(start), datetime.fromisoformat(end)
        except ValueError:
            form.fail("window")
    if set(form.errors) - {"email"}:
        return
    try:
        with session.begin_nested():
            checkout_service.choose_delivery(
                session=session, cart=cart, method=method,
                address=_address(form) if method in NEEDS_ADDRESS else None, location_id=store,
                window_start=window_start, window_end=window_end, email=None if "email" in form.errors else email,
                phone=form.get("phone") or None)
    except DomainError as error:
        for problem in error.errors or []:
            name = str(problem.loc[-1])
            form.fail({"location_id": "store", "window_start": "window", "address": "line1"}.get(name, name))
        if not error.errors:
            form.fail("method")


def _card_number(form: CheckoutForm) -> str:
    number = re.sub(r"[\s-]", "", form.get("card_number"))
    if not number.isdigit() or not 12 <= len(number) <= 19:
        form.fail("card_number")
    return number


def _tenders(form: CheckoutForm) -> list[TenderRequest]:
    pay = form.get("pay")
    if pay == "card":
        return [TenderRequest("card", card_number=_card_number(form))]
    if pay == "pay_later":
        parts = form.get("installments", "4")
        if parts not in INSTALLMENT_CHOICES:
            form.fail("installments")
        return [TenderRequest("pay_later", card_number=_card_number(form),
                              installments=int(parts) if parts.isdigit() else 4)]
    if pay == "qr":
        return [TenderRequest("qr")]
    if pay == "gift_card":
        code = form.get("gift_card_code").strip()
        if not 4 <= len(code) <= 32:
            form.fail("gift_card_code")
        return [TenderRequest("gift_card", gift_card_code=code)]
    if pay == "store_credit":
        return [TenderRequest("store_credit")]
    form.fail("pay")
    return []


async def _read_form(request: Request) -> CheckoutForm:
    data = await request.form()
    values = {}
    for name in (*FORM_FIELDS, "key"):
        raw = data.get(name)
        values[name] = clean(raw, 300) if isinstance(raw, str) else ""
    return CheckoutForm(values)


@router.post("/checkout", dependencies=[Depends(check_csrf)])
async def place_order(request: Request, db: DatabaseDep) -> Response:
    """Store the delivery choice, then place the order under the form's idempotency key."""
    form = await _read_form(request)
    return _place(request, db, form)


def _place(request: Request, db: Database, form: CheckoutForm) -> Response:
    key = form.get("key")
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        form.general = SOMETHING_WENT_WRONG
    with db.transaction() as session:
        customer = layout.customer_of(request, session)
        locale = locale_for(request, customer.locale if customer else None)
        channel = shop_channel(session)
        cart = layout.find_cart(request, session, customer.id if customer else None, channel)
        if cart is None:
            done = _already_placed(request, session, customer, key)
            return RedirectResponse(done or "/cart", status_code=303)
        _choose_delivery(session, cart, form)
        tenders = _tenders(form)
        if form.errors or form.general:
            return _render(request, session, cart, channel, customer, locale, form, status=422)
        cart_id, customer_id = cart.id, customer.id if customer else None
        channel_code = channel.code
    try:
        placed = placement.place_order(db=db, cart_id=cart_id, idempotency_key=f"web:{key}", tenders=tenders,
                                       actor=f"customer:{customer_id}" if customer_id else "guest",
                                       customer_id=customer_id)
    except PaymentNeedsAction as waiting:
        if form.get("pay") == "qr":
            return _scan_to_pay(request, db, form, waiting, locale)
        name, message = PLACEMENT_ERRORS[waiting.type]
        return _failed(request, db, form, cart_id, locale, name, message)
    except DomainError as error:
        name, message = PLACEMENT_ERRORS.get(error.type, ("", SOMETHING_WENT_WRONG))
        return _failed(request, db, form, cart_id, locale, name, message)
    if not placed.replayed:
        with db.transaction(read_only=True) as session:
            order = ordering_service.get_order(session=session, order_id=placed.order_id)
            track(request, "purchase", customer_id=customer_id, channel_code=channel_code, order_id=order.id,
                  value_minor=order.total_minor, currency=order.currency)
    return RedirectResponse(f"/checkout/confirmation/{placed.order_id}", status_code=303)


def _failed(request: Request, db: Database, form: CheckoutForm, cart_id: uuid.UUID, locale: str, name: str,
            message: str) -> Response:
    """The form again with the placement's refusal next to the field it concerns (nothing was charged)."""
    if name == "pay" and form.get("pay") == "gift_card":
        name = "gift_card_code"
    if name:
        form.fail(name, message)
    else:
        form.general = message
    with db.transaction() as session:
        cart = cart_service.get_cart(session=session, cart_id=cart_id)
        if cart.status != cart_service.OPEN:
            return RedirectResponse("/cart", status_code=303)
        return _render(request, session, cart, shop_channel(session), layout.customer_of(request, session),
                       locale, form, status=409 if not name else 422)


def _scan_to_pay(request: Request, db: Database, form: CheckoutForm, waiting: PaymentNeedsAction,
                 locale: str) -> Response:
    """The QR code to confirm the payment on a phone, and the same form (same key) to send once confirmed. The
    items stay held meanwhile; sending it before confirming shows this page again."""
    request_id = waiting.extra.get("payment_request_id")
    token = form.get("qr_token")
    again = bool(token)  # the shopper already saw the code and sent the form before confirming
    if isinstance(request_id, str):
        token = qr.sign(secret=request.app.state.settings.effective_secret_key(), request_id=uuid.UUID(request_id))
    if not token:
        form.general = SOMETHING_WENT_WRONG
        token = ""
    keep = {k: v for k, v in form.values.items() if k not in (*SECRET_FIELDS, "qr_token") and v}
    with db.transaction(read_only=True) as session:
        customer = layout.customer_of(request, session)
        return layout.page(request, session, "storefront/scan_to_pay.html", locale, {
            "values": keep, "token": token, "confirm_url": f"/api/v1/payments/qr/{token}",
            "code_url": f"/api/v1/payments/qr/{token}/code.svg", "again": again,
            "amount": layout.money(int(waiting.extra.get("amount_minor") or 0),
                                   str(waiting.extra.get("currency") or "EUR"), locale)
            if waiting.extra.get("amount_minor") else None},
            links=None, channel=shop_channel(session), customer=customer, status=402)


def _already_placed(request: Request, session: Session, customer: CustomerAccount | None, key: str) -> str | None:
    """A second submit of a form whose order exists (the cart is closed): where its confirmation is."""
    order = ordering_service.order_by_key(session=session, checkout_key=f"web:{key}") if key else None
    if order is not None and _may_see(request, session, customer, order):
        return f"/checkout/confirmation/{order.id}"
    return None


def _may_see(request: Request, session: Session, customer: CustomerAccount | None, order: Any) -> bool:
    if customer is not None and order.customer_id == customer.id:
        return True
    token = request.cookies.get(CART_COOKIE)
    cart = cart_service.cart_by_token(session=session, token=token) if token and len(token) <= 100 else None
    return cart is not None and cart.order_id == order.id


@router.get("/checkout/confirmation/{order_id}")
def confirmation(order_id: uuid.UUID, request: Request, db: DatabaseDep) -> Response:
    """The placed order: its number, what was bought, how it arrives. Only its buyer may open it."""
    with db.transaction(read_only=True) as session:
        customer = layout.customer_of(request, session)
        locale = locale_for(request, customer.locale if customer else None)
        try:
            order = ordering_service.get_order(session=session, order_id=order_id)
        except OrderNotFound:
            raise PageNotFound("No such order") from None
        if not _may_see(request, session, customer, order):
            raise PageNotFound("No such order")
        channel = shop_channel(session)
        return layout.page(request, session, "storefront/confirmation.html", locale,
                           {"order": order, "delivery": describe_delivery(session, order.delivery, locale),
                            "currency": order.currency},
                           links=views.category_links(session, locale), channel=channel, customer=customer)


def describe_delivery(session: Session, delivery: dict[str, Any], locale: str) -> dict[str, Any]:
    """How an order reaches the shopper, in words: method, store, address and estimate."""
    method = str(delivery.get("method") or "")
    store = None
    if delivery.get("store"):
        location = inventory_service.location_by_code(session=session, code=str(delivery["store"]))
        store = location.name if location else str(delivery["store"])
    estimate = None
    if delivery.get("estimate_from") and delivery.get("estimate_to"):
        estimate = (_date(date.fromisoformat(str(delivery["estimate_from"])), locale),
                    _date(date.fromisoformat(str(delivery["estimate_to"])), locale))
    return {"method": METHOD_LABELS.get(method, N_("In store")), "store": store,
            "address": delivery.get("address"), "estimate": estimate, "window": delivery.get("window_start")}


__all__ = ["describe_delivery", "router"]
