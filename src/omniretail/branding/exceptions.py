"""Brand errors. All are anticipated (safe to show the person editing the brand)."""

from __future__ import annotations

from omniretail.kernel.errors import InvalidInput
from omniretail.kernel.i18n import N_


class InvalidBrand(InvalidInput):
    """A colour, font or name that cannot be used (field errors say which and why)."""

    type = "branding/invalid-brand"
    title = N_("These brand settings cannot be used")


class InvalidLogo(InvalidInput):
    """The uploaded file is not a picture we can use as a logo (format, size or damaged)."""

    type = "branding/invalid-logo"
    title = N_("This file cannot be used as a logo")
