"""Returns: periodic jobs (returns whose card refund settled late are completed)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler
from omniretail.returns import service as returns_service


def complete_settled(session: Session, adapters: Any) -> None:
    returns_service.complete_settled(session=session)


HANDLERS: dict[type[Event], list[Handler]] = {}
JOBS: list[Job] = [Job("returns.complete_settled", timedelta(minutes=2), complete_settled)]
