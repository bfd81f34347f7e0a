"""Identity API shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from omniretail.identity.rules import Permission, Role
from omniretail.kernel.schemas import Email, Locale, Name, Password, Schema


class LoginRequest(Schema):
    email: Email
    password: Password
    kind: Literal["staff", "customer"] = "staff"


class GrantSchema(Schema):
    role: Role
    location_id: uuid.UUID | None = Field(default=None, description="None: every location")


class StaffRead(Schema):
    id: uuid.UUID
    email: str
    name: str
    locale: str
    is_active: bool
    grants: list[GrantSchema]
    created_at: datetime
    last_login_at: datetime | None


class StaffCreate(Schema):
    email: Email
    name: Name
    password: Password
    locale: Locale = "en"
    grants: list[GrantSchema] = Field(min_length=1, max_length=100)


class StaffUpdate(Schema):
    is_active: bool | None = None
    grants: list[GrantSchema] | None = Field(default=None, min_length=1, max_length=100)


class StaffPage(Schema):
    items: list[StaffRead]
    next_cursor: str | None


class MeRead(Schema):
    kind: Literal["staff", "customer"]
    id: uuid.UUID
    email: str
    name: str | None = None
    grants: list[GrantSchema] = []
    permissions: list[str] = []
    csrf_token: str | None = None


class TokenCreate(Schema):
    name: Name
    scopes: list[Permission] = Field(min_length=1)
    expires_in_days: int | None = Field(default=90, ge=1, le=3650)


class TokenRead(Schema):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="The secret; shown once, store it now")


class SignUpRequest(Schema):
    email: Email
    password: Password
    name: Name
    locale: Locale = "en"


class CustomerRead(Schema):
    id: uuid.UUID
    email: str
    name: str
    locale: str
    created_at: datetime


class ResetRequest(Schema):
    email: Email


class ResetConfirm(Schema):
    token: str = Field(min_length=10, max_length=200)
    password: Password


class AuditRead(Schema):
    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None
    actor_label: str
    action: str
    target_type: str | None
    target_id: str | None
    location_id: uuid.UUID | None
    ip: str | None
    details: dict[str, Any]


class AuditPage(Schema):
    items: list[AuditRead]
    next_cursor: str | None
