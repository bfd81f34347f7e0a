"""Channels tables. Price list and location ids reference other contexts by id, checked by services."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Channel(IdMixin, CreatedMixin, Base):
    """One place the retailer sells: a web shop, an app, a store's POS, a marketplace..."""

    __tablename__ = "channels_channel"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str] = mapped_column(String(2))
    default_locale: Mapped[str] = mapped_column(String(5))
    locales: Mapped[list[Any]]
    price_list_id: Mapped[uuid.UUID | None]
    location_refs: Mapped[list[Any]] = mapped_column("location_ids")
    payment_methods: Mapped[list[Any]]
    delivery_methods: Mapped[list[Any]]
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def location_ids(self) -> list[uuid.UUID]:
        """The inventory locations whose stock this channel may sell."""
        return [uuid.UUID(str(value)) for value in self.location_refs]

    @location_ids.setter
    def location_ids(self, values: list[uuid.UUID]) -> None:
        self.location_refs = [str(value) for value in values]
