"""Chat errors. ``ChatClosed`` and ``ProductCardUnavailable`` are anticipated and safe to show a shopper or an
advisor; ``ChatNotFound`` is also what a visitor with a wrong token sees (we never say the chat exists)."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound
from omniretail.kernel.i18n import N_


class ChatNotFound(NotFound):
    type = "chat/not-found"
    title = N_("No such chat")


class ChatClosed(Conflict):
    """The chat has ended: nobody can write into it any more."""

    type = "chat/closed"
    title = N_("This chat has ended")


class ChatTaken(Conflict):
    """Another advisor is already answering this chat."""

    type = "chat/taken"
    title = N_("Another advisor has taken this chat")


class ChatNotTaken(Conflict):
    """An advisor wrote into a chat nobody has taken yet; take it first."""

    type = "chat/not-taken"
    title = N_("Take the chat before replying")


class ProductCardUnavailable(InvalidInput):
    """The SKU, barcode or id names no product that the web shop sells now."""

    type = "chat/product-unavailable"
    title = N_("No product the shop sells has this SKU")
