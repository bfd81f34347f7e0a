"""Support errors. All are anticipated (safe to show) unless their docstring says otherwise."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from omniretail.kernel.i18n import N_


class TicketNotFound(NotFound):
    """No such ticket, or not one the caller may see."""

    type = "support/ticket-not-found"
    title = N_("No such ticket")


class TicketClosed(Conflict):
    """A closed ticket takes no more changes; the customer opens a new one."""

    type = "support/ticket-closed"
    title = N_("This ticket is closed")


class TicketNotAllowed(PermissionDenied):
    type = "support/not-allowed"
    title = N_("You may not handle tickets of this location")


class BadTransition(Conflict):
    type = "support/bad-transition"
    title = N_("The ticket cannot move to this status now")


class InboundRefused(NotAuthenticated):
    """An inbound e-mail call without a valid signature (the mail gateway is misconfigured or forged)."""

    type = "support/inbound-signature"
    title = N_("The inbound e-mail signature is not valid")


class CsatRefused(PermissionDenied):
    type = "support/csat-refused"
    title = N_("This survey link is not valid")


class CsatAlreadyGiven(Conflict):
    type = "support/csat-given"
    title = N_("You have already rated this ticket")


class InvalidCalendar(InvalidInput):
    type = "support/invalid-calendar"
    title = N_("The team calendar is not valid")


class TeamNotFound(NotFound):
    type = "support/team-not-found"
    title = N_("No such team")


class PolicyNotFound(NotFound):
    type = "support/policy-not-found"
    title = N_("No such SLA policy")
