"""Back-office notifications: every message sent to customers with its delivery status (filters, pages, CSV),
and a form for a marketer to send themselves a test of any template in any language.

Reading needs CUSTOMERS_READ; a staff member whose grant covers some stores only sees the messages sent for
those stores and for the shop as a whole. Sending a test needs MARKETING_MANAGE.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from omniretail.identity.dependencies import OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel import clock, i18n
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import DomainError, PermissionDenied
from omniretail.kernel.i18n import N_
from omniretail.marketing import service as marketing_service
from omniretail.marketing import templating
from omniretail.marketing.rules import Channel, Purpose, Status
from omniretail.web.backoffice.tables import PAGE_SIZE, Paging, csv_response, link, page_number
from omniretail.web.templates import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=100)]
COLUMNS = ["created", "channel", "purpose", "template", "locale", "recipient", "status", "reason", "attempts",
           "sent", "delivered", "customer", "ref"]
REQUIRED = N_("Required.")
BAD_EMAIL = N_("Enter an e-mail address like anna@shop.example.com.")
BAD_PHONE = N_("Enter a phone number like +371 2000 0000.")


async def _form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=20)


FormDep = Annotated[FormData, Depends(_form)]


def _gate(staff: Principal | None, permission: Permission) -> Response | None:
    if staff is None:
        return RedirectResponse("/admin/login?next=/admin/notifications", status_code=303)
    if not staff.can(permission):
        raise PermissionDenied("Your roles do not include this page", permission=permission.value)
    return None


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _page(request: Request, session: Any, staff: Principal, params: dict[str, Any], *, form: dict[str, str],
          errors: dict[str, str], status: int = 200) -> Response:
    where = marketing_service.LogFilter(
        channel=params["channel"], status=params["status"], purpose=params["purpose"],
        template=params["template"], text=params["q"], customer_id=_uuid(params["customer"]))
    locations = staff.locations_for(Permission.CUSTOMERS_READ)
    paging = Paging(page_number(params.get("page")), PAGE_SIZE, 0)
    found, total = marketing_service.search(session=session, where=where, locations=locations,
                                            offset=paging.offset, limit=paging.size)
    shown = {k: v for k, v in params.items() if k != "page"}
    return render(request, "backoffice/notifications/list.html", {
        "staff": staff, "rows": found, "paging": Paging(paging.page, paging.size, total), "params": shown,
        "when": _when, "link": lambda **kw: link("/admin/notifications", shown, **kw),
        "channels": list(Channel), "statuses": list(Status), "purposes": list(Purpose),
        "templates": templating.names(), "locales": i18n.LOCALES, "form": form, "errors": errors,
        "can_send": staff.can(Permission.MARKETING_MANAGE), "sent": request.query_params.get("sent")},
        status=status)


def _params(channel: str | None, status: str | None, purpose: str | None, template: str | None, q: str | None,
            customer: str | None, page: str | None) -> dict[str, Any]:
    return {"channel": channel if channel in set(Channel) else None,
            "status": status if status in set(Status) else None,
            "purpose": purpose if purpose in set(Purpose) else None,
            "template": template if template in templating.names() else None,
            "q": q or None, "customer": customer if _uuid(customer) else None, "page": page}


@router.get("/admin/notifications")
def notifications(request: Request, session: SessionDep, staff: OptionalStaff, channel: Text = None,
                  status: Text = None, purpose: Text = None, template: Text = None, q: Text = None,
                  customer: Text = None, page: Text = None, format: Text = None) -> Response:
    """Recent notifications, newest first, with filters and CSV export."""
    if (gate := _gate(staff, Permission.CUSTOMERS_READ)) is not None:
        return gate
    assert staff is not None
    params = _params(channel, status, purpose, template, q, customer, page)
    if format == "csv":
        where = marketing_service.LogFilter(
            channel=params["channel"], status=params["status"], purpose=params["purpose"],
            template=params["template"], text=params["q"], customer_id=_uuid(params["customer"]))
        rows = [[n.created_at.isoformat(), n.channel, n.purpose, n.template, n.locale, n.recipient or "", n.status,
                 n.reason or "", n.attempts, n.sent_at.isoformat() if n.sent_at else "",
                 n.delivered_at.isoformat() if n.delivered_at else "", str(n.customer_id or ""), n.ref]
                for n in marketing_service.each(session=session, where=where,
                                                locations=staff.locations_for(Permission.CUSTOMERS_READ))]
        return csv_response(f"notifications-{clock.now():%Y%m%d-%H%M}.csv", COLUMNS, rows)
    return _page(request, session, staff, params, form={"locale": "en", "channel": "email"}, errors={})


@router.post("/admin/notifications/test")
def send_test(request: Request, session: SessionDep, staff: OptionalStaff, form: FormDep) -> Response:
    """Send a template with its example values to the marketer's own address."""
    if (gate := _gate(staff, Permission.MARKETING_MANAGE)) is not None:
        return gate
    assert staff is not None
    typed = {k: (v.strip()[:254] if isinstance(v := form.get(k), str) else "")
             for k in ("template", "locale", "channel", "to")}
    errors: dict[str, str] = {}
    if typed["template"] not in templating.names():
        errors["template"] = REQUIRED
    if typed["locale"] not in i18n.LOCALES:
        errors["locale"] = REQUIRED
    if typed["channel"] not in ("email", "sms"):
        errors["channel"] = REQUIRED
    elif typed["channel"] == "email" and "@" not in typed["to"]:
        errors["to"] = BAD_EMAIL
    elif typed["channel"] == "sms" and not typed["to"].replace("+", "").replace(" ", "").isdigit():
        errors["to"] = BAD_PHONE
    ids: list[uuid.UUID] = []
    if not errors:
        try:
            with session.begin_nested():
                ids = marketing_service.notify(
                    session=session, customer_id=None, template=typed["template"], locale=typed["locale"],
                    context=templating.SAMPLES.get(typed["template"], {}), purpose="service",
                    channels=("email",) if typed["channel"] == "email" else ("sms",),
                    email=typed["to"] if typed["channel"] == "email" else None,
                    phone=typed["to"] if typed["channel"] == "sms" else None,
                    ref=f"test:{staff.staff_id}:{uuid.uuid4()}")
        except DomainError as error:
            errors["to"] = error.detail
    if errors:
        params = _params(None, None, None, None, None, None, None)
        return _page(request, session, staff, params, form=typed, errors=errors, status=422)
    return RedirectResponse(f"/admin/notifications?sent={ids[0]}", status_code=303)
