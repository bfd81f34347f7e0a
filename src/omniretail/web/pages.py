"""The pages of the foundation: sign-out, back-office and POS sign-in (the shopper's account pages live in
``web/storefront/account_pages.py``).

Pages call the services directly (never the own HTTP API) inside the request's transaction.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from omniretail.identity import service as identity_service
from omniretail.identity.api import set_session_cookies
from omniretail.identity.dependencies import (
    STAFF_COOKIE,
    OptionalStaff,
    check_csrf,
    csrf_token_for,
)
from omniretail.identity.rules import LockoutPolicy
from omniretail.kernel.deps import SessionDep, SettingsDep
from omniretail.kernel.http import client_ip
from omniretail.web.templates import render

router = APIRouter(include_in_schema=False)
CsrfChecked = Depends(check_csrf)


def _form_sign_in(request: Request, session: SessionDep, settings: SettingsDep, *, kind: str, email: str,
                  password: str, template: str, target: str) -> Response:
    policy = LockoutPolicy(settings.login_max_failures, timedelta(minutes=settings.login_lockout_minutes))
    result = identity_service.sign_in(session=session, kind=kind, email=email, password=password,
                                      ip=client_ip(request), policy=policy)
    if result.account is None:
        return render(request, template, {"error": result.error, "email": email},
                      status=result.error.status if result.error else 401)
    raw = identity_service.open_session(session=session, kind=kind, subject_id=result.account.id,
                                        ip=client_ip(request), user_agent=request.headers.get("user-agent"),
                                        lifetime=timedelta(days=settings.session_days))
    response = RedirectResponse(target, status_code=303)
    set_session_cookies(response, kind=kind, raw=raw, csrf=csrf_token_for(request), days=settings.session_days,
                        secure=settings.cookie_secure)
    return response


@router.post("/account/signout", dependencies=[CsrfChecked])
def sign_out(request: Request, session: SessionDep) -> Response:
    for name in ("or_customer", STAFF_COOKIE):
        raw = request.cookies.get(name)
        if raw:
            identity_service.close_session(session=session, raw=raw)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie("or_customer", path="/")
    response.delete_cookie(STAFF_COOKIE, path="/")
    return response


# --- back office and POS ----------------------------------------------------------------------------------

@router.get("/admin/login")
def admin_login_page(request: Request) -> Response:
    return render(request, "backoffice/login.html", {"area": "admin"})


@router.post("/admin/login", dependencies=[CsrfChecked])
def admin_login(request: Request, session: SessionDep, settings: SettingsDep, email: Annotated[str, Form()],
                password: Annotated[str, Form()]) -> Response:
    return _form_sign_in(request, session, settings, kind=identity_service.STAFF, email=email, password=password,
                         template="backoffice/login.html", target="/admin")


@router.get("/admin/staff/{staff_id}")
def admin_staff_detail(staff_id: uuid.UUID, request: Request, session: SessionDep,
                       staff: OptionalStaff) -> Response:
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    person = identity_service.get_staff(session=session, actor=staff, staff_id=staff_id)
    return render(request, "backoffice/staff_detail.html", {"staff": staff, "person": person})


@router.post("/pos/login", dependencies=[CsrfChecked])
def pos_login(request: Request, session: SessionDep, settings: SettingsDep, email: Annotated[str, Form()],
              password: Annotated[str, Form()]) -> Response:
    return _form_sign_in(request, session, settings, kind=identity_service.STAFF, email=email, password=password,
                         template="backoffice/login.html", target="/pos")
