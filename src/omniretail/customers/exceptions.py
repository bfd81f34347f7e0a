"""Customers errors. ``CustomerNotFound`` and the input errors are anticipated (safe to show a shopper); merge
conflicts are for staff."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound
from omniretail.kernel.i18n import N_


class CustomerNotFound(NotFound):
    """No such customer, or the caller may not know that it exists."""

    type = "customers/not-found"
    title = N_("No such customer")


class SegmentNotFound(NotFound):
    type = "customers/segment-not-found"
    title = N_("No such segment")


class DuplicateSegmentCode(Conflict):
    type = "customers/duplicate-segment-code"
    title = N_("A segment with this code already exists")


class MergeNotAllowed(Conflict):
    """The two profiles cannot be merged (the same profile, already merged, or erased)."""

    type = "customers/merge-not-allowed"
    title = N_("These customers cannot be merged")


class CustomerErasedError(Conflict):
    """The profile was erased on the customer's request; it can no longer change."""

    type = "customers/erased"
    title = N_("This customer's data was erased")


class InvalidCustomerData(InvalidInput):
    """A phone number, e-mail, rule or other field is not valid; field errors say which."""

    type = "customers/invalid"
    title = N_("Some customer details are not valid")
