"""Analytics: reactions to events."""

from __future__ import annotations

from omniretail.analytics import journey
from omniretail.customers.events import CustomerErased
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler, HandlerContext


def forget_erased(ctx: HandlerContext, event: CustomerErased) -> None:
    """An erased customer's journey goes too (the anonymous steps of the browsers they signed in on included)."""
    journey.forget(session=ctx.session, customer_id=event.customer_id)


HANDLERS: dict[type[Event], list[Handler]] = {CustomerErased: [forget_erased]}
JOBS: list[Job] = []
