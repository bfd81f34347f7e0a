"""Pricing use cases: price lists, scheduled sales, taxes, quotes for carts and pages, consistency."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, func, insert, or_, select
from sqlalchemy.orm import Session

from omniretail.channels import service as channels_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError, InvalidInput
from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import record
from omniretail.pricing.events import PricesChanged
from omniretail.pricing.exceptions import CurrencyDiffers, PriceListCodeTaken, PriceListNotFound, RuleNotFound
from omniretail.pricing.models import ConsistencyRule, Price, PriceList, SalePrice, TaxRate
from omniretail.pricing.rules import PriceQuote, SaleWindow, current_amount, differs_beyond


def _require(actor: Principal | None) -> None:
    if actor is not None:
        identity_service.require(actor, Permission.PRICES_WRITE)


def create_price_list(*, session: Session, actor: Principal | None, code: str, name: str, currency: str,
                      country: str, tax_inclusive: bool = True) -> PriceList:
    """Start a price list in one currency, for a tax country."""
    _require(actor)
    if session.scalar(select(PriceList.id).where(PriceList.code == code)) is not None:
        raise PriceListCodeTaken(f"A price list with code {code!r} exists", code=code)
    Money.zero(currency)
    price_list = PriceList(code=code, name=name, currency=currency, country=country.upper(),
                           tax_inclusive=tax_inclusive)
    session.add(price_list)
    session.flush()
    identity_service.audit(session=session, actor=actor, action="pricing.price_list.create",
                           target_type="price_list", target_id=str(price_list.id))
    return price_list


def get_price_list(*, session: Session, price_list_id: uuid.UUID) -> PriceList:
    """One price list."""
    price_list = session.get(PriceList, price_list_id)
    if price_list is None:
        raise PriceListNotFound(f"No price list {price_list_id}")
    return price_list


def get_price_list_by_code(*, session: Session, code: str) -> PriceList:
    """One price list by code."""
    price_list = session.scalar(select(PriceList).where(PriceList.code == code))
    if price_list is None:
        raise PriceListNotFound(f"No price list {code!r}")
    return price_list


def list_price_lists(*, session: Session) -> list[PriceList]:
    """Every price list, by code."""
    return list(session.scalars(select(PriceList).order_by(PriceList.code)))


def assign_price_list(*, session: Session, actor: Principal | None, channel_id: uuid.UUID,
                      price_list_id: uuid.UUID) -> channels_service.Channel:
    """Make a channel sell at a price list's prices (same currency only)."""
    _require(actor)
    price_list = get_price_list(session=session, price_list_id=price_list_id)
    channel = channels_service.get_channel(session=session, channel_id=channel_id)
    if channel.currency != price_list.currency:
        raise CurrencyDiffers(f"Channel {channel.code} sells in {channel.currency}, the list is in "
                              f"{price_list.currency}")
    return channels_service.set_price_list(session=session, channel_id=channel_id, price_list_id=price_list_id)


def set_prices(*, session: Session, actor: Principal | None, price_list_id: uuid.UUID,
               amounts: Mapping[uuid.UUID, int]) -> int:
    """Set regular prices (minor units) for variants in a list; returns how many changed."""
    _require(actor)
    get_price_list(session=session, price_list_id=price_list_id)
    bad = [FieldError(("body", "prices", str(v)), "a price cannot be negative") for v, a in amounts.items() if a < 0]
    if bad:
        raise InvalidInput(errors=bad)
    existing = {p.variant_id: p for p in session.scalars(
        select(Price).where(Price.price_list_id == price_list_id, Price.variant_id.in_(list(amounts))))}
    changed: list[uuid.UUID] = []
    new: list[dict[str, object]] = []
    now = clock.now()
    for variant_id, amount in amounts.items():
        price = existing.get(variant_id)
        if price is None:
            new.append({"id": new_id(), "price_list_id": price_list_id, "variant_id": variant_id,
                        "amount_minor": amount, "updated_at": now})
        elif price.amount_minor != amount:
            price.amount_minor, price.updated_at = amount, now
        else:
            continue
        changed.append(variant_id)
    session.flush()
    if new:
        # A whole list at once (imports, the demo): one executemany instead of an ORM object per price.
        session.execute(insert(Price.metadata.tables[Price.__tablename__]), new)
    if changed:
        record(session, PricesChanged(price_list_id, tuple(changed)))
        identity_service.audit(session=session, actor=actor, action="pricing.prices.set",
                               target_type="price_list", target_id=str(price_list_id),
                               details={"count": len(changed)})
    return len(changed)


def schedule_sale(*, session: Session, actor: Principal | None, price_list_id: uuid.UUID,
                  variant_id: uuid.UUID, amount_minor: int, starts_at: datetime,
                  ends_at: datetime | None = None) -> SalePrice:
    """Schedule a sale price for a variant between two moments."""
    _require(actor)
    get_price_list(session=session, price_list_id=price_list_id)
    if amount_minor < 0 or (ends_at is not None and ends_at <= starts_at):
        raise InvalidInput("A sale needs a non-negative price and an end after its start",
                           errors=[FieldError(("body", "ends_at"), "must be after starts_at")])
    sale = SalePrice(price_list_id=price_list_id, variant_id=variant_id, amount_minor=amount_minor,
                     starts_at=starts_at, ends_at=ends_at)
    session.add(sale)
    session.flush()
    record(session, PricesChanged(price_list_id, (variant_id,)))
    return sale


def set_tax_rate(*, session: Session, actor: Principal | None, country: str, rate_bp: int,
                 tax_class: str = "standard") -> TaxRate:
    """Set a country's tax rate for a tax class, in basis points (2300 = 23 %)."""
    _require(actor)
    if not 0 <= rate_bp <= 10000:
        raise InvalidInput(errors=[FieldError(("body", "rate_bp"), "between 0 and 10000")])
    rate = session.scalar(select(TaxRate).where(TaxRate.country == country.upper(), TaxRate.tax_class == tax_class))
    if rate is None:
        rate = TaxRate(country=country.upper(), tax_class=tax_class, rate_bp=rate_bp)
        session.add(rate)
    rate.rate_bp = rate_bp
    session.flush()
    return rate


def _tax_rate_bp(session: Session, country: str) -> int:
    rate = session.scalar(select(TaxRate.rate_bp).where(TaxRate.country == country, TaxRate.tax_class == "standard"))
    return int(rate or 0)


def list_prices(*, session: Session, price_list_id: uuid.UUID,
                variant_ids: Sequence[uuid.UUID] | None = None) -> dict[uuid.UUID, int]:
    """Regular prices of a list, by variant."""
    stmt = select(Price.variant_id, Price.amount_minor).where(Price.price_list_id == price_list_id)
    if variant_ids is not None:
        stmt = stmt.where(Price.variant_id.in_(list(variant_ids)))
    return {row.variant_id: int(row.amount_minor) for row in session.execute(stmt)}


def quotes_for_list(*, session: Session, price_list: PriceList, variant_ids: Sequence[uuid.UUID],
                    at: datetime | None = None) -> dict[uuid.UUID, PriceQuote]:
    """Quotes from one price list for the variants that have a price in it."""
    at = at or clock.now()
    ids = list(dict.fromkeys(variant_ids))
    if not ids:
        return {}
    regular = list_prices(session=session, price_list_id=price_list.id, variant_ids=ids)
    sales: dict[uuid.UUID, list[SaleWindow]] = {}
    stmt = select(SalePrice.variant_id, SalePrice.amount_minor, SalePrice.starts_at, SalePrice.ends_at).where(
        SalePrice.price_list_id == price_list.id, SalePrice.variant_id.in_(list(regular)),
        SalePrice.starts_at <= at)
    for row in session.execute(stmt):
        sales.setdefault(row.variant_id, []).append(SaleWindow(row.amount_minor, row.starts_at, row.ends_at))
    rate = _tax_rate_bp(session, price_list.country)
    currency = price_list.currency
    return {variant_id: PriceQuote(variant_id=variant_id, regular=Money(amount, currency),
                                   current=Money(current_amount(amount, sales.get(variant_id, ()), at), currency),
                                   tax_inclusive=price_list.tax_inclusive, tax_rate_bp=rate)
            for variant_id, amount in regular.items()}


def _current_amount(at: datetime) -> Any:
    # Only sales below the regular price count, so the lowest of them (if any) is the price: one lookup.
    lowest_sale = (select(func.min(SalePrice.amount_minor))
                   .where(SalePrice.price_list_id == Price.price_list_id, SalePrice.variant_id == Price.variant_id,
                          SalePrice.starts_at <= at, or_(SalePrice.ends_at.is_(None), SalePrice.ends_at > at),
                          SalePrice.amount_minor < Price.amount_minor)
                   .correlate(Price).scalar_subquery())
    return func.coalesce(lowest_sale, Price.amount_minor)


def current_amount_of(*, price_list_id: uuid.UUID, variant_id: Any,
                      at: datetime | None = None) -> ScalarSelect[int]:
    """A correlated SQL expression: the current price of ``variant_id`` (a column or value) in a list, or NULL.

    For sorting and filtering listings by price in the database. The same rule as ``rules.current_amount``:
    the lowest active sale below the regular price, else the regular price.
    """
    return (select(_current_amount(at or clock.now()))
            .where(Price.price_list_id == price_list_id, Price.variant_id == variant_id).scalar_subquery())


def prices_for(*, session: Session, channel_id: uuid.UUID, variant_ids: Sequence[uuid.UUID],
               at: datetime | None = None) -> dict[uuid.UUID, PriceQuote]:
    """What each variant costs in a channel now; variants without a price there are left out."""
    channel = channels_service.get_channel(session=session, channel_id=channel_id)
    if channel.price_list_id is None:
        return {}
    price_list = get_price_list(session=session, price_list_id=channel.price_list_id)
    return quotes_for_list(session=session, price_list=price_list, variant_ids=variant_ids, at=at)


def price_for(*, session: Session, channel_id: uuid.UUID, variant_id: uuid.UUID,
              at: datetime | None = None) -> Money | None:
    """The price a shopper pays for one variant in a channel now, or None when it has none there."""
    quote = prices_for(session=session, channel_id=channel_id, variant_ids=[variant_id], at=at).get(variant_id)
    return quote.current if quote else None


def create_rule(*, session: Session, actor: Principal | None, code: str, name: str,
                channel_ids: Sequence[uuid.UUID], tolerance_bp: int = 0) -> ConsistencyRule:
    """Promise that some channels show the same price, within ``tolerance_bp`` (0: equal)."""
    _require(actor)
    channels = [channels_service.get_channel(session=session, channel_id=c) for c in channel_ids]
    if len(channels) < 2 or len({c.currency for c in channels}) != 1 or tolerance_bp < 0:
        raise InvalidInput("A rule compares two or more channels in one currency",
                           errors=[FieldError(("body", "channel_ids"), "two or more channels, one currency")])
    rule = ConsistencyRule(code=code, name=name, channel_refs=[str(c) for c in channel_ids],
                           tolerance_bp=tolerance_bp)
    session.add(rule)
    session.flush()
    return rule


def list_rules(*, session: Session) -> list[ConsistencyRule]:
    """Every consistency rule."""
    return list(session.scalars(select(ConsistencyRule).order_by(ConsistencyRule.code)))


@dataclass(frozen=True)
class Inconsistency:
    """A variant whose current price breaks a rule: the prices seen in each channel (None: no price)."""

    rule_code: str
    variant_id: uuid.UUID
    prices: dict[str, Money | None]


def consistency_report(*, session: Session, rule_code: str | None = None,
                       at: datetime | None = None) -> list[Inconsistency]:
    """Variants whose price differs between channels beyond the merchant's rules."""
    rules = list_rules(session=session)
    if rule_code is not None:
        rules = [r for r in rules if r.code == rule_code]
        if not rules:
            raise RuleNotFound(f"No rule {rule_code!r}")
    found: list[Inconsistency] = []
    for rule in rules:
        channels = [channels_service.get_channel(session=session, channel_id=c) for c in rule.channel_ids]
        list_ids = {c.price_list_id for c in channels if c.price_list_id is not None}
        variant_ids = list(session.scalars(select(Price.variant_id).where(Price.price_list_id.in_(list_ids))
                                           .distinct()))
        quotes = {c.code: prices_for(session=session, channel_id=c.id, variant_ids=variant_ids, at=at)
                  for c in channels}
        for variant_id in sorted(variant_ids):
            seen = {code: (q[variant_id].current if variant_id in q else None) for code, q in quotes.items()}
            amounts = [m.amount_minor for m in seen.values() if m is not None]
            missing = any(m is None for m in seen.values())
            if missing or differs_beyond(min(amounts), max(amounts), rule.tolerance_bp):
                found.append(Inconsistency(rule.code, variant_id, seen))
    return found


def next_price_change(*, session: Session, after: datetime) -> datetime | None:
    """The first moment after ``after`` when a scheduled sale begins or ends (for caches of shelf prices)."""
    moments = [session.scalar(select(func.min(column)).where(column > after))
               for column in (SalePrice.starts_at, SalePrice.ends_at)]
    found = [m for m in moments if m is not None]
    return min(found) if found else None


# Back-office price pages (appended for the back-office price lists)

@dataclass(frozen=True)
class PriceRow:
    """One variant's price in a list as the back office shows it: regular and current (a sale may apply)."""

    variant_id: uuid.UUID
    amount_minor: int
    current_minor: int
    updated_at: datetime


PRICE_SORTS = ("variant", "amount", "-amount", "updated", "-updated")


def page_prices(*, session: Session, price_list_id: uuid.UUID, variant_ids: Sequence[uuid.UUID] | None = None,
                sort: str = "variant", offset: int = 0, limit: int | None = 50,
                at: datetime | None = None) -> tuple[list[PriceRow], int]:
    """A page of a list's prices (optionally only some variants), sorted, with the total count."""
    get_price_list(session=session, price_list_id=price_list_id)
    where = [Price.price_list_id == price_list_id]
    if variant_ids is not None:
        where.append(Price.variant_id.in_(list(variant_ids)))
    total = int(session.scalar(select(func.count()).select_from(Price).where(*where)) or 0)
    key = sort if sort in PRICE_SORTS else "variant"
    column = {"variant": Price.variant_id, "amount": Price.amount_minor,
              "updated": Price.updated_at}[key.lstrip("-")]
    stmt = (select(Price.variant_id, Price.amount_minor, Price.updated_at,
                   _current_amount(at or clock.now()).label("current"))
            .where(*where).order_by(column.desc() if key.startswith("-") else column.asc(), Price.id)
            .offset(max(offset, 0)))
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [PriceRow(variant_id=r.variant_id, amount_minor=int(r.amount_minor), current_minor=int(r.current),
                     updated_at=r.updated_at) for r in session.execute(stmt)]
    return rows, total


def sales_of(*, session: Session, price_list_id: uuid.UUID, variant_id: uuid.UUID) -> list[SalePrice]:
    """The sale prices scheduled for a variant in a list, latest start first."""
    return list(session.scalars(select(SalePrice).where(SalePrice.price_list_id == price_list_id,
                                                        SalePrice.variant_id == variant_id)
                                .order_by(SalePrice.starts_at.desc())))
