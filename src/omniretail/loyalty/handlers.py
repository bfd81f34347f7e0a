"""Loyalty: reactions to events, and periodic jobs.

``CustomerErased`` needs nothing here: the ledger holds points, order ids and store ids, nothing personal, and it
stays as a financial record.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from omniretail.customers.events import CustomersMerged
from omniretail.kernel.db import Database
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler, HandlerContext
from omniretail.loyalty import rewards
from omniretail.loyalty import service as loyalty_service
from omniretail.ordering.events import OrderPlaced
from omniretail.returns.events import ReturnCompleted


def earn_on_order(ctx: HandlerContext, event: OrderPlaced) -> None:
    """Credit the order's points, pending until the return window closes."""
    loyalty_service.earn_for_order(session=ctx.session, order_id=event.order_id)
    if event.customer_id is not None:
        rewards.reward_referral(session=ctx.session, customer_id=event.customer_id)


def reverse_on_return(ctx: HandlerContext, event: ReturnCompleted) -> None:
    """Take back exactly the returned lines' points."""
    loyalty_service.reverse_return(
        session=ctx.session, return_id=event.return_id, order_id=event.order_id,
        lines=[loyalty_service.ReturnedLine(line.variant_id, line.quantity) for line in event.lines])


def move_on_merge(ctx: HandlerContext, event: CustomersMerged) -> None:
    """Move the merged customer's points to the survivor through ledger entries."""
    loyalty_service.merge(session=ctx.session, survivor_id=event.survivor_id, merged_id=event.merged_id)


SETTLE_BATCH = 25  # members per transaction: the job never holds SQLite's write lock for long


def settle(db: Database, adapters: Any) -> None:
    """Expire points first-in first-out and bring tiers up to date, a few members per short transaction so the
    shop stays responsive while it runs (on SQLite a writer blocks every other writer)."""
    for _ in range(40):
        with db.transaction() as session:
            done = loyalty_service.settle(session=session, batch=SETTLE_BATCH, tiers=False)
        if done.members_expired < SETTLE_BATCH:
            break
    with db.transaction(read_only=True) as session:
        changes = loyalty_service.tier_changes(session=session)
    for start in range(0, len(changes), SETTLE_BATCH):
        with db.transaction() as session:
            loyalty_service.apply_tiers(session=session, changes=changes[start:start + SETTLE_BATCH])


HANDLERS: dict[type[Event], list[Handler]] = {
    OrderPlaced: [earn_on_order],
    ReturnCompleted: [reverse_on_return],
    CustomersMerged: [move_on_merge],
}
JOBS: list[Job] = [Job("loyalty.settle", timedelta(hours=1), settle, owns_transactions=True)]
