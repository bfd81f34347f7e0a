"""Identity use cases. Keyword-only, flush at most; the entry point owns the transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from omniretail.identity import rules
from omniretail.identity.events import CustomerSignedUp, PasswordResetRequested, StaffCreated
from omniretail.identity.exceptions import (
    AccountLocked,
    EmailTaken,
    InvalidCredentials,
    ResetTokenInvalid,
    SignInThrottled,
    WeakPassword,
)
from omniretail.identity.models import (
    ApiToken,
    AuditEntry,
    CustomerAccount,
    LoginAttempt,
    PasswordReset,
    StaffGrant,
    StaffUser,
    WebSession,
)
from omniretail.identity.rules import Grant, LockoutPolicy, LoginState, Permission, Principal, Role
from omniretail.kernel import clock, outbox
from omniretail.kernel.errors import DomainError, FieldError, InvalidInput, NotFound, PermissionDenied
from omniretail.kernel.paging import Page, paginate
from omniretail.kernel.security import (
    burn_password_check,
    hash_password,
    new_token,
    token_hash,
    verify_password,
)

STAFF, CUSTOMER = "staff", "customer"
IP_FAILURE_LIMIT = 30
IP_WINDOW = timedelta(minutes=15)
RESET_VALID_FOR = timedelta(hours=2)


def require(actor: Principal, permission: Permission, location_id: uuid.UUID | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` holds ``permission`` at ``location_id``."""
    if not actor.can(permission, location_id):
        where = f" at location {location_id}" if location_id else ""
        raise PermissionDenied(f"Your roles do not allow {permission.value}{where}",
                               permission=permission.value)


def _normalize_email(email: str) -> str:
    return email.strip().lower()


def _check_password(password: str, email: str) -> None:
    problems = rules.password_problems(password, email=email)
    if problems:
        raise WeakPassword("; ".join(problems), errors=[FieldError(("body", "password"), p) for p in problems])


def principal_for(user: StaffUser, *, ip: str | None = None, scopes: frozenset[Permission] | None = None,
                  via_token: bool = False) -> Principal:
    grants = tuple(Grant(Role(g.role), g.location_id) for g in user.grants)
    return Principal(staff_id=user.id, email=user.email, grants=grants, scopes=scopes, ip=ip,
                     via_token=via_token, label=user.email)


# --- staff -------------------------------------------------------------------------------------------

def create_staff(*, session: Session, actor: Principal | None, email: str, name: str, password: str,
                 grants: list[Grant], locale: str = "en") -> StaffUser:
    """Create a staff member with roles at locations; ``actor`` None means the operator's CLI."""
    email = _normalize_email(email)
    if actor is not None:
        require(actor, Permission.STAFF_MANAGE)
        for grant in grants:
            if not actor.can_grant(grant):
                raise PermissionDenied(f"You may not grant {grant.role.value} there")
    if not grants:
        raise InvalidInput("Give the staff member at least one role",
                           errors=[FieldError(("body", "grants"), "at least one role is required")])
    _check_password(password, email)
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)):
        raise EmailTaken(errors=[FieldError(("body", "email"), "already in use")])
    user = StaffUser(email=email, name=name, password_hash=hash_password(password), locale=locale)
    user.grants = [StaffGrant(role=g.role.value, location_id=g.location_id) for g in grants]
    session.add(user)
    session.flush()
    outbox.record(session, StaffCreated(staff_id=user.id, email=email))
    audit(session=session, actor=actor, action="staff.created", target_type="staff", target_id=str(user.id),
          details={"email": email, "grants": [[g.role.value, str(g.location_id or "*")] for g in grants]})
    return user


def _visible_staff(actor: Principal, user: StaffUser) -> bool:
    places = actor.locations_for(Permission.STAFF_MANAGE)
    if places is None:
        return True
    return bool(user.grants) and all(g.location_id in places for g in user.grants)


def get_staff(*, session: Session, actor: Principal, staff_id: uuid.UUID) -> StaffUser:
    """One staff member, if ``actor`` may manage them."""
    require(actor, Permission.STAFF_MANAGE)
    user = session.get(StaffUser, staff_id)
    if user is None or not _visible_staff(actor, user):
        raise NotFound("No such staff member")
    return user


def list_staff(*, session: Session, actor: Principal, cursor: str | None, limit: int) -> Page[StaffUser]:
    """Staff the actor may manage: everyone for head office, their stores' people for a franchise owner."""
    require(actor, Permission.STAFF_MANAGE)
    stmt = select(StaffUser)
    places = actor.locations_for(Permission.STAFF_MANAGE)
    if places is not None:
        outside = select(StaffGrant.staff_id).where(
            (StaffGrant.location_id.is_(None)) | (StaffGrant.location_id.not_in(places)))
        stmt = stmt.where(StaffUser.id.not_in(outside))
    return paginate(session, stmt, StaffUser.id, cursor=cursor, limit=limit)


def set_grants(*, session: Session, actor: Principal, staff_id: uuid.UUID, grants: list[Grant]) -> StaffUser:
    """Replace a staff member's roles and locations."""
    user = get_staff(session=session, actor=actor, staff_id=staff_id)
    old = [Grant(Role(g.role), g.location_id) for g in user.grants]
    for grant in set(old) ^ set(grants):
        if not actor.can_grant(grant):
            raise PermissionDenied(f"You may not change {grant.role.value} there")
    if user.id == actor.staff_id:
        raise PermissionDenied("You may not change your own roles")
    user.grants = [StaffGrant(role=g.role.value, location_id=g.location_id) for g in grants]
    session.flush()
    audit(session=session, actor=actor, action="staff.grants_changed", target_type="staff",
          target_id=str(user.id), details={"grants": [[g.role.value, str(g.location_id or "*")] for g in grants]})
    return user


def set_active(*, session: Session, actor: Principal, staff_id: uuid.UUID, active: bool) -> StaffUser:
    """Switch a staff member's access on or off; switching off ends their sessions and tokens."""
    user = get_staff(session=session, actor=actor, staff_id=staff_id)
    user.is_active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.kind == STAFF, WebSession.subject_id == user.id))
        for token in session.scalars(select(ApiToken).where(ApiToken.staff_id == user.id,
                                                            ApiToken.revoked_at.is_(None))):
            token.revoked_at = clock.now()
    audit(session=session, actor=actor, action="staff.activated" if active else "staff.deactivated",
          target_type="staff", target_id=str(user.id))
    return user


def set_staff_password(*, session: Session, email: str, password: str) -> StaffUser:
    """Set a staff member's password (operator CLI); ends their sessions."""
    user = session.scalar(select(StaffUser).where(StaffUser.email == _normalize_email(email)))
    if user is None:
        raise NotFound(f"No staff member with e-mail {email}")
    _check_password(password, user.email)
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    session.execute(delete(WebSession).where(WebSession.kind == STAFF, WebSession.subject_id == user.id))
    audit(session=session, actor=None, action="staff.password_set", target_type="staff", target_id=str(user.id))
    return user


# --- signing in ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account, or the error to show. Failures are written, not raised,
    so the failure counters commit with the response."""

    account: StaffUser | CustomerAccount | None
    error: DomainError | None = None


def _ip_throttled(session: Session, ip: str) -> bool:
    since = clock.now() - IP_WINDOW
    failures = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.ip == ip, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)))
    return (failures or 0) >= IP_FAILURE_LIMIT


def _account_by_email(session: Session, kind: str, email: str) -> StaffUser | CustomerAccount | None:
    if kind == STAFF:
        return session.scalar(select(StaffUser).where(StaffUser.email == _normalize_email(email)))
    return session.scalar(select(CustomerAccount).where(CustomerAccount.email == _normalize_email(email)))


def sign_in(*, session: Session, kind: str, email: str, password: str, ip: str,
            policy: LockoutPolicy = LockoutPolicy()) -> SignIn:
    """Check e-mail and password with per-account lockout and per-address throttling."""
    if _ip_throttled(session, ip):
        return SignIn(None, SignInThrottled())
    account = _account_by_email(session, kind, email)
    now = clock.now()
    if account is None or not account.is_active:
        burn_password_check(password)
        session.add(LoginAttempt(ip=ip, succeeded=False))
        return SignIn(None, InvalidCredentials())
    state = LoginState(account.failed_logins, account.locked_until)
    if rules.is_locked(state, now):
        session.add(LoginAttempt(ip=ip, succeeded=False))
        return SignIn(None, AccountLocked())
    if not verify_password(account.password_hash, password):
        state = rules.after_failure(state, now, policy)
        account.failed_logins, account.locked_until = state.failed_count, state.locked_until
        session.add(LoginAttempt(ip=ip, succeeded=False))
        if kind == STAFF and isinstance(account, StaffUser):
            audit(session=session, actor=None, action="staff.sign_in_failed", target_type="staff",
                  target_id=str(account.id), ip=ip)
        return SignIn(None, AccountLocked() if rules.is_locked(state, now) else InvalidCredentials())
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
    session.add(LoginAttempt(ip=ip, succeeded=True))
    if isinstance(account, StaffUser):
        audit(session=session, actor=principal_for(account, ip=ip), action="staff.signed_in",
              target_type="staff", target_id=str(account.id))
    return SignIn(account)


def open_session(*, session: Session, kind: str, subject_id: uuid.UUID, ip: str | None,
                 user_agent: str | None, lifetime: timedelta) -> str:
    """Start a browser session; returns the raw token for the cookie (only its hash is stored)."""
    raw = new_token("ors" if kind == STAFF else "orc")
    session.add(WebSession(token_hash=token_hash(raw), kind=kind, subject_id=subject_id,
                           expires_at=clock.now() + lifetime, ip=ip, user_agent=(user_agent or "")[:255]))
    return raw


def resolve_session(*, session: Session, kind: str, raw: str) -> StaffUser | CustomerAccount | None:
    """The active account behind a session cookie, or None."""
    row = session.get(WebSession, token_hash(raw))
    if row is None or row.kind != kind or row.expires_at <= clock.now():
        return None
    account: StaffUser | CustomerAccount | None = (
        session.get(StaffUser, row.subject_id) if kind == STAFF else session.get(CustomerAccount, row.subject_id))
    return account if account is not None and account.is_active else None


def staff_for_session(*, session: Session, raw: str, ip: str | None) -> Principal | None:
    """The staff member behind a staff session cookie, as a principal; None when it is not valid."""
    user = resolve_session(session=session, kind=STAFF, raw=raw)
    return principal_for(user, ip=ip) if isinstance(user, StaffUser) else None


def customer_for_session(*, session: Session, raw: str) -> CustomerAccount | None:
    """The shopper behind a customer session cookie; None when it is not valid."""
    account = resolve_session(session=session, kind=CUSTOMER, raw=raw)
    return account if isinstance(account, CustomerAccount) else None


def close_session(*, session: Session, raw: str) -> None:
    """Sign out: forget the session."""
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(raw)))


# --- API tokens ------------------------------------------------------------------------------------------

def create_token(*, session: Session, actor: Principal, name: str, scopes: list[Permission],
                 expires_in_days: int | None) -> tuple[ApiToken, str]:
    """Issue an API token for the actor, limited to ``scopes``; the secret is shown once."""
    missing = set(scopes) - actor.permissions()
    if missing:
        raise PermissionDenied("A token cannot carry rights you do not have",
                               errors=[FieldError(("body", "scopes"), f"not yours: {', '.join(sorted(missing))}")])
    raw = new_token("ort")
    expires = clock.now() + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(staff_id=actor.staff_id, name=name, token_hash=token_hash(raw), prefix=raw[:8],
                     scopes=sorted(s.value for s in scopes), expires_at=expires)
    session.add(token)
    session.flush()
    audit(session=session, actor=actor, action="token.created", target_type="api_token",
          target_id=str(token.id), details={"name": name, "scopes": token.scopes})
    return token, raw


def resolve_token(*, session: Session, raw: str, ip: str | None) -> Principal | None:
    """The principal behind a bearer token, narrowed to its scopes; None when unknown, expired or revoked."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(raw)))
    now = clock.now()
    if token is None or token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
        return None
    user = session.get(StaffUser, token.staff_id)
    if user is None or not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
    scopes = frozenset(Permission(s) for s in token.scopes if s in Permission.__members__.values())
    return principal_for(user, ip=ip, scopes=scopes, via_token=True)


def list_tokens(*, session: Session, actor: Principal) -> list[ApiToken]:
    """The actor's own tokens, newest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.staff_id == actor.staff_id)
                                .order_by(ApiToken.id.desc())))


def revoke_token(*, session: Session, actor: Principal, token_id: uuid.UUID) -> ApiToken:
    """Revoke one of the actor's tokens (staff managers may revoke anyone's they manage)."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("No such token")
    if token.staff_id != actor.staff_id:
        get_staff(session=session, actor=actor, staff_id=token.staff_id)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        audit(session=session, actor=actor, action="token.revoked", target_type="api_token",
              target_id=str(token.id))
    return token


# --- customers -----------------------------------------------------------------------------------------

def sign_up_customer(*, session: Session, email: str, password: str, name: str, locale: str) -> CustomerAccount:
    """Open a shopper account."""
    email = _normalize_email(email)
    _check_password(password, email)
    if session.scalar(select(CustomerAccount.id).where(CustomerAccount.email == email)):
        raise EmailTaken(errors=[FieldError(("body", "email"), "already in use")])
    account = CustomerAccount(email=email, name=name, password_hash=hash_password(password), locale=locale)
    session.add(account)
    session.flush()
    outbox.record(session, CustomerSignedUp(account_id=account.id, email=email, locale=locale))
    return account


def request_password_reset(*, session: Session, email: str) -> None:
    """Start a reset if the account exists; say nothing either way (no account enumeration)."""
    account = session.scalar(select(CustomerAccount).where(CustomerAccount.email == _normalize_email(email)))
    if account is None or not account.is_active:
        return
    reset = PasswordReset(account_id=account.id, expires_at=clock.now() + RESET_VALID_FOR)
    session.add(reset)
    session.flush()
    outbox.record(session, PasswordResetRequested(reset_id=reset.id, account_id=account.id))


def issue_reset_token(*, session: Session, reset_id: uuid.UUID) -> tuple[CustomerAccount, str] | None:
    """Mint the secret for a pending reset (called by the e-mail handler); None if it lapsed."""
    reset = session.get(PasswordReset, reset_id)
    if reset is None or reset.used_at is not None or reset.expires_at <= clock.now():
        return None
    account = session.get(CustomerAccount, reset.account_id)
    if account is None:
        return None
    raw = new_token("orr")
    reset.token_hash = token_hash(raw)
    return account, raw


def reset_password(*, session: Session, token: str, password: str) -> CustomerAccount:
    """Set a new password with a reset token; the token works once and ends every session."""
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= clock.now():
        raise ResetTokenInvalid()
    account = session.get(CustomerAccount, reset.account_id)
    if account is None:
        raise ResetTokenInvalid()
    _check_password(password, account.email)
    account.password_hash = hash_password(password)
    account.failed_logins, account.locked_until = 0, None
    reset.used_at = clock.now()
    session.execute(delete(WebSession).where(WebSession.kind == CUSTOMER, WebSession.subject_id == account.id))
    return account


# --- audit ---------------------------------------------------------------------------------------------

def audit(*, session: Session, actor: Principal | None, action: str, target_type: str | None = None,
          target_id: str | None = None, location_id: uuid.UUID | None = None, ip: str | None = None,
          details: dict[str, Any] | None = None) -> None:
    """Append one line to the audit log (every context calls this for staff actions)."""
    session.add(AuditEntry(at=clock.now(), actor_id=actor.staff_id if actor else None,
                           actor_label=actor.label if actor else "system", action=action,
                           target_type=target_type, target_id=target_id, location_id=location_id,
                           ip=ip or (actor.ip if actor else None), details=details or {}))


def list_audit(*, session: Session, actor: Principal, cursor: str | None, limit: int,
               action: str | None = None) -> Page[AuditEntry]:
    """The audit log, newest last, limited to the actor's locations when they are scoped."""
    require(actor, Permission.AUDIT_READ)
    stmt = select(AuditEntry)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    places = actor.locations_for(Permission.AUDIT_READ)
    if places is not None:
        stmt = stmt.where(AuditEntry.location_id.in_(places))
    return paginate(session, stmt, AuditEntry.id, cursor=cursor, limit=limit)


def customer_contact(*, session: Session, customer_id: uuid.UUID) -> tuple[str, str, str] | None:
    """A shopper's e-mail, name and language, for messages other contexts send (appended by fulfilment)."""
    account = session.get(CustomerAccount, customer_id)
    return (account.email, account.name, account.locale) if account is not None else None


# --- appended by customers (demo shopper's profile, linking accounts) -----------------------------------------

def customer_account_id(*, session: Session, email: str) -> uuid.UUID | None:
    """The id of the shopper account with this e-mail, if there is one."""
    return session.scalar(select(CustomerAccount.id).where(CustomerAccount.email == _normalize_email(email)))


# --- appended by the storefront (the shopper's language in their account) -------------------------------------

def set_customer_locale(*, session: Session, customer_id: uuid.UUID, locale: str) -> CustomerAccount:
    """Keep the language the shopper chose for pages, e-mails and receipts."""
    account = session.get(CustomerAccount, customer_id)
    if account is None:
        raise NotFound("No such shopper account")
    if locale not in ("en", "ru", "pl", "lv", "zh"):
        raise InvalidInput(errors=[FieldError(("body", "locale"), "one of en, ru, pl, lv, zh")])
    account.locale = locale
    session.flush()
    return account
