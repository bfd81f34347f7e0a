"""One error model for the whole platform.

A ``DomainError`` carries a stable ``type`` slug (``inventory/insufficient-stock``), a title, an HTTP status
and optional field errors. The API renders it as RFC 9457 problem+json; pages render it as a form error.
Contexts subclass it in their ``exceptions.py`` with names in retail language. Subclasses whose
``anticipated`` is true are expected outcomes that are safe to show a shopper; the others are operational.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from omniretail.kernel.i18n import N_


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field; ``loc`` is the path to it (``["body", "lines", 0, "quantity"]``)."""

    loc: tuple[str | int, ...]
    msg: str
    code: str = "invalid"

    def as_dict(self) -> dict[str, Any]:
        return {"loc": list(self.loc), "msg": self.msg, "type": self.code}


class DomainError(Exception):
    """Base of every error a use case raises on purpose."""

    type: ClassVar[str] = "error"
    title: ClassVar[str] = N_("The request could not be completed")
    status: ClassVar[int] = 400
    anticipated: ClassVar[bool] = True

    def __init__(self, detail: str | None = None, *, errors: list[FieldError] | None = None, **extra: Any):
        self.detail = detail or self.title
        self.errors = list(errors or [])
        self.extra = extra
        super().__init__(self.detail)

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 body."""
        body: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status,
                                "detail": self.detail}
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        for key, value in self.extra.items():
            body.setdefault(key, value if isinstance(value, (str, int, bool, type(None))) else str(value))
        return body


class InvalidInput(DomainError):
    """Input was well-formed but breaks a rule (field errors name what and where)."""

    type = "validation-error"
    title = N_("Some fields are not valid")
    status = 422


class MalformedRequest(DomainError):
    """The body could not be read at all (not JSON, wrong encoding)."""

    type = "malformed-request"
    title = N_("The request body could not be read")
    status = 400


class PayloadTooLarge(DomainError):
    type = "payload-too-large"
    title = N_("The request body is too large")
    status = 413


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it exists."""

    type = "not-found"
    title = N_("Not found")
    status = 404


class Conflict(DomainError):
    type = "conflict"
    title = N_("The request conflicts with the current state")
    status = 409


class NotAuthenticated(DomainError):
    type = "auth/not-authenticated"
    title = N_("Sign-in required")
    status = 401


class PermissionDenied(DomainError):
    """Signed in, but this role or location may not do this."""

    type = "auth/permission-denied"
    title = N_("You may not do this")
    status = 403


class TooManyRequests(DomainError):
    type = "too-many-requests"
    title = N_("Too many attempts; wait and try again")
    status = 429
