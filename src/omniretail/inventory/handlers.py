"""Inventory's reactions to events, and its periodic jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from omniretail.inventory import service as inventory_service
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler


def release_expired_holds(session: Session, adapters: Any) -> None:
    """Give the stock of carts whose hold ran out back to every channel."""
    inventory_service.release_expired_holds(session=session)


HANDLERS: dict[type[Event], list[Handler]] = {}
JOBS: list[Job] = [Job("inventory.release_expired_holds", timedelta(seconds=30), release_expired_holds)]
