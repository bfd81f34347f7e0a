"""Marketing errors. All are anticipated (safe to show the caller) unless the docstring says otherwise."""

from __future__ import annotations

from omniretail.kernel.errors import DomainError
from omniretail.kernel.i18n import N_


class InvalidNotification(DomainError):
    """A notification asked for an unknown template, channel or purpose, or its context lacks what the
    template needs (field errors say which)."""

    type = "marketing/invalid-notification"
    title = N_("The notification cannot be sent as asked")
    status = 422


class NotificationNotFound(DomainError):
    type = "marketing/notification-not-found"
    title = N_("No such notification")
    status = 404


class WebhookRejected(DomainError):
    """A provider's delivery report whose signature does not match (or no secret is configured)."""

    type = "marketing/webhook-rejected"
    title = N_("The delivery report's signature is not valid")
    status = 401
