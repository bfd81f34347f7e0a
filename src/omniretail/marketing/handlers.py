"""Marketing: reactions to events, and periodic jobs."""

from __future__ import annotations

from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler

HANDLERS: dict[type[Event], list[Handler]] = {}
JOBS: list[Job] = []
