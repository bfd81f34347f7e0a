"""Reviews: reactions to events. A delivered parcel or a collected order brings an NPS survey invitation,
e-mailed in the shopper's language with a signed link."""

from __future__ import annotations

import uuid

from omniretail.fulfillment.events import PickupHandedOver, ShipmentTracked
from omniretail.kernel import i18n
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.mail import OutgoingMail
from omniretail.kernel.outbox import Handler, HandlerContext
from omniretail.reviews import rules
from omniretail.reviews import service as reviews_service


def _invite(ctx: HandlerContext, order_id: uuid.UUID) -> None:
    existing = reviews_service.find_survey(session=ctx.session, kind=rules.SurveyKind.NPS.value, subject_id=order_id)
    if existing is not None:
        return
    survey = reviews_service.invite_nps(session=ctx.session, order_id=order_id)
    if survey is None or not survey.email:
        return
    settings = ctx.adapters.settings
    link = f"{settings.base_url}/survey?token={rules.survey_token(survey.id, settings.effective_secret_key())}"
    token = i18n.current_locale.set(survey.locale)
    try:
        subject = i18n.gettext("How likely are you to recommend us?")
        text = i18n.gettext("Hello,\n\nYour order has arrived. On a scale from 0 to 10, how likely are you to "
                            "recommend us to a friend? It takes one click:\n%(link)s\n\nThank you!") % {
            "link": link}
    finally:
        i18n.current_locale.reset(token)
    ctx.adapters.mailer.send(OutgoingMail(to=survey.email, subject=subject, text=text))


def invite_after_delivery(ctx: HandlerContext, event: ShipmentTracked) -> None:
    """A parcel reached the shopper: ask for their NPS (once per order)."""
    if event.kind == "delivered":
        _invite(ctx, event.order_id)


def invite_after_pickup(ctx: HandlerContext, event: PickupHandedOver) -> None:
    """A click-and-collect order was handed over: ask for their NPS (once per order)."""
    _invite(ctx, event.order_id)


HANDLERS: dict[type[Event], list[Handler]] = {
    ShipmentTracked: [invite_after_delivery],
    PickupHandedOver: [invite_after_pickup],
}
JOBS: list[Job] = []
