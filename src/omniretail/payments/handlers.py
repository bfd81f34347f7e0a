"""Payments' reactions: undo tenders of placements that were given up after a crash."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from omniretail.checkout.events import CheckoutFailed
from omniretail.kernel.db import Database
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler, HandlerContext
from omniretail.payments import installments, refunds
from omniretail.payments import service as payments_service
from omniretail.payments.gateways import gateways
from omniretail.payments.rules import Method


def reverse_abandoned_tenders(ctx: HandlerContext, event: CheckoutFailed) -> None:
    """Void card authorizations and give back gift card or credit debits made under the attempt's key."""
    if not event.reverse_tenders:
        return
    for i in range(max(event.tender_count, 1)):
        key = f"{event.idempotency_key}:{i}"
        gateways().for_method(Method.CARD).void(idempotency_key=key)
        payments_service.give_back_to_ledger(session=ctx.session, ref=key)


def repair_refunds(db: Database, adapters: Any) -> object:
    """Settle card refunds a crash or an unreachable gateway left pending (the gateway is called between
    short transactions of the job's own)."""
    return refunds.repair(db=db)


def capture_installments(db: Database, adapters: Any) -> object:
    """Capture the pay-later installments that fell due (the gateway is called between short transactions)."""
    return installments.run(db=db)


HANDLERS: dict[type[Event], list[Handler]] = {CheckoutFailed: [reverse_abandoned_tenders]}
JOBS: list[Job] = [Job("payments.refunds", timedelta(minutes=1), repair_refunds, owns_transactions=True),
                   Job("payments.installments", timedelta(minutes=15), capture_installments, owns_transactions=True)]
