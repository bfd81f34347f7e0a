"""Identity tables. Location ids are references into inventory's locations, checked by services."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class AccountMixin:
    """What staff members and shoppers both have: an e-mail, an argon2 hash, a language, lock-out state."""

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class StaffUser(IdMixin, CreatedMixin, AccountMixin, Base):
    __tablename__ = "identity_staff_user"

    grants: Mapped[list[StaffGrant]] = relationship(back_populates="staff", cascade="all, delete-orphan",
                                                    lazy="selectin", order_by="StaffGrant.role")


class StaffGrant(IdMixin, Base):
    __tablename__ = "identity_staff_grant"
    __table_args__ = (UniqueConstraint("staff_id", "role", "location_id"),)

    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identity_staff_user.id", ondelete="CASCADE"),
                                                index=True)
    role: Mapped[str] = mapped_column(String(32))
    location_id: Mapped[uuid.UUID | None] = mapped_column(index=True)

    staff: Mapped[StaffUser] = relationship(back_populates="grants")


class CustomerAccount(IdMixin, CreatedMixin, AccountMixin, Base):
    __tablename__ = "identity_customer_account"


class ApiToken(IdMixin, CreatedMixin, Base):
    __tablename__ = "identity_api_token"

    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("identity_staff_user.id", ondelete="CASCADE"),
                                                index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[list[Any]]
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class WebSession(CreatedMixin, Base):
    """A signed-in browser: the cookie holds the token, the table only its hash."""

    __tablename__ = "identity_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))


class PasswordReset(IdMixin, CreatedMixin, Base):
    __tablename__ = "identity_password_reset"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("identity_customer_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LoginAttempt(IdMixin, Base):
    """Sign-in attempts by source address, for throttling guessing across many accounts."""

    __tablename__ = "identity_login_attempt"
    __table_args__ = (Index("ix_identity_login_attempt_ip_at", "ip", "at"),)

    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=clock.now)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class AuditEntry(IdMixin, Base):
    """Who did what, to what, when and from where. Append-only."""

    __tablename__ = "identity_audit_entry"

    at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str | None] = mapped_column(String(60))
    target_id: Mapped[str | None] = mapped_column(String(64))
    location_id: Mapped[uuid.UUID | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
