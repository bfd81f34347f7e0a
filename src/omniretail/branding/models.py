"""Brand settings: one row (``id`` 1) that the storefront, POS, e-mails and receipts read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base


class BrandSettings(Base):
    """The shop's name, logo, colours and font; ``revision`` changes on every save (the cache's cheap check)."""

    __tablename__ = "branding_brand"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_name: Mapped[str] = mapped_column(String(80))
    accent_color: Mapped[str] = mapped_column(String(7))
    ink_color: Mapped[str] = mapped_column(String(7))
    background_color: Mapped[str] = mapped_column(String(7))
    font: Mapped[str] = mapped_column(String(20))
    logo_path: Mapped[str | None] = mapped_column(String(200))
    logo_width: Mapped[int | None] = mapped_column(Integer)
    logo_height: Mapped[int | None] = mapped_column(Integer)
    revision: Mapped[str] = mapped_column(String(32))
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
