from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from omniretail.identity import service as identity_service
from omniretail.identity.exceptions import AccountLocked, EmailTaken, InvalidCredentials, WeakPassword
from omniretail.identity.models import ApiToken, StaffUser, WebSession
from omniretail.identity.rules import Grant, Permission, Role
from omniretail.kernel.errors import PermissionDenied

PASSWORD = "velvet-lipstick-07"
RIGA = uuid.UUID(int=11)
WARSAW = uuid.UUID(int=12)


def make_staff(db, email="marta@shop.example.com", grants=(Grant(Role.OWNER),)):
    with db.transaction() as session:
        user = identity_service.create_staff(session=session, actor=None, email=email, name="Marta",
                                             password=PASSWORD, grants=list(grants))
        return identity_service.principal_for(user)


def test_staff_passwords_are_stored_as_argon2_hashes(db):
    make_staff(db)

    with db.transaction() as session:
        stored = session.scalar(select(StaffUser.password_hash))

    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_the_same_email_cannot_be_used_twice(db):
    make_staff(db)

    with pytest.raises(EmailTaken):
        make_staff(db, email="MARTA@shop.example.com")


def test_weak_passwords_are_refused_with_the_reason(db):
    with db.transaction() as session, pytest.raises(WeakPassword) as caught:
        identity_service.create_staff(session=session, actor=None, email="k@shop.example.com", name="K",
                                      password="short", grants=[Grant(Role.CASHIER)])

    assert caught.value.errors[0].loc == ("body", "password")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(db):
    make_staff(db)
    outcomes = []
    for _ in range(5):
        with db.transaction() as session:
            outcomes.append(identity_service.sign_in(session=session, kind="staff", email="marta@shop.example.com",
                                                     password="wrong-password-x", ip="10.0.0.1").error)

    with db.transaction() as session:
        last = identity_service.sign_in(session=session, kind="staff", email="marta@shop.example.com",
                                        password=PASSWORD, ip="10.0.0.1")

    assert all(isinstance(e, InvalidCredentials) for e in outcomes[:4])
    assert isinstance(outcomes[4], AccountLocked)
    assert last.account is None and isinstance(last.error, AccountLocked)


def test_api_tokens_are_stored_hashed_and_resolve_to_their_scopes(db):
    owner = make_staff(db)
    with db.transaction() as session:
        _, raw = identity_service.create_token(session=session, actor=owner, name="ERP",
                                                   scopes=[Permission.CATALOG_READ], expires_in_days=30)

    with db.transaction() as session:
        stored = session.scalar(select(ApiToken.token_hash))
        principal = identity_service.resolve_token(session=session, raw=raw, ip=None)

    assert raw not in stored and len(stored) == 64
    assert principal is not None and principal.permissions() == frozenset({Permission.CATALOG_READ})


def test_a_franchise_owner_cannot_hire_staff_for_another_owners_store(db):
    owner = make_staff(db, email="filip@franchise.example.com", grants=(Grant(Role.FRANCHISE_OWNER, RIGA),))

    with db.transaction() as session, pytest.raises(PermissionDenied):
        identity_service.create_staff(session=session, actor=owner, email="c@shop.example.com", name="C",
                                      password=PASSWORD, grants=[Grant(Role.CASHIER, WARSAW)])


def test_a_franchise_owner_lists_only_their_own_stores_staff(db):
    head = make_staff(db, email="owner@shop.example.com")
    franchise = make_staff(db, email="filip@franchise.example.com", grants=(Grant(Role.FRANCHISE_OWNER, RIGA),))
    with db.transaction() as session:
        identity_service.create_staff(session=session, actor=head, email="riga@shop.example.com", name="R",
                                      password=PASSWORD, grants=[Grant(Role.CASHIER, RIGA)])
        identity_service.create_staff(session=session, actor=head, email="warsaw@shop.example.com", name="W",
                                      password=PASSWORD, grants=[Grant(Role.CASHIER, WARSAW)])

    with db.transaction() as session:
        page = identity_service.list_staff(session=session, actor=franchise, cursor=None, limit=50)

    assert sorted(u.email for u in page.items) == ["filip@franchise.example.com", "riga@shop.example.com"]


def test_deactivating_staff_ends_their_sessions_and_tokens(db):
    head = make_staff(db, email="owner@shop.example.com")
    cashier = make_staff(db, email="kaspars@shop.example.com", grants=(Grant(Role.CASHIER, RIGA),))
    with db.transaction() as session:
        raw_session = identity_service.open_session(session=session, kind="staff", subject_id=cashier.staff_id,
                                                    ip=None, user_agent=None,
                                                    lifetime=timedelta(days=1))
        _, raw_token = identity_service.create_token(session=session, actor=cashier, name="till",
                                                     scopes=[Permission.POS_SELL], expires_in_days=1)

    with db.transaction() as session:
        identity_service.set_active(session=session, actor=head, staff_id=cashier.staff_id, active=False)

    with db.transaction() as session:
        assert session.scalar(select(WebSession)) is None
        assert identity_service.resolve_session(session=session, kind="staff", raw=raw_session) is None
        assert identity_service.resolve_token(session=session, raw=raw_token, ip=None) is None
