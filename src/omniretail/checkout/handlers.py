"""Checkout's periodic jobs: repair interrupted placements, and raise abandoned-checkout events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.checkout import placement
from omniretail.checkout import service as checkout_service
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler


def reconcile(session: Session, adapters: Any) -> object:
    return placement.reconcile(session=session)


def abandoned(session: Session, adapters: Any) -> object:
    minutes = checkout_service.policy(session=session).abandoned_after_minutes
    return cart_service.detect_abandoned(session=session, older_than=timedelta(minutes=minutes))


HANDLERS: dict[type[Event], list[Handler]] = {}
JOBS: list[Job] = [Job("checkout.reconcile", timedelta(minutes=1), reconcile),
                   Job("checkout.abandoned", timedelta(minutes=5), abandoned)]
