"""Back-office customer pages: search, the customer 360 view, merging duplicates; loyalty and promotions settings.

Permissions: ``customers.read`` to find and view customers, ``customers.manage`` to edit, export, erase and merge;
``loyalty.manage`` for the programme and point adjustments; ``analytics.read`` (scoped to stores) for the
settlement report; ``promotions.manage`` for promotions and coupons, scoped to stores when a staff member's grant
is per store. Customers are not scoped to stores by the customers service: anyone with ``customers.read`` at some
store may find every customer, but the orders and returns on the 360 view are only those their grants cover.

A search text (phone, e-mail, card) is personal data, so it travels in a POST body, never in a URL. Every change is
one POST in the request's transaction; a refused change rolls back to a savepoint and the form comes back with the
input and the messages.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import ValidationError

from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.customers import service as customers_service
from omniretail.identity.dependencies import OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import DomainError, FieldError, InvalidInput, NotFound, PermissionDenied
from omniretail.kernel.i18n import N_
from omniretail.kernel.money import Money
from omniretail.loyalty import service as loyalty_service
from omniretail.loyalty.schemas import EarnRuleIn, ProgramUpdate, RewardIn, TierIn
from omniretail.ordering import service as ordering_service
from omniretail.promotions import service as promotions_service
from omniretail.promotions.schemas import PromotionCreate
from omniretail.returns import service as returns_service
from omniretail.web.backoffice.tables import PAGE_SIZE, Paging, csv_response, link, page_number
from omniretail.web.templates import locale_for, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=100)]
Errors = dict[str, str]
P = Permission
# What ``customers.merging`` says about a pair of duplicates, marked so the page can show it translated.
DUPLICATE_REASONS = (N_("same email"), N_("same phone"), N_("same name and postcode"))


async def _read_form(request: Request) -> dict[str, list[str]]:
    if request.method != "POST":
        return {}
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


FormDep = Annotated[dict[str, list[str]], Depends(_read_form)]


def _one(form: Mapping[str, list[str]], name: str, limit: int = 500) -> str:
    values = form.get(name) or [""]
    return values[0].strip()[:limit]


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def _need(staff: Principal | None, permission: Permission, area: str) -> Principal:
    """The staff member if their roles carry ``permission`` somewhere; else off to sign in, or 403."""
    if staff is None:
        raise _SignIn(area)
    if not staff.can(permission):
        raise PermissionDenied(f"Your roles do not allow {permission.value}", permission=permission.value)
    return staff


class _SignIn(Exception):
    def __init__(self, area: str) -> None:
        self.area = area


def _guarded(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Turn a missing sign-in into a redirect to the sign-in page."""

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> Response:
        try:
            return handler(*args, **kwargs)
        except _SignIn as exc:
            return RedirectResponse(f"/admin/login?next={exc.area}", status_code=303)

    return run


def _errors(error: DomainError | ValidationError) -> Errors:
    """Field name -> message; a refusal without fields goes under ``_``."""
    if isinstance(error, ValidationError):
        return {str(next((p for p in reversed(e["loc"]) if isinstance(p, str)), "_")): e["msg"]
                for e in error.errors()}
    found = {str(next((p for p in reversed(e.loc) if isinstance(p, str)), "_")): e.msg for e in error.errors}
    return found or {"_": error.detail}


def _attempt(session: Any, change: Callable[[], Any]) -> tuple[Any, Errors]:
    """Run ``change`` under a savepoint: all of it is written, or none of it and the field errors come back."""
    try:
        with session.begin_nested():
            return change(), {}
    except (DomainError, ValidationError) as error:
        return None, _errors(error)


def _actor(staff: Principal) -> str:
    return f"staff:{staff.email}"


def _money(minor: int, currency: str, locale: str) -> str:
    return Money(minor, currency).format(locale)


# --- customers: the list -------------------------------------------------------------------------------------------

CUSTOMER_COLUMNS = ["id", "given_name", "family_name", "email", "phone", "card_number", "tier", "source", "created"]


def _customer_row(p: Any) -> list[Any]:
    return [str(p.id), p.given_name, p.family_name, p.email or "", p.phone or "", p.card_number or "", p.tier or "",
            p.source, p.created_at.strftime("%Y-%m-%d")]


@router.api_route("/admin/customers", methods=["GET", "POST"])
@_guarded
def customers(request: Request, session: SessionDep, staff: OptionalStaff, form: FormDep, segment: Text = None,
              tier: Text = None, page: Text = None) -> Response:
    """Find customers by phone, e-mail, card number or name; filter by segment and tier; export CSV."""
    staff = _need(staff, P.CUSTOMERS_READ, "/admin/customers")
    q = _one(form, "q", 100)
    segment = _one(form, "segment", 60) or segment or ""
    tier = _one(form, "tier", 40) or tier or ""
    asked = page_number(_one(form, "page", 6) or page)
    if _one(form, "format", 5) == "csv":
        _need(staff, P.CUSTOMERS_MANAGE, "/admin/customers")  # a file of personal data leaves the system
        rows, _ = customers_service.search_profiles(session=session, q=q, segment=segment or None,
                                                    tier=tier or None, offset=0, limit=100_000)
        return csv_response(f"customers-{clock.now():%Y%m%d-%H%M}.csv", CUSTOMER_COLUMNS,
                            [_customer_row(p) for p in rows])
    found, total = customers_service.search_profiles(session=session, q=q, segment=segment or None,
                                                     tier=tier or None, offset=(asked - 1) * PAGE_SIZE,
                                                     limit=PAGE_SIZE)
    return render(request, "backoffice/people/customers.html", {
        "staff": staff, "q": q, "segment": segment, "tier": tier, "paging": Paging(asked, PAGE_SIZE, total),
        "segments": customers_service.segment_choices(session=session),
        "tiers": [t.code for t in loyalty_service.tiers(session=session)]
        or customers_service.tier_codes_in_use(session=session),
        "rows": found, "name": customers_service.display_name})


# --- duplicates and merging ----------------------------------------------------------------------------------------

@router.get("/admin/customers/duplicates")
@_guarded
def duplicates(request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """Pairs of profiles that look like one person, with the reasons."""
    staff = _need(staff, P.CUSTOMERS_READ, "/admin/customers/duplicates")
    pairs = customers_service.duplicate_pairs(session=session, limit=200)
    people = {p.id: p for p in customers_service.profiles_by_ids(
        session=session, ids={i for pair in pairs for i in (pair.first_id, pair.second_id)})}
    return render(request, "backoffice/people/duplicates.html", {
        "staff": staff, "name": customers_service.display_name,
        "pairs": [(people[p.first_id], people[p.second_id], p.reasons) for p in pairs]})


def _compare(request: Request, session: Any, staff: Principal, first: uuid.UUID, second: uuid.UUID,
             errors: Errors, reason: str = "", status: int = 200) -> Response:
    sides = []
    for customer_id in (first, second):
        profile = customers_service.get_profile(session=session, customer_id=customer_id, follow=False)
        points = loyalty_service.summary_for(session=session, customer_id=profile.id)
        sides.append({"profile": profile, "points": points,
                      "identities": customers_service.identities_of(session=session, profile_id=profile.id),
                      "addresses": customers_service.addresses_of(session=session, profile_id=profile.id),
                      "orders": len(ordering_service.orders_of_customers(session=session, customer_ids=[profile.id],
                                                                         limit=1000))})
    return render(request, "backoffice/people/merge.html", {
        "staff": staff, "sides": sides, "errors": errors, "reason": reason,
        "name": customers_service.display_name}, status=status)


@router.get("/admin/customers/merge")
@_guarded
def merge_form(request: Request, session: SessionDep, staff: OptionalStaff, first: Text = None,
               second: Text = None) -> Response:
    """Two profiles side by side, and the form that merges one into the other."""
    staff = _need(staff, P.CUSTOMERS_READ, "/admin/customers/duplicates")
    a, b = _uuid(first), _uuid(second)
    if a is None or b is None:
        raise NotFound("Choose two customers to compare")
    return _compare(request, session, staff, a, b, {})


@router.post("/admin/customers/merge")
@_guarded
def merge(request: Request, session: SessionDep, staff: OptionalStaff, form: FormDep) -> Response:
    """Merge the chosen profile into the survivor once the member of staff has confirmed."""
    staff = _need(staff, P.CUSTOMERS_MANAGE, "/admin/customers/duplicates")
    first, second = _uuid(_one(form, "first", 40)), _uuid(_one(form, "second", 40))
    survivor = _uuid(_one(form, "survivor", 40))
    reason = _one(form, "reason", 200)
    if first is None or second is None:
        raise NotFound("Choose two customers to compare")
    errors: Errors = {}
    if survivor not in (first, second):
        errors["survivor"] = N_("choose the profile that stays")
    if _one(form, "confirm", 10) != "yes":
        errors["confirm"] = N_("tick the box to confirm the merge")
    if not errors:
        merged_id = second if survivor == first else first
        assert survivor is not None
        _, errors = _attempt(session, lambda: customers_service.merge_profiles(
            session=session, survivor_id=survivor, merged_id=merged_id, actor=_actor(staff), reason=reason))
        if not errors:
            return RedirectResponse(f"/admin/customers/{survivor}?done=merged", status_code=303)
    return _compare(request, session, staff, first, second, errors, reason, status=422)


# --- the 360 view --------------------------------------------------------------------------------------------------

PROFILE_INPUTS = ("given_name", "family_name", "email", "phone", "birth_date", "language", "tags")
CONSENT_CHANNELS = ("email", "sms", "push")


def _profile_or_redirect(session: Any, customer_id: str) -> Any:
    parsed = _uuid(customer_id)
    if parsed is None:
        raise NotFound("No such customer")
    return customers_service.get_profile(session=session, customer_id=parsed)


def _show(request: Request, session: Any, staff: Principal, profile: Any, *, errors: Errors | None = None,
          values: Mapping[str, Any] | None = None, status: int = 200) -> Response:
    locale = locale_for(request)
    view = customers_service.overview_of(session=session, customer_id=profile.id)
    can_orders = staff.can(P.ORDERS_READ)
    orders = [o for o in view.orders if can_orders and ordering_service.visible_to(staff, o)]
    returns = []
    if staff.can(P.RETURNS_MANAGE):
        for customer_id in [profile.id, *view.merged_ids]:
            returns.extend(returns_service.list_returns(session=session, actor=staff, customer_id=customer_id,
                                                        cursor=None, limit=50).items)
    consents = {c: bool(view.consents.get(c) and view.consents[c].granted) for c in CONSENT_CHANNELS}
    current = {"given_name": profile.given_name, "family_name": profile.family_name, "email": profile.email or "",
               "phone": profile.phone or "", "birth_date": profile.birth_date or "",
               "language": profile.language or "", "tags": ", ".join(profile.tags or [])}
    return render(request, "backoffice/people/customer.html", {
        "staff": staff, "profile": profile, "view": view, "name": customers_service.display_name(profile),
        "orders": orders, "hidden_orders": len(view.orders) - len(orders), "returns": returns,
        "points": loyalty_service.summary_for(session=session, customer_id=profile.id),
        "ledger": loyalty_service.history(session=session, customer_id=profile.id, limit=50),
        "spend": [_money(m, c, locale) for c, m in view.totals.spend_by_currency.items()],
        "money": lambda minor, currency: _money(minor, currency, locale),
        "values": {**current, "consents": consents, **(values or {})}, "errors": errors or {},
        "done": request.query_params.get("done", "")}, status=status)


@router.get("/admin/customers/{customer_id}")
@_guarded
def customer(customer_id: str, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """The 360 view: profile, identities, addresses, consents, segments, points, orders and returns."""
    staff = _need(staff, P.CUSTOMERS_READ, "/admin/customers")
    profile = _profile_or_redirect(session, customer_id)
    if str(profile.id) != customer_id:
        return RedirectResponse(f"/admin/customers/{profile.id}", status_code=303)
    return _show(request, session, staff, profile)


@router.post("/admin/customers/{customer_id}")
@_guarded
def edit_customer(customer_id: str, request: Request, session: SessionDep, staff: OptionalStaff,
                  form: FormDep) -> Response:
    """Change the profile's fields and consents in one go."""
    staff = _need(staff, P.CUSTOMERS_MANAGE, "/admin/customers")
    profile = _profile_or_redirect(session, customer_id)
    values: dict[str, Any] = {k: _one(form, k, 254) for k in PROFILE_INPUTS}
    wanted = {c: _one(form, f"consent_{c}", 5) == "yes" for c in CONSENT_CHANNELS}
    errors: Errors = {}
    if not values["given_name"]:
        errors["given_name"] = N_("a given name is needed")
    if values["birth_date"]:
        try:
            date.fromisoformat(values["birth_date"])
        except ValueError:
            errors["birth_date"] = N_("a date as YYYY-MM-DD")
    if not errors:
        _, errors = _attempt(session, lambda: _save_profile(session, staff, profile, values, wanted))
        if not errors:
            return RedirectResponse(f"/admin/customers/{profile.id}?done=saved", status_code=303)
    return _show(request, session, staff, profile, errors=errors, values={**values, "consents": wanted},
                 status=422)


def _save_profile(session: Any, staff: Principal, profile: Any, values: Mapping[str, str],
                  wanted: Mapping[str, bool]) -> None:
    changes: dict[str, Any] = {k: (v or None) for k, v in values.items() if k != "tags"}
    changes["tags"] = [t.strip() for t in values["tags"].split(",") if t.strip()]
    customers_service.update_profile(session=session, profile=profile, changes=changes, source="staff")
    now = customers_service.consents_of(session=session, customer_id=profile.id)
    for channel, granted in wanted.items():
        if bool(now.get(channel) and now[channel].granted) != granted:
            customers_service.record_consent(session=session, profile=profile, channel=channel, granted=granted,
                                             source="staff", actor=_actor(staff))


@router.get("/admin/customers/{customer_id}/export")
@_guarded
def export_customer(customer_id: str, session: SessionDep, staff: OptionalStaff) -> Response:
    """Everything held about the customer as one JSON file (GDPR access request)."""
    staff = _need(staff, P.CUSTOMERS_MANAGE, "/admin/customers")
    profile = _profile_or_redirect(session, customer_id)
    data = customers_service.export_profile(session=session, customer_id=profile.id)
    return JSONResponse(data, headers={"content-disposition": f'attachment; filename="customer-{profile.id}.json"'})


@router.api_route("/admin/customers/{customer_id}/erase", methods=["GET", "POST"])
@_guarded
def erase_customer(customer_id: str, request: Request, session: SessionDep, staff: OptionalStaff,
                   form: FormDep) -> Response:
    """Ask for confirmation, then anonymize the customer (orders and payments stay as financial records)."""
    staff = _need(staff, P.CUSTOMERS_MANAGE, "/admin/customers")
    profile = _profile_or_redirect(session, customer_id)
    errors: Errors = {}
    if request.method == "POST":
        if _one(form, "confirm", 10) != "ERASE":
            errors["confirm"] = N_("type ERASE to confirm")
        else:
            _, errors = _attempt(session, lambda: customers_service.erase_profile(
                session=session, customer_id=profile.id, actor=_actor(staff)))
            if not errors:
                return RedirectResponse(f"/admin/customers/{profile.id}?done=erased", status_code=303)
    return render(request, "backoffice/people/erase.html", {
        "staff": staff, "profile": profile, "name": customers_service.display_name(profile), "errors": errors},
        status=422 if errors else 200)


# --- loyalty -------------------------------------------------------------------------------------------------------

def _loyalty(request: Request, session: Any, staff: Principal, *, errors: Errors | None = None, form: str = "",
             values: Mapping[str, str] | None = None, status: int = 200) -> Response:
    settings = loyalty_service.program_settings(session=session)
    return render(request, "backoffice/people/loyalty.html", {
        "staff": staff, "programme": settings, "tiers": loyalty_service.tiers(session=session),
        "rules": loyalty_service.list_earn_rules(session=session),
        "rewards": loyalty_service.reward_catalog(session=session),
        "promotions": promotions_service.list_promotions(session=session),
        "money": lambda minor: _money(minor, settings.currency, locale_for(request)),
        "errors": errors or {}, "form": form, "values": values or {},
        "done": request.query_params.get("done", "")}, status=status)


@router.get("/admin/loyalty")
@_guarded
def loyalty(request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """The programme's settings, tiers, earn rules and rewards, and point adjustments."""
    return _loyalty(request, session, _need(staff, P.LOYALTY_MANAGE, "/admin/loyalty"))


def _ints(values: Mapping[str, str], names: tuple[str, ...]) -> tuple[dict[str, Any], Errors]:
    """Whole numbers from the form (kept as typed when they are not, with a message)."""
    parsed: dict[str, Any] = {}
    errors: Errors = {}
    for name in names:
        raw = values.get(name, "")
        try:
            parsed[name] = int(raw)
        except ValueError:
            errors[name] = N_("a whole number")
    return parsed, errors


LOYALTY_FORMS: dict[str, tuple[str, ...]] = {
    "program": ("name", "currency", "points_per_unit", "point_value_minor", "return_window_days", "expiry_months",
                "min_redeem_points", "referral_points"),
    "tier": ("code", "name", "min_spend_minor", "multiplier_percent", "birthday_points", "free_shipping"),
    "rule": ("name", "multiplier_percent", "exclude", "brand", "channel", "starts_at", "ends_at"),
    "reward": ("code", "name", "points_cost", "promotion_id"),
    "adjust": ("member", "points", "note"),
}


@router.post("/admin/loyalty/{what}")
@_guarded
def loyalty_change(what: str, request: Request, session: SessionDep, staff: OptionalStaff,
                   form: FormDep) -> Response:
    """Save one of the loyalty forms: programme, tier, earn rule, reward or a member's point adjustment."""
    staff = _need(staff, P.LOYALTY_MANAGE, "/admin/loyalty")
    if what not in LOYALTY_FORMS:
        raise NotFound("No such form")
    values = {k: _one(form, k, 200) for k in LOYALTY_FORMS[what]}
    change, errors = _loyalty_change(session, what, values)
    if not errors:
        _, errors = _attempt(session, change)
        if not errors:
            member = _uuid(values.get("member"))
            if what == "adjust" and member is not None and _one(form, "back", 10) == "customer":
                return RedirectResponse(f"/admin/customers/{member}?done=points", status_code=303)
            return RedirectResponse(f"/admin/loyalty?done={what}", status_code=303)
    return _loyalty(request, session, staff, errors=errors, form=what, values=values, status=422)


def _when(raw: str) -> datetime | None:
    return datetime.fromisoformat(raw).replace(tzinfo=UTC) if raw else None


def _loyalty_change(session: Any, what: str, v: Mapping[str, str]) -> tuple[Callable[[], Any], Errors]:
    """Validate a loyalty form into the service call that saves it."""
    numbers = {"program": LOYALTY_FORMS["program"][2:], "tier": ("min_spend_minor", "multiplier_percent",
                                                                  "birthday_points"),
               "rule": ("multiplier_percent",), "reward": ("points_cost",), "adjust": ("points",)}[what]
    ints, errors = _ints(v, numbers)
    if errors:
        return lambda: None, errors
    try:
        if what == "program":
            current = loyalty_service.program_settings(session=session)
            body = ProgramUpdate.model_validate({**ints, "name": v["name"], "currency": v["currency"].upper(),
                                                 "channel_multipliers": current.channel_multipliers})
            return lambda: loyalty_service.configure(session=session, **body.model_dump()), {}
        if what == "tier":
            if not v["code"] or len(v["code"]) > 40 or not v["code"].replace("-", "").replace("_", "").isalnum():
                return lambda: None, {"code": N_("letters, digits, - and _")}
            tier = TierIn.model_validate({**ints, "name": v["name"], "free_shipping": v["free_shipping"] == "yes"})
            return lambda: loyalty_service.define_tier(session=session, code=v["code"], **tier.model_dump()), {}
        if what == "rule":
            try:
                starts, ends = _when(v["starts_at"]), _when(v["ends_at"])
            except ValueError:
                return lambda: None, {"starts_at": N_("a date and time")}
            rule = EarnRuleIn.model_validate({**ints, "name": v["name"], "exclude": v["exclude"] == "yes",
                                              "brand": v["brand"] or None, "channel": v["channel"] or None,
                                              "starts_at": starts, "ends_at": ends})
            return lambda: loyalty_service.add_earn_rule(session=session, **rule.model_dump()), {}
        if what == "reward":
            reward = RewardIn.model_validate({**ints, "code": v["code"], "name": v["name"],
                                              "promotion_id": v["promotion_id"]})
            return lambda: loyalty_service.add_catalog_reward(session=session, **reward.model_dump()), {}
    except ValidationError as error:
        return lambda: None, _errors(error)
    return _adjustment(session, v, ints["points"])


def _adjustment(session: Any, v: Mapping[str, str], points: int) -> tuple[Callable[[], Any], Errors]:
    """A member's points corrected by a ledger entry with the reason (never an overwrite of a balance)."""
    member = _uuid(v["member"])
    if member is None:
        found = customers_service.lookup(session=session, q=v["member"], limit=2) if v["member"] else []
        if len(found) != 1:
            return lambda: None, {"member": N_("no single member has this card, phone or e-mail")}
        member = found[0].id
    if not v["note"]:
        return lambda: None, {"note": N_("say why the points change")}
    if points == 0 or abs(points) > 10_000_000:
        return lambda: None, {"points": N_("between -10000000 and 10000000, not 0")}
    profile = customers_service.find_profile(session=session, customer_id=member)
    if profile is None or profile.status != customers_service.ACTIVE:
        return lambda: None, {"member": N_("no single member has this card, phone or e-mail")}
    return lambda: loyalty_service.adjust(session=session, customer_id=profile.id, points=points,
                                          note=v["note"]), {}


SETTLEMENT_COLUMNS = ["earned_at", "redeemed_at", "points", "value", "currency"]


@router.get("/admin/loyalty/settlement")
@_guarded
def settlement(request: Request, session: SessionDep, staff: OptionalStaff, start: Annotated[
        str | None, Query(alias="from", max_length=10)] = None, end: Annotated[
        str | None, Query(alias="to", max_length=10)] = None, format: Text = None) -> Response:
    """Points redeemed in a period by issuing and honouring store, for the stores the staff member may see."""
    staff = _need(staff, P.ANALYTICS_READ, "/admin/loyalty/settlement")
    today = clock.now().astimezone(UTC).date()
    try:
        first = datetime.fromisoformat(start).date() if start else today.replace(day=1)
        last = datetime.fromisoformat(end).date() if end else today
    except ValueError as exc:
        raise InvalidInput(errors=[FieldError(("query", "from"), "dates as YYYY-MM-DD")]) from exc
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    until = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    places = staff.locations_for(P.ANALYTICS_READ)
    rows = loyalty_service.settlement(session=session, start=since, end=until,
                                      location_ids=None if places is None else frozenset(places))
    names = {loc.id: loc.name for loc in inventory_service.list_locations(session=session)}
    currency = loyalty_service.program_settings(session=session).currency
    if format == "csv":
        return csv_response(f"loyalty-settlement-{first}-{last}.csv", SETTLEMENT_COLUMNS, [
            [names.get(r.earned_at, "") if r.earned_at else "", names.get(r.redeemed_at, "") if r.redeemed_at
             else "", r.points, Money(r.value_minor, currency).to_decimal(), currency] for r in rows])
    params = {"from": first.isoformat(), "to": last.isoformat()}
    locale = locale_for(request)
    return render(request, "backoffice/people/settlement.html", {
        "staff": staff, "params": params, "csv": link("/admin/loyalty/settlement", params, format="csv"),
        "rows": [{"earned": names.get(r.earned_at, "—") if r.earned_at else "—",
                  "redeemed": names.get(r.redeemed_at, "—") if r.redeemed_at else "—", "points": r.points,
                  "value": _money(r.value_minor, currency, locale)} for r in rows]})


# --- promotions and coupons ----------------------------------------------------------------------------------------

KINDS = ("percent_off", "amount_off", "fixed_price", "buy_x_get_y", "bundle_price", "free_shipping", "gift")
PROMOTION_COLUMNS = ["id", "name", "kind", "active", "starts_at", "ends_at", "requires_coupon", "usage_limit",
                     "uses", "channels", "stores"]
COUPON_COLUMNS = ["code", "batch", "usage_limit", "uses", "created"]


def _stores_of(promotion: Any) -> set[uuid.UUID]:
    return {uuid.UUID(str(x)) for x in (promotion.conditions or {}).get("location_ids") or ()}


def _may_manage(staff: Principal, promotion: Any) -> bool:
    """Chain-wide promotions need a chain-wide grant; a store's own ones need a grant at each of its stores."""
    places = staff.locations_for(P.PROMOTIONS_MANAGE)
    stores = _stores_of(promotion)
    return places is None or (bool(stores) and stores <= places)


@router.get("/admin/promotions")
@_guarded
def promotions(request: Request, session: SessionDep, staff: OptionalStaff, state: Text = None,
               format: Text = None) -> Response:
    """Every promotion the staff member may manage, with its claimed uses; CSV export."""
    staff = _need(staff, P.PROMOTIONS_MANAGE, "/admin/promotions")
    active = {"active": True, "ended": False}.get(state or "")
    found = [p for p in promotions_service.list_promotions(session=session, active=active)
             if _may_manage(staff, p)]
    uses = promotions_service.usage(session=session, promotion_ids=[p.id for p in found])
    names = {loc.id: loc.name for loc in inventory_service.list_locations(session=session)}
    if format == "csv":
        return csv_response(f"promotions-{clock.now():%Y%m%d-%H%M}.csv", PROMOTION_COLUMNS, [
            [str(p.id), p.name, p.kind, p.active, p.starts_at.isoformat() if p.starts_at else "",
             p.ends_at.isoformat() if p.ends_at else "", p.requires_coupon, p.usage_limit or "", uses.get(p.id, 0),
             " ".join((p.conditions or {}).get("channels") or []),
             " ".join(names.get(s, str(s)) for s in _stores_of(p))] for p in found])
    return render(request, "backoffice/people/promotions.html", {
        "staff": staff, "rows": found, "uses": uses, "state": state or "",
        "csv": link("/admin/promotions", {"state": state}, format="csv")})


def _promotion_page(request: Request, session: Any, staff: Principal, promotion: Any | None, *,
                    values: Mapping[str, Any] | None = None, errors: Errors | None = None, batch: str = "",
                    page: int = 1, status: int = 200) -> Response:
    places = staff.locations_for(P.PROMOTIONS_MANAGE)
    stores = [loc for loc in inventory_service.list_locations(session=session)
              if places is None or loc.id in places]
    coupons: list[Any] = []
    total = 0
    if promotion is not None:
        coupons, total = promotions_service.coupon_usage(session=session, promotion_id=promotion.id,
                                                         batch=batch or None, offset=(page - 1) * PAGE_SIZE,
                                                         limit=PAGE_SIZE)
    return render(request, "backoffice/people/promotion.html", {
        "staff": staff, "promotion": promotion, "kinds": KINDS, "stores": stores,
        "channels": channels_service.list_channels(session=session),
        "segments": customers_service.segment_choices(session=session),
        "tiers": loyalty_service.tiers(session=session),
        "values": values if values is not None else _values_of(promotion),
        "errors": errors or {}, "coupons": coupons, "batch": batch, "paging": Paging(page, PAGE_SIZE, total),
        "batches": promotions_service.coupon_batches(session=session, promotion_id=promotion.id)
        if promotion is not None else [],
        "uses": promotions_service.usage(session=session, promotion_ids=[promotion.id]).get(promotion.id, 0)
        if promotion is not None else 0, "done": request.query_params.get("done", "")}, status=status)


def _values_of(p: Any | None) -> dict[str, Any]:
    if p is None:
        return {"kind": "percent_off", "priority": "100", "active": True, "channels": [], "stores": [],
                "segments": [], "tiers": []}
    c = p.conditions or {}
    return {"name": p.name, "description": p.description, "kind": p.kind,
            "percent": f"{p.percent_bp / 100:g}" if p.percent_bp else "", "amount_minor": p.amount_minor or "",
            "buy": p.buy or "", "get": p.get or "", "priority": p.priority, "exclusive": p.exclusive,
            "group_code": p.group_code or "", "starts_at": p.starts_at.strftime("%Y-%m-%dT%H:%M") if p.starts_at
            else "", "ends_at": p.ends_at.strftime("%Y-%m-%dT%H:%M") if p.ends_at else "", "active": p.active,
            "requires_coupon": p.requires_coupon, "usage_limit": p.usage_limit or "",
            "per_customer_limit": p.per_customer_limit or "", "first_order_only": p.first_order_only,
            "min_spend_minor": c.get("min_spend_minor") or "", "min_quantity": c.get("min_quantity") or "",
            "brands": ", ".join((p.scope or {}).get("brands") or []), "gift_sku": "",
            "channels": list(c.get("channels") or []), "stores": [str(s) for s in c.get("location_ids") or []],
            "segments": list(c.get("segments") or []), "tiers": list(c.get("tiers") or [])}


PROMOTION_TEXT = ("name", "description", "kind", "percent", "amount_minor", "buy", "get", "priority", "group_code",
                  "starts_at", "ends_at", "usage_limit", "per_customer_limit", "min_spend_minor", "min_quantity",
                  "brands", "gift_sku")
PROMOTION_FLAGS = ("exclusive", "active", "requires_coupon", "first_order_only")
PROMOTION_LISTS = ("channels", "stores", "segments", "tiers")


def _promotion_input(session: Any, staff: Principal, form: Mapping[str, list[str]], existing: Any | None
                     ) -> tuple[dict[str, Any], PromotionCreate | None, Errors]:
    """The form as typed, and the validated promotion (or the field errors)."""
    values: dict[str, Any] = {k: _one(form, k, 500) for k in PROMOTION_TEXT}
    values.update({k: _one(form, k, 5) == "yes" for k in PROMOTION_FLAGS})
    values.update({k: [v[:60] for v in form.get(k, [])][:500] for k in PROMOTION_LISTS})
    errors: Errors = {}
    places = staff.locations_for(P.PROMOTIONS_MANAGE)
    stores = [_uuid(s) for s in values["stores"]]
    if any(s is None or (places is not None and s not in places) for s in stores):
        errors["stores"] = N_("only stores you manage promotions for")
    elif places is not None and not stores:
        errors["stores"] = N_("choose the stores this promotion is for")
    try:
        percent_bp = round(float(values["percent"].replace(",", ".")) * 100) if values["percent"] else 0
    except ValueError:
        errors["percent"] = N_("a number such as 10 or 12.5")
        percent_bp = 0
    gift = None
    if values["gift_sku"]:
        found = catalog_service.variants_by_sku(session=session, skus=[values["gift_sku"]]).get(values["gift_sku"])
        if found is None:
            errors["gift_sku"] = N_("no item has this SKU")
        gift = found.id if found else None
    try:
        starts, ends = _when(values["starts_at"]), _when(values["ends_at"])
    except ValueError:
        errors["starts_at"] = N_("a date and time")
        starts = ends = None
    if errors:
        return values, None, errors
    numbers = {k: values[k] or None for k in ("amount_minor", "buy", "get", "priority", "usage_limit",
                                               "per_customer_limit", "min_spend_minor", "min_quantity")}
    scope = dict(existing.scope or {}) if existing is not None else {}
    scope["brands"] = [b.strip() for b in values["brands"].split(",") if b.strip()]
    try:
        body = PromotionCreate.model_validate({
            "name": values["name"], "description": values["description"], "kind": values["kind"],
            "percent_bp": percent_bp, "amount_minor": numbers["amount_minor"] or 0, "buy": numbers["buy"] or 0,
            "get": numbers["get"] or 0, "gift_variant_id": gift if gift else (
                existing.gift_variant_id if existing is not None else None),
            "priority": numbers["priority"] or 100, "exclusive": values["exclusive"],
            "group_code": values["group_code"] or None, "scope": scope, "starts_at": starts, "ends_at": ends,
            "active": values["active"], "requires_coupon": values["requires_coupon"],
            "usage_limit": numbers["usage_limit"], "per_customer_limit": numbers["per_customer_limit"],
            "first_order_only": values["first_order_only"],
            "conditions": {**({k: v for k, v in (existing.conditions or {}).items()} if existing is not None else {}),
                           "channels": values["channels"], "location_ids": [str(s) for s in stores],
                           "segments": values["segments"], "tiers": values["tiers"],
                           "min_spend_minor": numbers["min_spend_minor"] or 0,
                           "min_quantity": numbers["min_quantity"] or 0}})
    except ValidationError as error:
        return values, None, _errors(error)
    return values, body, {}


def _save_promotion(session: Any, body: PromotionCreate, existing: Any | None) -> Any:
    data = body.model_dump(mode="json")
    data.update(starts_at=body.starts_at, ends_at=body.ends_at, gift_variant_id=body.gift_variant_id)
    if existing is None:
        return promotions_service.create_promotion(session=session, data=promotions_service.PromotionInput(**data))
    data.pop("kind")
    if existing.requires_coupon:
        data["requires_coupon"] = True  # its coupons keep working
    return promotions_service.update_promotion(session=session, promotion_id=existing.id, changes=data)


@router.api_route("/admin/promotions/new", methods=["GET", "POST"])
@_guarded
def new_promotion(request: Request, session: SessionDep, staff: OptionalStaff, form: FormDep) -> Response:
    """Define a promotion: benefit, schedule, channels and stores, audience and limits."""
    staff = _need(staff, P.PROMOTIONS_MANAGE, "/admin/promotions")
    if request.method == "GET":
        return _promotion_page(request, session, staff, None)
    values, body, errors = _promotion_input(session, staff, form, None)
    if body is not None:
        created, errors = _attempt(session, lambda: _save_promotion(session, body, None))
        if not errors:
            return RedirectResponse(f"/admin/promotions/{created.id}?done=saved", status_code=303)
    return _promotion_page(request, session, staff, None, values=values, errors=errors, status=422)


def _promotion(session: Any, staff: Principal, promotion_id: str) -> Any:
    parsed = _uuid(promotion_id)
    if parsed is None:
        raise NotFound("No such promotion")
    promotion = promotions_service.get_promotion(session=session, promotion_id=parsed)
    if not _may_manage(staff, promotion):
        raise PermissionDenied("This promotion covers stores you do not manage")
    return promotion


@router.api_route("/admin/promotions/{promotion_id}", methods=["GET", "POST"])
@_guarded
def promotion(promotion_id: str, request: Request, session: SessionDep, staff: OptionalStaff, form: FormDep,
              batch: Text = None, page: Text = None) -> Response:
    """One promotion's settings and its coupons with their uses; POST saves the settings."""
    staff = _need(staff, P.PROMOTIONS_MANAGE, "/admin/promotions")
    found = _promotion(session, staff, promotion_id)
    if request.method == "GET":
        return _promotion_page(request, session, staff, found, batch=batch or "", page=page_number(page))
    values, body, errors = _promotion_input(session, staff, form, found)
    if body is not None:
        _, errors = _attempt(session, lambda: _save_promotion(session, body, found))
        if not errors:
            return RedirectResponse(f"/admin/promotions/{found.id}?done=saved", status_code=303)
    return _promotion_page(request, session, staff, found, values=values, errors=errors, status=422)


@router.post("/admin/promotions/{promotion_id}/coupons")
@_guarded
def generate_coupons(promotion_id: str, request: Request, session: SessionDep, staff: OptionalStaff,
                     form: FormDep) -> Response:
    """Generate a batch of unique single-use (or N-use) codes, or add one named code."""
    staff = _need(staff, P.PROMOTIONS_MANAGE, "/admin/promotions")
    found = _promotion(session, staff, promotion_id)
    code, prefix = _one(form, "code", 40), _one(form, "prefix", 16)
    errors: Errors = {}
    count = limit = None
    try:
        count = int(_one(form, "count", 7)) if _one(form, "count", 7) else None
        limit = int(_one(form, "usage_limit", 7)) if _one(form, "usage_limit", 7) else None
    except ValueError:
        errors["count"] = N_("a whole number")
    if not errors and (code == "") == (count is None):
        errors["count"] = N_("give either a number of codes or one code")
    if limit is not None and limit < 1:
        errors["usage_limit"] = N_("at least 1")
    made: Any = None
    if not errors:
        if count is not None:
            made, errors = _attempt(session, lambda: promotions_service.generate_coupons(
                session=session, promotion_id=found.id, count=count or 0, prefix=prefix, usage_limit=limit or 1))
        else:
            made, errors = _attempt(session, lambda: [promotions_service.create_coupon(
                session=session, promotion_id=found.id, code=code, usage_limit=limit).code])
    if not errors:
        batches = promotions_service.coupon_batches(session=session, promotion_id=found.id)
        newest = batches[-1][0] if count is not None and batches else ""
        target = link(f"/admin/promotions/{found.id}", {"batch": newest, "done": f"coupons-{len(made)}"})
        return RedirectResponse(target, status_code=303)
    return _promotion_page(request, session, staff, found, values=_values_of(found), status=422,
                           errors={f"coupon_{k}": v for k, v in errors.items()})


@router.get("/admin/promotions/{promotion_id}/coupons.csv")
@_guarded
def coupons_csv(promotion_id: str, session: SessionDep, staff: OptionalStaff, batch: Text = None) -> Response:
    """A promotion's coupons (one batch, or all) with their uses, as CSV."""
    staff = _need(staff, P.PROMOTIONS_MANAGE, "/admin/promotions")
    found = _promotion(session, staff, promotion_id)
    rows, _ = promotions_service.coupon_usage(session=session, promotion_id=found.id, batch=batch or None,
                                              limit=None)
    return csv_response(f"coupons-{batch or found.id}.csv", COUPON_COLUMNS, [
        [c.code, c.batch or "", c.usage_limit or "", c.uses, c.created_at.strftime("%Y-%m-%d %H:%M")]
        for c in rows])
