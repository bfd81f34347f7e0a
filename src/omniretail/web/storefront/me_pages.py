"""The rest of the shopper's account: starting a return from an order, returns and where they stand, loyalty tier
and points with their history, delivery addresses, and what messages they agreed to receive.

Every page reads the signed-in shopper's own data only (orders are checked against their id; profiles, points and
returns are looked up by it). Forms post with the CSRF token and redirect after a successful change.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from omniretail.customers import service as customers_service
from omniretail.identity.dependencies import check_csrf
from omniretail.kernel.deps import DatabaseDep
from omniretail.kernel.errors import DomainError
from omniretail.kernel.i18n import N_
from omniretail.loyalty import service as loyalty_service
from omniretail.ordering import service as ordering_service
from omniretail.ordering.exceptions import OrderNotFound
from omniretail.returns import rules as returns_rules
from omniretail.returns import service as returns_service
from omniretail.web.storefront import layout, views
from omniretail.web.storefront.account_pages import (
    CHANNEL_KINDS,
    EVENT_LABELS,
    STATUS_LABELS,
    account_shell,
    signed_in_shopper,
)
from omniretail.web.storefront.checkout_pages import describe_delivery
from omniretail.web.storefront.views import PageNotFound
from omniretail.web.templates import locale_for

if TYPE_CHECKING:
    from omniretail.identity.models import CustomerAccount

router = APIRouter(include_in_schema=False)
CsrfChecked = Depends(check_csrf)

REASONS = {"wrong_size": N_("Wrong size"), "wrong_shade": N_("Wrong shade"),
           "damaged_in_transit": N_("Damaged in transit"), "not_as_described": N_("Not as described"),
           "changed_mind": N_("Changed my mind"), "arrived_late": N_("Arrived late"), "other": N_("Other")}
REFUNDS = {"original": N_("Back the way I paid"), "store_credit": N_("Store credit")}
RETURN_STATUS = {"approved": N_("Approved: bring or send the items"), "refund_pending": N_("Refund on its way"),
                 "completed": N_("Refunded")}
POINT_KINDS = {"earn": N_("Earned"), "reversal": N_("Taken back (return)"), "redeem": N_("Spent"),
               "redeem_release": N_("Given back"), "expire": N_("Expired"), "transfer_in": N_("Moved in"),
               "transfer_out": N_("Moved out"), "referral": N_("Friend referred"), "birthday": N_("Birthday gift"),
               "reward": N_("Reward"), "adjust": N_("Correction")}
CONSENT_CHANNELS = {"email": N_("E-mail"), "sms": N_("Text messages"), "push": N_("App notifications")}


def _redirect_to_sign_in(target: str) -> Response:
    return RedirectResponse(f"/account/signin?next={target}", status_code=303)


def _own_order(session: Session, customer: CustomerAccount, order_id: uuid.UUID) -> ordering_service.Order:
    try:
        order = ordering_service.get_order(session=session, order_id=order_id)
    except OrderNotFound:
        raise PageNotFound("No such order") from None
    if order.customer_id != customer.id:
        raise PageNotFound("No such order")
    return order


def returnable_lines(session: Session, order: ordering_service.Order) -> list[dict[str, Any]]:
    """The order's lines with how many of each may still be sent back (none when the order cannot be returned)."""
    if order.status not in returns_rules.RETURNABLE_ORDER_STATUSES:
        return []
    before = returns_service.returned_units(session=session, order_id=order.id)
    lines: dict[uuid.UUID, dict[str, Any]] = {}
    for line in order.lines:
        entry = lines.setdefault(line.variant_id, {"variant_id": line.variant_id, "name": line.name,
                                                   "sku": line.sku, "left": 0})
        entry["left"] += line.quantity
    for entry in lines.values():
        entry["left"] = max(0, entry["left"] - before.get(entry["variant_id"], 0))
    return [entry for entry in lines.values() if entry["left"] > 0]


@router.get("/account/orders/{order_id}")
def account_order(order_id: uuid.UUID, request: Request, db: DatabaseDep) -> Response:
    """One of the shopper's orders: items, delivery, totals, everything that happened to it, and a form to send
    items back while the return policy allows."""
    with db.transaction(read_only=True) as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return _redirect_to_sign_in(f"/account/orders/{order_id}")
        order = _own_order(session, customer, order_id)
        return account_shell(request, session, "storefront/order.html",
                             order_context(request, session, customer, order), customer=customer)


@router.post("/account/orders/{order_id}/return", dependencies=[CsrfChecked])
async def start_return(order_id: uuid.UUID, request: Request, db: DatabaseDep) -> Response:
    """Ask to return some items of one of your orders (from any channel, in-store purchases too)."""
    form = await request.form()
    with db.transaction() as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return _redirect_to_sign_in(f"/account/orders/{order_id}")
        order = _own_order(session, customer, order_id)
        lines = []
        for entry in returnable_lines(session, order):
            raw = str(form.get(f"qty-{entry['variant_id']}", "0"))
            quantity = int(raw) if raw.isdigit() else 0
            if quantity > 0:
                reason = str(form.get(f"reason-{entry['variant_id']}", "other"))
                lines.append(returns_service.LineIn(entry["variant_id"], min(quantity, entry["left"]),
                                                    reason if reason in REASONS else "other", "",
                                                    returns_rules.Condition.RESELLABLE.value, None))
        refund = str(form.get("refund_method", "original"))
        problem: str | None = None
        if not lines:
            problem = N_("Choose how many of which item you are sending back.")
        else:
            try:
                with session.begin_nested():  # a refusal leaves nothing behind
                    ret = returns_service.request_return(
                        session=session, order_id=order.id, via=returns_rules.Via.ONLINE.value, lines=lines,
                        refund_method=refund if refund in REFUNDS else "original",
                        requested_by=f"customer:{customer.id}", shopper_id=customer.id)
            except DomainError as error:
                return _order_page(request, session, customer, order, problem=N_("We cannot take this return back."),
                                   reasons=list(error.extra.get("reasons") or []), status=422)
        if problem is not None:
            return _order_page(request, session, customer, order, problem=problem, status=422)
        rma = ret.rma
    return RedirectResponse(f"/account/returns?started={rma}", status_code=303)


def _order_page(request: Request, session: Session, customer: CustomerAccount, order: ordering_service.Order, *,
                problem: str | None = None, reasons: list[str] | None = None, status: int = 200) -> Response:
    context = order_context(request, session, customer, order)
    context.update(problem=problem, reasons=reasons or [])
    return account_shell(request, session, "storefront/order.html", context, customer=customer, status=status)


def order_context(request: Request, session: Session, customer: CustomerAccount,
                  order: ordering_service.Order) -> dict[str, Any]:
    """What the order page shows: status, timeline, delivery, and the form to send items back if it may be."""
    locale = locale_for(request, customer.locale)
    timeline = [{"at": layout.when(entry.at, locale, with_time=True),
                 "label": (STATUS_LABELS.get(entry.status or "", N_("Update")) if entry.kind == "status"
                           else EVENT_LABELS.get(entry.kind, N_("Update")))}
                for entry in ordering_service.timeline(session=session, order_id=order.id)]
    return {"order": order, "status": STATUS_LABELS.get(order.status, order.status), "timeline": timeline,
            "delivery": describe_delivery(session, order.delivery, locale), "currency": order.currency,
            "where": CHANNEL_KINDS.get(order.channel_kind, N_("Online")),
            "returnable": returnable_lines(session, order), "reasons_form": REASONS, "refunds_form": REFUNDS,
            "problem": None, "reasons": []}


@router.get("/account/returns")
def my_returns(request: Request, db: DatabaseDep) -> Response:
    """Your returns, newest first, and where each stands."""
    with db.transaction(read_only=True) as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return _redirect_to_sign_in("/account/returns")
        locale = locale_for(request, customer.locale)
        page = returns_service.list_returns(session=session, customer_id=customer.id, cursor=None, limit=100)
        rows = [{"rma": r.rma, "order_id": r.order_id, "order_number": r.order_number,
                 "date": layout.when(r.created_at, locale), "status": RETURN_STATUS.get(r.status, r.status),
                 "refund": layout.money(r.refund_minor, r.currency, locale),
                 "items": [(ln.name, ln.quantity) for ln in r.lines]}
                for r in sorted(page.items, key=lambda r: r.created_at, reverse=True)]
        return account_shell(request, session, "storefront/returns.html",
                      {"returns": rows, "started": request.query_params.get("started")}, customer=customer)


@router.get("/account/points")
def my_points(request: Request, db: DatabaseDep) -> Response:
    """Your tier, points to spend, points on their way, and every change with its reason."""
    with db.transaction(read_only=True) as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return _redirect_to_sign_in("/account/points")
        locale = locale_for(request, customer.locale)
        summary = loyalty_service.summary_for(session=session, customer_id=customer.id)
        entries = [{"date": layout.when(e.created_at, locale), "kind": POINT_KINDS.get(e.kind, e.kind),
                    "points": e.points, "expires": layout.when(e.expires_at, locale) if e.expires_at and e.points > 0
                    else None}
                   for e in loyalty_service.history(session=session, customer_id=customer.id, limit=200)]
        channel = views.web_channel(session)
        currency = channel.currency if channel else "EUR"
        return account_shell(request, session, "storefront/points.html",
                      {"summary": summary, "entries": entries,
                       "worth": layout.money(summary.available * summary.point_value_minor, currency, locale)},
                      customer=customer)


def _profile(session: Session, customer: CustomerAccount) -> Any:
    return customers_service.profile_for_account(session=session, account_id=customer.id, email=customer.email,
                                                 name=customer.name, language=customer.locale)


def _details_page(request: Request, session: Session, customer: CustomerAccount, *, problem: str | None = None,
                  typed: dict[str, str] | None = None, status: int = 200) -> Response:
    profile = _profile(session, customer)
    consents = customers_service.consents_of(session=session, customer_id=profile.id)
    return account_shell(request, session, "storefront/details.html", {
        "addresses": customers_service.addresses_of(session=session, profile_id=profile.id),
        "consents": [{"channel": c, "label": label, "granted": bool(consents.get(c) and consents[c].granted)}
                     for c, label in CONSENT_CHANNELS.items()],
        "problem": problem, "typed": typed or {}, "saved": request.query_params.get("saved")},
        customer=customer, status=status)


@router.get("/account/details")
def my_details(request: Request, db: DatabaseDep) -> Response:
    """Your delivery addresses and the messages you agreed to receive."""
    with db.transaction() as session:  # the profile is made on first visit
        customer = signed_in_shopper(request, session)
        if customer is None:
            return _redirect_to_sign_in("/account/details")
        return _details_page(request, session, customer)


ADDRESS_PROBLEM = N_("Check the address: street, postcode, city and a two-letter country code are needed.")
ADDRESS_FIELDS = ("label", "recipient", "street", "postal_code", "city", "country", "phone")


@router.post("/account/addresses", dependencies=[CsrfChecked])
async def add_address(request: Request, db: DatabaseDep) -> Response:
    """Add a delivery address; a bad one shows why and keeps what was typed."""
    form = await request.form()
    typed = {name: str(form.get(name, "")).strip()[:200] for name in ADDRESS_FIELDS}
    with db.transaction() as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return _redirect_to_sign_in("/account/details")
        complete = all(typed[name] for name in ("recipient", "street", "postal_code", "city"))
        if not complete or len(typed["country"]) != 2 or not typed["country"].isalpha():
            return _details_page(request, session, customer, typed=typed, status=422, problem=ADDRESS_PROBLEM)
        try:
            with session.begin_nested():
                customers_service.add_address(session=session, profile=_profile(session, customer),
                                              address=customers_service.NewAddress(
                                                  label=typed["label"], recipient=typed["recipient"],
                                                  street=typed["street"], postal_code=typed["postal_code"],
                                                  city=typed["city"], country=typed["country"].upper(),
                                                  phone=typed["phone"] or None,
                                                  is_default=form.get("is_default") == "on"))
        except DomainError:
            return _details_page(request, session, customer, typed=typed, status=422, problem=ADDRESS_PROBLEM)
    return RedirectResponse("/account/details?saved=address", status_code=303)


@router.post("/account/addresses/{address_id}/delete", dependencies=[CsrfChecked])
def delete_address(address_id: uuid.UUID, request: Request, db: DatabaseDep) -> Response:
    """Remove one of your addresses."""
    with db.transaction() as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return _redirect_to_sign_in("/account/details")
        try:
            customers_service.delete_address(session=session, profile=_profile(session, customer),
                                             address_id=address_id)
        except DomainError:
            raise PageNotFound("No such address") from None
    return RedirectResponse("/account/details?saved=address", status_code=303)


@router.post("/account/consents", dependencies=[CsrfChecked])
async def save_consents(request: Request, db: DatabaseDep) -> Response:
    """Say yes or no to e-mail, text messages and app notifications; only changes are recorded."""
    form = await request.form()
    with db.transaction() as session:
        customer = signed_in_shopper(request, session)
        if customer is None:
            return _redirect_to_sign_in("/account/details")
        profile = _profile(session, customer)
        current = customers_service.consents_of(session=session, customer_id=profile.id)
        for channel in CONSENT_CHANNELS:
            granted = form.get(channel) == "on"
            if bool(current.get(channel) and current[channel].granted) != granted:
                customers_service.record_consent(session=session, profile=profile, channel=channel,
                                                 granted=granted, source="web", actor=f"customer:{customer.id}")
    return RedirectResponse("/account/details?saved=consents", status_code=303)
