"""Channels errors."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, NotFound


class ChannelNotFound(NotFound):
    """No channel has this id or code (anticipated: safe to show)."""

    type = "channels/not-found"
    title = "Channel not found"


class ChannelCodeTaken(Conflict):
    """Another channel already uses this code (anticipated)."""

    type = "channels/code-taken"
    title = "A channel with this code exists"
