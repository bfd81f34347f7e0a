"""Identity API: sign-in and out, the caller, API tokens, staff and their roles, shopper accounts, audit."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from omniretail.identity import service as identity_service
from omniretail.identity.dependencies import (
    CSRF_COOKIE,
    CUSTOMER_COOKIE,
    STAFF_COOKIE,
    Allowed,
    CurrentCustomer,
    CurrentStaff,
    OptionalCustomer,
    OptionalStaff,
    csrf_token_for,
)
from omniretail.identity.models import CustomerAccount, StaffUser
from omniretail.identity.rules import Grant, LockoutPolicy, Permission, Principal
from omniretail.identity.schemas import (
    AuditPage,
    AuditRead,
    CustomerRead,
    GrantSchema,
    LoginRequest,
    MeRead,
    ResetConfirm,
    ResetRequest,
    SignUpRequest,
    StaffCreate,
    StaffPage,
    StaffRead,
    StaffUpdate,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from omniretail.kernel.deps import SessionDep, SettingsDep
from omniretail.kernel.errors import NotAuthenticated
from omniretail.kernel.http import client_ip, problem_response
from omniretail.kernel.schemas import Limit

router = APIRouter(tags=["identity"])
StaffManager = Annotated[Principal, Depends(Allowed(Permission.STAFF_MANAGE))]
AuditReader = Annotated[Principal, Depends(Allowed(Permission.AUDIT_READ))]


def set_session_cookies(response: Response, *, kind: str, raw: str, csrf: str, days: int, secure: bool) -> None:
    name = STAFF_COOKIE if kind == identity_service.STAFF else CUSTOMER_COOKIE
    response.set_cookie(name, raw, max_age=days * 86400, httponly=True, samesite="lax", secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, csrf, max_age=days * 86400, httponly=False, samesite="lax", secure=secure,
                        path="/")


def _me(account: StaffUser | CustomerAccount, csrf: str | None) -> MeRead:
    if isinstance(account, StaffUser):
        principal = identity_service.principal_for(account)
        return MeRead(kind="staff", id=account.id, email=account.email, name=account.name,
                      grants=[GrantSchema(role=g.role, location_id=g.location_id) for g in principal.grants],
                      permissions=sorted(p.value for p in principal.permissions()), csrf_token=csrf)
    return MeRead(kind="customer", id=account.id, email=account.email, name=account.name, csrf_token=csrf)


@router.post("/auth/login", response_model=MeRead)
def login(body: LoginRequest, request: Request, response: Response, session: SessionDep,
          settings: SettingsDep) -> MeRead | JSONResponse:
    """Sign in as staff or as a shopper; sets the session cookie and returns the CSRF token."""
    policy = LockoutPolicy(settings.login_max_failures, timedelta(minutes=settings.login_lockout_minutes))
    result = identity_service.sign_in(session=session, kind=body.kind, email=body.email, password=body.password,
                                      ip=client_ip(request), policy=policy)
    if result.account is None:
        assert result.error is not None
        return problem_response(result.error, request)
    raw = identity_service.open_session(session=session, kind=body.kind, subject_id=result.account.id,
                                        ip=client_ip(request), user_agent=request.headers.get("user-agent"),
                                        lifetime=timedelta(days=settings.session_days))
    csrf = csrf_token_for(request)
    set_session_cookies(response, kind=body.kind, raw=raw, csrf=csrf, days=settings.session_days,
                        secure=settings.cookie_secure)
    return _me(result.account, csrf)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, session: SessionDep, staff: OptionalStaff,
           customer: OptionalCustomer) -> Response:
    """Sign out of this browser."""
    for name in (STAFF_COOKIE, CUSTOMER_COOKIE):
        raw = request.cookies.get(name)
        if raw:
            identity_service.close_session(session=session, raw=raw)
    out = Response(status_code=204)
    out.delete_cookie(STAFF_COOKIE, path="/")
    out.delete_cookie(CUSTOMER_COOKIE, path="/")
    return out


@router.get("/auth/me")
def me(request: Request, session: SessionDep, staff: OptionalStaff, customer: OptionalCustomer) -> MeRead:
    """Who the caller is, with their roles, permissions and CSRF token."""
    if staff is not None:
        user = session.get(StaffUser, staff.staff_id)
        assert user is not None
        result = _me(user, csrf_token_for(request))
        result.permissions = sorted(p.value for p in staff.permissions())
        return result
    if customer is not None:
        return _me(customer, csrf_token_for(request))
    raise NotAuthenticated()


@router.get("/auth/tokens")
def list_tokens(session: SessionDep, actor: CurrentStaff) -> list[TokenRead]:
    """The caller's API tokens (never their secrets)."""
    return [TokenRead.model_validate(t) for t in identity_service.list_tokens(session=session, actor=actor)]


@router.post("/auth/tokens", status_code=201)
def create_token(body: TokenCreate, session: SessionDep,
                 actor: CurrentStaff) -> TokenCreated:
    """Issue an API token limited to some of the caller's permissions; the secret is shown once."""
    token, raw = identity_service.create_token(session=session, actor=actor, name=body.name, scopes=body.scopes,
                                               expires_in_days=body.expires_in_days)
    return TokenCreated(**TokenRead.model_validate(token).model_dump(), token=raw)


@router.delete("/auth/tokens/{token_id}")
def revoke_token(token_id: uuid.UUID, session: SessionDep,
                 actor: CurrentStaff) -> TokenRead:
    """Revoke an API token at once."""
    return TokenRead.model_validate(identity_service.revoke_token(session=session, actor=actor, token_id=token_id))


@router.post("/auth/signup", status_code=201)
def sign_up(body: SignUpRequest, request: Request, response: Response, session: SessionDep,
            settings: SettingsDep) -> CustomerRead:
    """Open a shopper account and sign in."""
    account = identity_service.sign_up_customer(session=session, email=body.email, password=body.password,
                                                name=body.name, locale=body.locale)
    raw = identity_service.open_session(session=session, kind=identity_service.CUSTOMER, subject_id=account.id,
                                        ip=client_ip(request), user_agent=request.headers.get("user-agent"),
                                        lifetime=timedelta(days=settings.session_days))
    set_session_cookies(response, kind=identity_service.CUSTOMER, raw=raw, csrf=csrf_token_for(request),
                        days=settings.session_days, secure=settings.cookie_secure)
    return CustomerRead.model_validate(account)


@router.post("/auth/password-reset", status_code=202)
def request_reset(body: ResetRequest, session: SessionDep) -> dict[str, str]:
    """E-mail a reset link if an account has this address (the answer is the same either way)."""
    identity_service.request_password_reset(session=session, email=body.email)
    return {"detail": "If an account uses this address, a reset link is on its way."}


@router.post("/auth/password-reset/confirm")
def confirm_reset(body: ResetConfirm, session: SessionDep) -> CustomerRead:
    """Set a new password with the token from the e-mail."""
    return CustomerRead.model_validate(
        identity_service.reset_password(session=session, token=body.token, password=body.password))


@router.get("/me/account")
def my_account(customer: CurrentCustomer) -> CustomerRead:
    """The signed-in shopper's account."""
    return CustomerRead.model_validate(customer)


@router.get("/staff")
def list_staff(session: SessionDep, actor: StaffManager, cursor: str | None = None,
               limit: Limit = 50) -> StaffPage:
    """Staff the caller may manage."""
    page = identity_service.list_staff(session=session, actor=actor, cursor=cursor, limit=limit)
    return StaffPage(items=[StaffRead.model_validate(u) for u in page.items], next_cursor=page.next_cursor)


@router.post("/staff", status_code=201)
def create_staff(body: StaffCreate, session: SessionDep, actor: StaffManager) -> StaffRead:
    """Add a staff member with roles at locations."""
    user = identity_service.create_staff(session=session, actor=actor, email=body.email, name=body.name,
                                         password=body.password, locale=body.locale,
                                         grants=[Grant(g.role, g.location_id) for g in body.grants])
    return StaffRead.model_validate(user)


@router.get("/staff/{staff_id}")
def get_staff(staff_id: uuid.UUID, session: SessionDep, actor: StaffManager) -> StaffRead:
    """One staff member."""
    return StaffRead.model_validate(identity_service.get_staff(session=session, actor=actor, staff_id=staff_id))


@router.patch("/staff/{staff_id}")
def update_staff(staff_id: uuid.UUID, body: StaffUpdate, session: SessionDep,
                 actor: StaffManager) -> StaffRead:
    """Change a staff member's roles and locations, or switch their access off or on."""
    user = identity_service.get_staff(session=session, actor=actor, staff_id=staff_id)
    if body.grants is not None:
        user = identity_service.set_grants(session=session, actor=actor, staff_id=staff_id,
                                           grants=[Grant(g.role, g.location_id) for g in body.grants])
    if body.is_active is not None:
        user = identity_service.set_active(session=session, actor=actor, staff_id=staff_id, active=body.is_active)
    return StaffRead.model_validate(user)


@router.get("/audit")
def list_audit(session: SessionDep, actor: AuditReader, cursor: str | None = None,
               limit: Limit = 50, action: str | None = None) -> AuditPage:
    """The audit log of staff actions: who, what, when, from where."""
    page = identity_service.list_audit(session=session, actor=actor, cursor=cursor, limit=limit, action=action)
    return AuditPage(items=[AuditRead.model_validate(e) for e in page.items], next_cursor=page.next_cursor)
