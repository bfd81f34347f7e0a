from __future__ import annotations

import uuid
from datetime import UTC, datetime

from omniretail.identity.rules import (
    Grant,
    LockoutPolicy,
    LoginState,
    Permission,
    Principal,
    Role,
    after_failure,
    is_locked,
    password_problems,
)

RIGA = uuid.UUID(int=1)
WARSAW = uuid.UUID(int=2)


def person(*grants: Grant, scopes: frozenset[Permission] | None = None) -> Principal:
    return Principal(staff_id=uuid.uuid4(), email="x@shop.test", grants=grants, scopes=scopes)


def test_a_franchise_owner_manages_stock_only_in_their_own_store():
    owner = person(Grant(Role.FRANCHISE_OWNER, RIGA))

    assert owner.can(Permission.STOCK_WRITE, RIGA)
    assert not owner.can(Permission.STOCK_WRITE, WARSAW)
    assert owner.locations_for(Permission.STOCK_WRITE) == frozenset({RIGA})


def test_a_cashier_sells_but_cannot_adjust_stock_or_manage_staff():
    cashier = person(Grant(Role.CASHIER, RIGA))

    assert cashier.can(Permission.POS_SELL, RIGA)
    assert not cashier.can(Permission.STOCK_WRITE, RIGA)
    assert not cashier.can(Permission.STAFF_MANAGE)


def test_head_office_roles_apply_everywhere():
    admin = person(Grant(Role.ADMIN))

    assert admin.can(Permission.STOCK_WRITE, WARSAW)
    assert admin.locations_for(Permission.STOCK_WRITE) is None


def test_a_token_narrows_its_owner_and_never_widens():
    token = person(Grant(Role.OWNER), scopes=frozenset({Permission.CATALOG_READ}))

    assert token.can(Permission.CATALOG_READ)
    assert not token.can(Permission.STAFF_MANAGE)
    assert token.permissions() == frozenset({Permission.CATALOG_READ})


def test_a_franchise_owner_may_hire_cashiers_for_their_store_only():
    owner = person(Grant(Role.FRANCHISE_OWNER, RIGA))

    assert owner.can_grant(Grant(Role.CASHIER, RIGA))
    assert not owner.can_grant(Grant(Role.CASHIER, WARSAW))
    assert not owner.can_grant(Grant(Role.ADMIN))
    assert not owner.can_grant(Grant(Role.CASHIER))


def test_an_admin_cannot_create_an_owner():
    assert not person(Grant(Role.ADMIN)).can_grant(Grant(Role.OWNER))


def test_the_fifth_failure_locks_the_account_for_the_lockout_time():
    now = datetime(2026, 11, 23, tzinfo=UTC)
    state = LoginState(0, None)
    policy = LockoutPolicy(max_failures=5)

    for _ in range(4):
        state = after_failure(state, now, policy)
        assert not is_locked(state, now)
    state = after_failure(state, now, policy)

    assert is_locked(state, now)
    assert not is_locked(state, now + policy.lockout)


def test_short_or_obvious_passwords_are_refused_with_reasons():
    assert password_problems("short") == ["use at least 10 characters"]
    assert "do not include your e-mail name" in password_problems("annabella2026!", email="annabella@x.lv")
    assert password_problems("velvet-lipstick-07") == []
