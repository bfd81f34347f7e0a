"""Who is asking: typed dependencies for staff (token or session cookie) and shoppers, with CSRF.

``Allowed(Permission.X)`` is the one permission check every router uses: it resolves the caller,
refuses with 401 when nobody is signed in and 403 when their roles lack the permission anywhere.
Location checks then happen where the location is known (``actor.can(p, location_id)`` or
``actor.locations_for(p)`` to filter lists).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from omniretail.identity import service as identity_service
from omniretail.identity.exceptions import CsrfFailed
from omniretail.identity.models import CustomerAccount, StaffUser
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import NotAuthenticated, PermissionDenied
from omniretail.kernel.http import client_ip
from omniretail.kernel.security import same

STAFF_COOKIE = "or_staff"
CUSTOMER_COOKIE = "or_customer"
CSRF_COOKIE = "or_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token_for(request: Request) -> str:
    """The CSRF token for this browser: the cookie's value, or a new one the response must set."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    token = getattr(request.state, "new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return str(token)


async def check_csrf(request: Request) -> None:
    """Double-submit check for cookie-authenticated changes: header or form field must equal the cookie."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not cookie or not sent or not same(cookie, sent):
        raise CsrfFailed()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def optional_staff(request: Request, session: SessionDep) -> Principal | None:
    """The staff member behind a bearer token or the staff cookie, if any."""
    raw = _bearer(request)
    if raw is not None:
        principal = identity_service.resolve_token(session=session, raw=raw, ip=client_ip(request))
        if principal is None:
            raise NotAuthenticated("The API token is unknown, expired or revoked")
        return principal
    cookie = request.cookies.get(STAFF_COOKIE)
    if not cookie:
        return None
    user = identity_service.resolve_session(session=session, kind=identity_service.STAFF, raw=cookie)
    if not isinstance(user, StaffUser):
        return None
    await check_csrf(request)
    return identity_service.principal_for(user, ip=client_ip(request))


async def current_staff(principal: Annotated[Principal | None, Depends(optional_staff)]) -> Principal:
    if principal is None:
        raise NotAuthenticated("Sign in or send an API token")
    return principal


def Allowed(permission: Permission) -> Callable[..., object]:
    """A dependency that returns the caller if their roles carry ``permission`` somewhere."""

    async def check(principal: Annotated[Principal, Depends(current_staff)]) -> Principal:
        if not principal.can(permission):
            raise PermissionDenied(f"Your roles do not allow {permission.value}", permission=permission.value)
        return principal

    return check


async def optional_customer(request: Request, session: SessionDep) -> CustomerAccount | None:
    cookie = request.cookies.get(CUSTOMER_COOKIE)
    if not cookie:
        return None
    account = identity_service.resolve_session(session=session, kind=identity_service.CUSTOMER, raw=cookie)
    if not isinstance(account, CustomerAccount):
        return None
    await check_csrf(request)
    return account


async def current_customer(account: Annotated[CustomerAccount | None, Depends(optional_customer)]
                           ) -> CustomerAccount:
    if account is None:
        raise NotAuthenticated("Sign in to your account")
    return account


CurrentStaff = Annotated[Principal, Depends(current_staff)]
OptionalStaff = Annotated[Principal | None, Depends(optional_staff)]
CurrentCustomer = Annotated[CustomerAccount, Depends(current_customer)]
OptionalCustomer = Annotated[CustomerAccount | None, Depends(optional_customer)]


__all__ = ["Allowed", "CurrentCustomer", "CurrentStaff", "OptionalCustomer", "OptionalStaff", "Session",
           "check_csrf", "csrf_token_for"]
