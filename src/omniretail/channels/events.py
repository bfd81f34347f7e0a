"""Channels events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class ChannelChanged(Event):
    channel_id: uuid.UUID
    code: str
