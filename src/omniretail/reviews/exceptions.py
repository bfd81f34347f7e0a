"""Reviews errors. All are anticipated outcomes, safe to show a shopper."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound
from omniretail.kernel.i18n import N_


class ReviewNotFound(NotFound):
    type = "reviews/review-not-found"
    title = N_("No such review")


class ReviewAlreadyWritten(Conflict):
    """A shopper reviews a product once; they may not add a second review of it."""

    type = "reviews/already-reviewed"
    title = N_("You have already reviewed this product")


class InvalidPhoto(InvalidInput):
    """An uploaded review photo is not a JPEG, PNG or WebP picture we can read, or is too large."""

    type = "reviews/invalid-photo"
    title = N_("The photo could not be used")


class SurveyNotFound(NotFound):
    """The survey link is forged, mistyped or for a survey that no longer exists."""

    type = "reviews/survey-not-found"
    title = N_("No such survey")


class SurveyClosed(Conflict):
    """The survey was already answered or its invitation expired."""

    type = "reviews/survey-closed"
    title = N_("This survey is closed")
