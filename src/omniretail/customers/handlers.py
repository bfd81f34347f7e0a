"""Customers: reactions to events, and periodic jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from omniretail.customers import segments, service
from omniretail.identity import service as identity_service
from omniretail.identity.events import CustomerSignedUp
from omniretail.kernel.db import Database
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler, HandlerContext


def open_profile_on_sign_up(ctx: HandlerContext, event: CustomerSignedUp) -> None:
    """A new shopper account gets its profile (same id) with its e-mail, name, language and a loyalty card."""
    contact = identity_service.customer_contact(session=ctx.session, customer_id=event.account_id)
    name = contact[1] if contact is not None else None
    service.profile_for_account(session=ctx.session, account_id=event.account_id, email=event.email,
                                name=name or "", language=event.locale)


def recompute_segments(db: Database, adapters: Any) -> None:
    """Re-evaluate every segment's rule over the whole customer base: the rules are read in a read-only
    transaction (on SQLite it takes no write lock while it reads every customer), the changes written in a
    short one."""
    with db.transaction(read_only=True) as session:
        matched = segments.match(session=session)
    with db.transaction() as session:
        segments.write_members(session=session, matched=matched)


HANDLERS: dict[type[Event], list[Handler]] = {CustomerSignedUp: [open_profile_on_sign_up]}
JOBS: list[Job] = [Job("customers.recompute_segments", timedelta(hours=1), recompute_segments,
                       owns_transactions=True)]
