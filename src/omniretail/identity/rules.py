"""Who may do what, and where. Pure: no database, no web.

A staff member holds one or more grants: a role, either across every location (``location_id is None``)
or at one location. A permission is allowed at a location when some grant's role carries it and the grant
covers that location. An API token narrows its owner's rights to the token's scopes; it never widens them.
To add a permission, add it to ``Permission`` and to the roles that should carry it in ``ROLE_PERMISSIONS``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    STORE_MANAGER = "store_manager"
    CASHIER = "cashier"
    FULFILLMENT = "fulfillment"
    SUPPORT_AGENT = "support_agent"
    MARKETER = "marketer"
    FRANCHISE_OWNER = "franchise_owner"


class Permission(StrEnum):
    STAFF_MANAGE = "staff.manage"
    AUDIT_READ = "audit.read"
    SETTINGS_MANAGE = "settings.manage"
    CATALOG_READ = "catalog.read"
    CATALOG_WRITE = "catalog.write"
    PRICES_WRITE = "prices.write"
    LOCATIONS_MANAGE = "locations.manage"
    STOCK_READ = "stock.read"
    STOCK_WRITE = "stock.write"
    TRANSFERS_MANAGE = "transfers.manage"
    PURCHASING_MANAGE = "purchasing.manage"
    ORDERS_READ = "orders.read"
    ORDERS_MANAGE = "orders.manage"
    POS_SELL = "pos.sell"
    POS_OVERRIDE_PRICE = "pos.override_price"
    POS_CASH_MANAGE = "pos.cash_manage"
    FULFILLMENT_MANAGE = "fulfillment.manage"
    RETURNS_MANAGE = "returns.manage"
    CUSTOMERS_READ = "customers.read"
    CUSTOMERS_MANAGE = "customers.manage"
    LOYALTY_MANAGE = "loyalty.manage"
    PROMOTIONS_MANAGE = "promotions.manage"
    MARKETING_MANAGE = "marketing.manage"
    SUPPORT_MANAGE = "support.manage"
    REVIEWS_MODERATE = "reviews.moderate"
    ANALYTICS_READ = "analytics.read"
    INTEGRATIONS_MANAGE = "integrations.manage"


P = Permission
_STORE_FLOOR = {P.CATALOG_READ, P.STOCK_READ, P.ORDERS_READ, P.POS_SELL, P.RETURNS_MANAGE, P.CUSTOMERS_READ}
_STORE_LEAD = _STORE_FLOOR | {P.STOCK_WRITE, P.TRANSFERS_MANAGE, P.ORDERS_MANAGE, P.POS_OVERRIDE_PRICE,
                              P.POS_CASH_MANAGE, P.FULFILLMENT_MANAGE, P.CUSTOMERS_MANAGE, P.ANALYTICS_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission),
    Role.STORE_MANAGER: frozenset(_STORE_LEAD),
    Role.CASHIER: frozenset(_STORE_FLOOR),
    Role.FULFILLMENT: frozenset({P.CATALOG_READ, P.STOCK_READ, P.STOCK_WRITE, P.TRANSFERS_MANAGE,
                                 P.ORDERS_READ, P.FULFILLMENT_MANAGE, P.RETURNS_MANAGE}),
    Role.SUPPORT_AGENT: frozenset({P.CATALOG_READ, P.STOCK_READ, P.ORDERS_READ, P.ORDERS_MANAGE,
                                   P.CUSTOMERS_READ, P.CUSTOMERS_MANAGE, P.SUPPORT_MANAGE,
                                   P.RETURNS_MANAGE, P.REVIEWS_MODERATE}),
    Role.MARKETER: frozenset({P.CATALOG_READ, P.CATALOG_WRITE, P.PRICES_WRITE, P.PROMOTIONS_MANAGE,
                              P.MARKETING_MANAGE, P.LOYALTY_MANAGE, P.CUSTOMERS_READ, P.ANALYTICS_READ,
                              P.REVIEWS_MODERATE}),
    Role.FRANCHISE_OWNER: frozenset(_STORE_LEAD | {P.PURCHASING_MANAGE, P.STAFF_MANAGE, P.AUDIT_READ}),
}

# Roles that may hand out other roles: owners and admins anything, a franchise owner only store roles
# at their own locations (checked with ``Principal.can_grant``).
_GRANTABLE_BY: dict[Role, frozenset[Role]] = {
    Role.OWNER: frozenset(Role),
    Role.ADMIN: frozenset(Role) - {Role.OWNER},
    Role.FRANCHISE_OWNER: frozenset({Role.STORE_MANAGER, Role.CASHIER, Role.FULFILLMENT}),
}


@dataclass(frozen=True)
class Grant:
    role: Role
    location_id: uuid.UUID | None = None

    @property
    def everywhere(self) -> bool:
        return self.location_id is None


@dataclass(frozen=True)
class Principal:
    """The signed-in staff member (or their API token) as the rules see it."""

    staff_id: uuid.UUID
    email: str
    grants: tuple[Grant, ...]
    scopes: frozenset[Permission] | None = None
    ip: str | None = None
    via_token: bool = False
    label: str = field(default="")

    def _allows(self, grant: Grant, permission: Permission) -> bool:
        if self.scopes is not None and permission not in self.scopes:
            return False
        return permission in ROLE_PERMISSIONS[grant.role]

    def can(self, permission: Permission, location_id: uuid.UUID | None = None) -> bool:
        """May act with ``permission`` at ``location_id`` (or somewhere, when no location is named)."""
        return any(self._allows(g, permission) and (location_id is None or g.everywhere
                                                    or g.location_id == location_id) for g in self.grants)

    def locations_for(self, permission: Permission) -> frozenset[uuid.UUID] | None:
        """Where ``permission`` applies: ``None`` means every location; an empty set means nowhere."""
        places: set[uuid.UUID] = set()
        for grant in self.grants:
            if not self._allows(grant, permission):
                continue
            if grant.location_id is None:
                return None
            places.add(grant.location_id)
        return frozenset(places)

    def can_grant(self, grant: Grant) -> bool:
        """Whether this person may give ``grant`` to someone (never more than they hold themselves)."""
        for mine in self.grants:
            allowed = _GRANTABLE_BY.get(mine.role, frozenset())
            if grant.role not in allowed:
                continue
            if mine.everywhere or (grant.location_id is not None and grant.location_id == mine.location_id):
                return True
        return False

    def permissions(self) -> frozenset[Permission]:
        granted = frozenset().union(*(ROLE_PERMISSIONS[g.role] for g in self.grants)) if self.grants else frozenset()
        return granted if self.scopes is None else granted & self.scopes


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginState:
    failed_count: int
    locked_until: datetime | None


def is_locked(state: LoginState, now: datetime) -> bool:
    return state.locked_until is not None and state.locked_until > now


def after_failure(state: LoginState, now: datetime, policy: LockoutPolicy) -> LoginState:
    """Count one more failed sign-in; lock the account once the limit is reached."""
    failures = state.failed_count + 1
    if failures >= policy.max_failures:
        return LoginState(failed_count=0, locked_until=now + policy.lockout)
    return LoginState(failed_count=failures, locked_until=state.locked_until)


def password_problems(password: str, *, email: str = "") -> list[str]:
    """Why a new password is refused (empty when it is acceptable)."""
    problems = []
    if len(password) < 10:
        problems.append("use at least 10 characters")
    if len(password) > 256:
        problems.append("use at most 256 characters")
    if email and email.split("@")[0].lower() in password.lower() and len(email.split("@")[0]) >= 4:
        problems.append("do not include your e-mail name")
    if password.lower() in {"password123", "qwertyuiop", "1234567890", "omniretail1"}:
        problems.append("this password is too common")
    return problems
