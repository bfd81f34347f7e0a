"""Order lists for people behind the counter: filter, sort and count on the server, scoped to the caller's
stores. Read-only; the back office pages and CSV exports call these."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from omniretail.identity.rules import Permission, Principal
from omniretail.ordering.models import Order, OrderLine

OrderSort = Literal["-created", "created", "-total", "total", "number"]
_SORTS = {"-created": (Order.created_at.desc(), Order.id.desc()), "created": (Order.created_at, Order.id),
          "-total": (Order.total_minor.desc(), Order.id.desc()), "total": (Order.total_minor, Order.id),
          "number": (Order.number, Order.id)}


@dataclass(frozen=True)
class OrderFilter:
    channel_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    status: str | None = None
    text: str | None = None  # an order number, an e-mail or a phone, or the start of one
    since: datetime | None = None
    until: datetime | None = None


def _filtered(actor: Principal, where: OrderFilter) -> Select[Any]:
    stmt = select(Order)
    places = actor.locations_for(Permission.ORDERS_READ)
    if places is not None:
        stmt = stmt.where(Order.location_id.in_(sorted(places)))
    if where.channel_id is not None:
        stmt = stmt.where(Order.channel_id == where.channel_id)
    if where.location_id is not None:
        stmt = stmt.where(Order.location_id == where.location_id)
    if where.status:
        stmt = stmt.where(Order.status == where.status)
    if where.text:
        text = where.text.strip()[:100]
        like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(Order.number == text.upper(), Order.number.like(like.upper(), escape="\\"),
                              Order.email.like(like.lower(), escape="\\"), Order.phone.like(like, escape="\\")))
    if where.since is not None:
        stmt = stmt.where(Order.created_at >= where.since)
    if where.until is not None:
        stmt = stmt.where(Order.created_at < where.until)
    return stmt


def search_orders(*, session: Session, actor: Principal, where: OrderFilter, sort: OrderSort = "-created",
                  offset: int = 0, limit: int = 50) -> tuple[list[Order], int]:
    """A page of the orders ``actor`` may see that match ``where``, and how many match in all."""
    stmt = _filtered(actor, where)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.order_by(*_SORTS[sort]).offset(offset).limit(limit))
    return list(rows), int(total)


def each_order(*, session: Session, actor: Principal, where: OrderFilter, sort: OrderSort = "-created",
               cap: int = 100_000) -> Iterator[Order]:
    """Every matching order (up to ``cap``), streamed in batches, for exports."""
    stmt = _filtered(actor, where).order_by(*_SORTS[sort]).limit(cap)
    yield from session.scalars(stmt.execution_options(yield_per=500))


@dataclass(frozen=True)
class ChannelFigures:
    channel_code: str
    currency: str
    orders: int
    revenue_minor: int


def figures(*, session: Session, actor: Principal, since: datetime, until: datetime) -> list[ChannelFigures]:
    """Orders and revenue (totals less refunds, cancelled orders left out) per channel in a period, at the
    stores ``actor`` may see."""
    base = _filtered(actor, OrderFilter(since=since, until=until)).where(Order.status != "cancelled").subquery()
    rows = session.execute(select(base.c.channel_code, base.c.currency, func.count(),
                                  func.coalesce(func.sum(base.c.total_minor - base.c.refunded_minor), 0))
                           .group_by(base.c.channel_code, base.c.currency).order_by(base.c.channel_code))
    return [ChannelFigures(code, currency, int(n), int(revenue)) for code, currency, n, revenue in rows]


@dataclass(frozen=True)
class VariantSales:
    variant_id: uuid.UUID
    quantity: int
    revenue_minor: int


def best_selling_variants(*, session: Session, since: datetime, until: datetime | None = None,
                          limit: int = 200) -> list[VariantSales]:
    """Variants by revenue across every channel and store in a period (cancelled orders left out), best first.
    Not scoped to a person: it feeds in-store displays and rankings, never amounts shown to staff."""
    stmt = (select(OrderLine.variant_id, func.sum(OrderLine.quantity), func.sum(OrderLine.line_total_minor))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.created_at >= since, Order.status != "cancelled"))
    if until is not None:
        stmt = stmt.where(Order.created_at < until)
    rows = session.execute(stmt.group_by(OrderLine.variant_id)
                           .order_by(func.sum(OrderLine.line_total_minor).desc(), OrderLine.variant_id).limit(limit))
    return [VariantSales(variant_id, int(quantity), int(revenue)) for variant_id, quantity, revenue in rows]


def order_by_number(*, session: Session, number: str) -> Order | None:
    """One order by its exact number (what a receipt or a confirmation e-mail shows), from any channel."""
    text = number.strip().upper()[:20]
    return session.scalar(select(Order).where(Order.number == text)) if text else None
