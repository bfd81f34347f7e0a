"""The shopper's account: sign-up, sign-in (which claims the guest cart), password reset, orders from every
channel (in-store purchases too) with their timelines, and the language of pages and e-mails.

Routes open their own transactions so that signing in can write (claim the cart) and pages can read in one go.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any, cast

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.cart.dependencies import CART_COOKIE
from omniretail.identity import service as identity_service
from omniretail.identity.api import set_session_cookies
from omniretail.identity.dependencies import check_csrf, csrf_token_for
from omniretail.identity.rules import LockoutPolicy
from omniretail.inventory import service as inventory_service
from omniretail.kernel import i18n
from omniretail.kernel.deps import DatabaseDep, SettingsDep
from omniretail.kernel.errors import DomainError
from omniretail.kernel.http import client_ip
from omniretail.kernel.i18n import N_
from omniretail.loyalty import service as loyalty_service
from omniretail.ordering import service as ordering_service
from omniretail.web.storefront import layout, views
from omniretail.web.templates import locale_for
from omniretail.web.tracking import track

if TYPE_CHECKING:
    from omniretail.identity.models import CustomerAccount

router = APIRouter(include_in_schema=False)
CsrfChecked = Depends(check_csrf)
STATUS_LABELS = {"placed": N_("Placed"), "paid": N_("Paid"), "allocated": N_("Being prepared"),
                 "picking": N_("Being picked"), "packed": N_("Packed"), "shipped": N_("Shipped"),
                 "delivered": N_("Delivered"), "ready_for_pickup": N_("Ready to pick up"),
                 "picked_up": N_("Picked up"), "cancelled": N_("Cancelled"),
                 "partially_refunded": N_("Partly refunded"), "refunded": N_("Refunded")}
EVENT_LABELS = {"placed": N_("Order placed"), "refund": N_("Money refunded"), "refund_failed": N_("Refund delayed"),
                "note": N_("Note")}
CHANNEL_KINDS = {"web": N_("Online"), "app": N_("In the app"), "store": N_("In store"),
                 "franchise": N_("In store"), "marketplace": N_("Marketplace"), "delivery": N_("Delivery app")}
SIGN_IN_ERRORS = {"auth/invalid-credentials": N_("The e-mail or password is not right"),
                  "auth/account-locked": N_("Too many attempts; wait and try again"),
                  "auth/throttled": N_("Too many attempts; wait and try again"),
                  "identity/email-taken": N_("An account with this e-mail already exists."),
                  "identity/weak-password": N_("Choose a longer password that is not easy to guess."),
                  "identity/reset-token-invalid": N_("This reset link is no longer valid.")}


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def account_shell(request: Request, session: Session, template: str, context: dict[str, Any], *,
           customer: CustomerAccount | None = None, status: int = 200) -> Response:
    locale = locale_for(request, customer.locale if customer else None)
    form = template.endswith(("signin.html", "signup.html", "reset.html"))
    return layout.page(request, session, template, locale, context,
                       links=None if form else views.category_links(session, locale),
                       channel=views.web_channel(session), customer=customer, status=status, chrome=not form)


def _message(error: DomainError | None) -> str:
    return SIGN_IN_ERRORS.get(error.type if error else "", N_("We could not sign you in. Please try again."))


def _open(request: Request, session: Session, settings: Any, account: CustomerAccount, target: str) -> Response:
    """Start the shopper's session and give them the guest cart this browser was filling."""
    raw = identity_service.open_session(session=session, kind=identity_service.CUSTOMER, subject_id=account.id,
                                        ip=client_ip(request), user_agent=request.headers.get("user-agent"),
                                        lifetime=timedelta(days=settings.session_days))
    token = request.cookies.get(CART_COOKIE)
    guest = cart_service.cart_by_token(session=session, token=token) if token and len(token) <= 100 else None
    if guest is not None and guest.status == cart_service.OPEN and guest.customer_id is None:
        cart_service.claim(session=session, cart=guest, customer_id=account.id)
    track(request, "sign_in", customer_id=account.id)  # stitches this browser's earlier steps to the account
    response = RedirectResponse(target, status_code=303)
    set_session_cookies(response, kind=identity_service.CUSTOMER, raw=raw, csrf=csrf_token_for(request),
                        days=settings.session_days, secure=settings.cookie_secure)
    response.delete_cookie(CART_COOKIE, path="/")
    return response


@router.get("/account/signin")
def signin_page(request: Request, db: DatabaseDep) -> Response:
    """The shopper's sign-in form."""
    with db.transaction(read_only=True) as session:
        return account_shell(request, session, "storefront/signin.html", {"next": request.query_params.get("next", "")})


@router.post("/account/signin", dependencies=[CsrfChecked])
def signin(request: Request, db: DatabaseDep, settings: SettingsDep, email: Annotated[str, Form(max_length=254)],
           password: Annotated[str, Form(max_length=1000)], next: Annotated[str, Form(max_length=300)] = ""
           ) -> Response:
    """Sign the shopper in and merge the guest cart into theirs."""
    policy = LockoutPolicy(settings.login_max_failures, timedelta(minutes=settings.login_lockout_minutes))
    with db.transaction() as session:
        result = identity_service.sign_in(session=session, kind=identity_service.CUSTOMER, email=email,
                                          password=password, ip=client_ip(request), policy=policy)
        if result.account is not None:
            return _open(request, session, settings, cast("CustomerAccount", result.account), _safe_next(next))
    with db.transaction(read_only=True) as session:
        return account_shell(request, session, "storefront/signin.html",
                      {"message": _message(result.error), "email": email, "next": next},
                      status=result.error.status if result.error else 401)


@router.get("/account/signup")
def signup_page(request: Request, db: DatabaseDep) -> Response:
    """The form to create a shopper account."""
    with db.transaction(read_only=True) as session:
        return account_shell(request, session, "storefront/signup.html", {})


@router.post("/account/signup", dependencies=[CsrfChecked])
def signup(request: Request, db: DatabaseDep, settings: SettingsDep, email: Annotated[str, Form(max_length=254)],
           password: Annotated[str, Form(max_length=1000)], name: Annotated[str, Form(max_length=200)],
           locale: Annotated[str, Form(max_length=8)] = "en") -> Response:
    """Create the account, sign the shopper in and keep their cart."""
    try:
        with db.transaction() as session:
            account = identity_service.sign_up_customer(session=session, email=email, password=password, name=name,
                                                        locale=locale if locale in i18n.LOCALES else "en")
            return _open(request, session, settings, account, "/")
    except DomainError as error:
        with db.transaction(read_only=True) as session:
            return account_shell(request, session, "storefront/signup.html",
                          {"message": _message(error), "email": email, "name": name}, status=error.status)


@router.get("/account/reset")
def reset_page(request: Request, db: DatabaseDep, token: str | None = None) -> Response:
    """Ask for a reset link, or (with the link's token) choose a new password."""
    with db.transaction(read_only=True) as session:
        return account_shell(request, session, "storefront/reset.html", {"token": (token or "")[:200]})


@router.post("/account/reset", dependencies=[CsrfChecked])
def reset_submit(request: Request, db: DatabaseDep, email: Annotated[str | None, Form(max_length=254)] = None,
                 token: Annotated[str | None, Form(max_length=200)] = None,
                 password: Annotated[str | None, Form(max_length=1000)] = None) -> Response:
    """Send a reset link (the answer never says whether the address has an account), or save the new password."""
    context: dict[str, Any] = {"sent": True}
    status = 200
    try:
        with db.transaction() as session:
            if token and password:
                identity_service.reset_password(session=session, token=token, password=password)
                context = {"done": True}
            elif email:
                identity_service.request_password_reset(session=session, email=email)
    except DomainError as error:
        context, status = {"token": token, "message": _message(error)}, error.status
    with db.transaction(read_only=True) as session:
        return account_shell(request, session, "storefront/reset.html", context, status=status)


def signed_in_shopper(request: Request, session: Session) -> CustomerAccount | None:
    return layout.customer_of(request, session)


@router.get("/account")
def account_home(request: Request, db: DatabaseDep) -> Response:
    """The shopper's orders from every channel, newest first, and their language."""
    with db.transaction(read_only=True) as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return RedirectResponse("/account/signin?next=/account", status_code=303)
        locale = locale_for(request, customer.locale)
        page = ordering_service.list_orders(session=session, customer_id=customer.id, cursor=None, limit=100)
        places = {loc.id: loc.name for loc in inventory_service.list_locations(session=session)}
        orders = [{"id": o.id, "number": o.number, "date": layout.when(o.created_at, locale),
                   "status": STATUS_LABELS.get(o.status, o.status),
                   "total": layout.money(o.total_minor, o.currency, locale),
                   "where": CHANNEL_KINDS.get(o.channel_kind, N_("Online")),
                   "store": places.get(o.location_id) if o.channel_kind in ("store", "franchise") and o.location_id
                   else None, "items": sum(ln.quantity for ln in o.lines)} for o in reversed(page.items)]
        return account_shell(request, session, "storefront/account.html",
                      {"orders": orders, "languages_form": i18n.LANGUAGE_NAMES,
                       "points": loyalty_service.summary_for(session=session, customer_id=customer.id).available,
                       "notice": N_("Your language is saved.") if request.query_params.get("saved") else None},
                      customer=customer)


@router.post("/account/language", dependencies=[CsrfChecked])
def save_language(request: Request, db: DatabaseDep, locale: Annotated[str, Form(max_length=8)]) -> Response:
    """Keep the shopper's language for pages, e-mails and receipts."""
    with db.transaction() as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return RedirectResponse("/account/signin", status_code=303)
        if locale in i18n.LOCALES:
            identity_service.set_customer_locale(session=session, customer_id=customer.id, locale=locale)
    response = RedirectResponse("/account?saved=1", status_code=303)
    if locale in i18n.LOCALES:
        response.set_cookie("or_lang", locale, max_age=365 * 86400, samesite="lax", path="/")
    return response
