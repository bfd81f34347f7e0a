"""Pricing tables. Variant and channel ids reference other contexts by id, checked by services."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class PriceList(IdMixin, CreatedMixin, Base):
    """Prices in one currency for one or more channels; shelf prices include tax when ``tax_inclusive``."""

    __tablename__ = "pricing_price_list"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str] = mapped_column(String(2))
    tax_inclusive: Mapped[bool] = mapped_column(Boolean, default=True)


class Price(IdMixin, Base):
    __tablename__ = "pricing_price"
    __table_args__ = (UniqueConstraint("price_list_id", "variant_id"),)

    price_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pricing_price_list.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class SalePrice(IdMixin, CreatedMixin, Base):
    """A scheduled lower price for a variant in one price list, between two moments."""

    __tablename__ = "pricing_sale_price"
    __table_args__ = (Index("ix_pricing_sale_price_list_variant", "price_list_id", "variant_id"),
                      # For the next moment a sale begins or ends (cached listings expire then).
                      Index("ix_pricing_sale_price_starts_at", "starts_at"),
                      Index("ix_pricing_sale_price_ends_at", "ends_at"))

    price_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pricing_price_list.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID]
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]


class TaxRate(IdMixin, Base):
    """A country's VAT or sales-tax rate for a tax class, in basis points (2100 = 21 %)."""

    __tablename__ = "pricing_tax_rate"
    __table_args__ = (UniqueConstraint("country", "tax_class"),)

    country: Mapped[str] = mapped_column(String(2))
    tax_class: Mapped[str] = mapped_column(String(20), default="standard")
    rate_bp: Mapped[int] = mapped_column(Integer)


class ConsistencyRule(IdMixin, CreatedMixin, Base):
    """The merchant's promise that some channels show the same price (within a tolerance)."""

    __tablename__ = "pricing_consistency_rule"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    channel_refs: Mapped[list[Any]] = mapped_column("channel_ids")
    tolerance_bp: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def channel_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(str(value)) for value in self.channel_refs]
