"""Cart's reactions to events: merged and erased customers."""

from __future__ import annotations

from omniretail.cart import service as cart_service
from omniretail.customers.events import CustomerErased, CustomersMerged
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler, HandlerContext


def customers_merged(ctx: HandlerContext, event: CustomersMerged) -> None:
    """The merged customer's carts now belong to the survivor."""
    cart_service.reassign_customer(session=ctx.session, from_customer_id=event.merged_id,
                                   to_customer_id=event.survivor_id)


def customer_erased(ctx: HandlerContext, event: CustomerErased) -> None:
    """Blank the forgotten customer's contact details and addresses on their carts."""
    cart_service.erase_customer(session=ctx.session, customer_id=event.customer_id)


HANDLERS: dict[type[Event], list[Handler]] = {CustomersMerged: [customers_merged], CustomerErased: [customer_erased]}
JOBS: list[Job] = []
