"""Identity errors. All are anticipated and safe to show, and none says whether an account exists."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, DomainError, NotAuthenticated, TooManyRequests
from omniretail.kernel.i18n import N_


class InvalidCredentials(NotAuthenticated):
    """Wrong e-mail or password (deliberately the same message for both)."""

    type = "auth/invalid-credentials"
    title = N_("The e-mail or password is not right")


class AccountLocked(TooManyRequests):
    """Too many failed sign-ins on this account; it unlocks by itself after the lockout time."""

    type = "auth/account-locked"
    title = N_("Too many failed sign-ins; try again later")


class SignInThrottled(TooManyRequests):
    """Too many failed sign-ins from this address across accounts."""

    type = "auth/throttled"
    title = N_("Too many sign-in attempts from this address; try again later")


class EmailTaken(Conflict):
    type = "identity/email-taken"
    title = N_("An account with this e-mail already exists")


class WeakPassword(DomainError):
    type = "identity/weak-password"
    title = N_("Choose a stronger password")
    status = 422


class ResetTokenInvalid(DomainError):
    """The reset link is unknown, used or expired."""

    type = "identity/reset-token-invalid"
    title = N_("This reset link is no longer valid; ask for a new one")
    status = 400


class CsrfFailed(DomainError):
    """A cookie-authenticated change arrived without the matching CSRF token."""

    type = "auth/csrf-failed"
    title = N_("The form expired; reload the page and try again")
    status = 403
