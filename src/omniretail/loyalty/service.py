"""Loyalty use cases: the programme and its tiers, the points ledger (every balance is a SUM of it), earning on
orders, reversing on returns, spending at checkout in any channel, expiry first-in first-out, merges and the
inter-store settlement. Flush, never commit."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from omniretail.customers import service as customers_service
from omniretail.kernel import clock
from omniretail.kernel.db import conflict_insert
from omniretail.kernel.errors import FieldError
from omniretail.kernel.ids import new_id
from omniretail.loyalty import rules
from omniretail.loyalty.exceptions import InvalidLoyaltyInput, NotEnoughPoints
from omniretail.loyalty.models import Account, CartRedemption, EarnRule, LedgerEntry, Program, Tier
from omniretail.loyalty.rules import Kind

DEFAULT = "default"
CREDITS = (Kind.EARN, Kind.TRANSFER_IN, Kind.REFERRAL, Kind.BIRTHDAY, Kind.ADJUST)
EARNED = (Kind.EARN, Kind.REVERSAL, Kind.REFERRAL, Kind.BIRTHDAY)
CART_OFFERS = "cart.offers"  # the cart's per-transaction memo of its offers, stale once its points change
_PROGRAM, _TIERS, _RULES = "loyalty.program", "loyalty.tiers", "loyalty.rules"


# -- the programme -------------------------------------------------------------------------------------------------

def program(*, session: Session) -> rules.Program:
    """The programme's settings (defaults until configured), read once per transaction."""
    cached = session.info.get(_PROGRAM)
    if isinstance(cached, rules.Program):
        return cached
    row = session.get(Program, DEFAULT)
    found = rules.Program() if row is None else rules.Program(
        points_per_unit=row.points_per_unit, point_value_minor=row.point_value_minor,
        return_window_days=row.return_window_days, expiry_months=row.expiry_months,
        min_redeem_points=row.min_redeem_points, referral_points=row.referral_points,
        channel_multipliers={str(k): int(v) for k, v in (row.channel_multipliers or {}).items()})
    session.info[_PROGRAM] = found
    return found


def configure(*, session: Session, name: str = "Members", currency: str = "EUR", **settings: Any) -> Program:
    """Create or change the programme's settings."""
    row = session.get(Program, DEFAULT)
    if row is None:
        row = Program(key=DEFAULT, name=name, currency=currency, channel_multipliers={})
        session.add(row)
    row.name, row.currency = name, currency
    for key, value in settings.items():
        if not hasattr(Program, key) or key in ("key", "updated_at"):
            raise InvalidLoyaltyInput(errors=[FieldError(("body", key), "unknown setting")])
        if isinstance(value, int) and value < 0:
            raise InvalidLoyaltyInput(errors=[FieldError(("body", key), "cannot be negative")])
        setattr(row, key, value)
    row.updated_at = clock.now()
    session.flush()
    session.info.pop(_PROGRAM, None)
    return row


def define_tier(*, session: Session, code: str, name: str, min_spend_minor: int, multiplier_percent: int = 100,
                free_shipping: bool = False, birthday_points: int = 0,
                upgrade_promotion_id: uuid.UUID | None = None) -> Tier:
    """Create or change a tier (reached by rolling 12-month spend)."""
    if min_spend_minor < 0 or multiplier_percent < 0:
        raise InvalidLoyaltyInput(errors=[FieldError(("body", "min_spend_minor"), "cannot be negative")])
    tier = session.scalar(select(Tier).where(Tier.code == code)) or Tier(id=new_id(), code=code)
    tier.name, tier.min_spend_minor, tier.multiplier_percent = name, min_spend_minor, multiplier_percent
    tier.free_shipping, tier.birthday_points, tier.upgrade_promotion_id = free_shipping, birthday_points, \
        upgrade_promotion_id
    session.add(tier)
    session.flush()
    session.info.pop(_TIERS, None)
    return tier


def tiers(*, session: Session) -> list[rules.Tier]:
    """Every tier, lowest threshold first."""
    cached = session.info.get(_TIERS)
    if isinstance(cached, list):
        return cached
    found = [rules.Tier(t.code, t.name, t.min_spend_minor, t.multiplier_percent, t.free_shipping, t.birthday_points)
             for t in session.scalars(select(Tier).order_by(Tier.min_spend_minor))]
    session.info[_TIERS] = found
    return found


def add_earn_rule(*, session: Session, name: str, multiplier_percent: int = 100, exclude: bool = False,
                  brand: str | None = None, category_id: uuid.UUID | None = None,
                  product_id: uuid.UUID | None = None, channel: str | None = None,
                  starts_at: datetime | None = None, ends_at: datetime | None = None) -> EarnRule:
    """Add a bonus, a campaign multiplier or an exclusion."""
    if multiplier_percent < 0:
        raise InvalidLoyaltyInput(errors=[FieldError(("body", "multiplier_percent"), "cannot be negative")])
    rule = EarnRule(id=new_id(), name=name, multiplier_percent=multiplier_percent, exclude=exclude, brand=brand,
                    category_id=category_id, product_id=product_id, channel=channel, starts_at=starts_at,
                    ends_at=ends_at, active=True, created_at=clock.now())
    session.add(rule)
    session.flush()
    session.info.pop(_RULES, None)
    return rule


def earn_rules(*, session: Session) -> list[rules.EarnRule]:
    cached = session.info.get(_RULES)
    if isinstance(cached, list):
        return cached
    found = [rules.EarnRule(r.name, r.multiplier_percent, r.exclude, r.brand, r.category_id, r.product_id,
                            r.channel, r.starts_at, r.ends_at)
             for r in session.scalars(select(EarnRule).where(EarnRule.active.is_(True)))]
    session.info[_RULES] = found
    return found


# -- members and balances ----------------------------------------------------------------------------------------

def ensure_account(*, session: Session, customer_id: uuid.UUID) -> None:
    """Make ``customer_id`` a member (idempotent)."""
    session.execute(conflict_insert(session)(Account).values(
        customer_id=customer_id, referral_code=secrets.token_hex(5).upper(), tier_code=None, merged_into=None,
        created_at=clock.now()).on_conflict_do_nothing(index_elements=["customer_id"]))


def _lock(session: Session, customer_id: uuid.UUID) -> None:
    ensure_account(session=session, customer_id=customer_id)
    session.execute(select(Account.customer_id).where(Account.customer_id == customer_id).with_for_update())


@dataclass(frozen=True)
class Balance:
    available: int
    pending: int
    lifetime: int


def balance(*, session: Session, customer_id: uuid.UUID, at: datetime | None = None) -> Balance:
    """Available (spendable now), pending (inside the return window) and lifetime earned points: ledger sums."""
    now = at or clock.now()
    row = session.execute(select(
        func.coalesce(func.sum(case((LedgerEntry.available_at <= now, LedgerEntry.points), else_=0)), 0),
        func.coalesce(func.sum(case((LedgerEntry.available_at > now, LedgerEntry.points), else_=0)), 0),
        func.coalesce(func.sum(case((LedgerEntry.kind.in_(EARNED), LedgerEntry.points), else_=0)), 0),
    ).where(LedgerEntry.customer_id == customer_id)).one()
    return Balance(int(row[0]), int(row[1]), int(row[2]))


def rolling_spend(*, session: Session, customer_id: uuid.UUID, at: datetime | None = None) -> int:
    """What the member spent in the last 12 months, net of returns (minor units)."""
    since = (at or clock.now()) - timedelta(days=365)
    return int(session.scalar(select(func.coalesce(func.sum(LedgerEntry.spend_minor), 0)).where(
        LedgerEntry.customer_id == customer_id, LedgerEntry.created_at >= since)) or 0)


def tier_of(*, session: Session, customer_id: uuid.UUID) -> rules.Tier | None:
    """The member's tier now, from their rolling 12-month spend."""
    known = tiers(session=session)
    if not known:
        return None
    return rules.tier_for(rolling_spend(session=session, customer_id=customer_id), known)


@dataclass(frozen=True)
class Summary:
    customer_id: uuid.UUID
    tier: str | None
    tier_name: str | None
    available: int
    pending: int
    lifetime: int
    spend_12m_minor: int
    point_value_minor: int
    free_shipping: bool


def summary_for(*, session: Session, customer_id: uuid.UUID) -> Summary:
    """A member's tier and points, as the storefront and the till show them."""
    b = balance(session=session, customer_id=customer_id)
    spend = rolling_spend(session=session, customer_id=customer_id)
    tier = rules.tier_for(spend, tiers(session=session))
    return Summary(customer_id, tier.code if tier else None, tier.name if tier else None, b.available, b.pending,
                   b.lifetime, spend, program(session=session).point_value_minor, bool(tier and tier.free_shipping))


def history(*, session: Session, customer_id: uuid.UUID, limit: int = 100) -> list[LedgerEntry]:
    """The member's latest ledger entries, newest first."""
    return list(session.scalars(select(LedgerEntry).where(LedgerEntry.customer_id == customer_id)
                                .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc()).limit(limit)))


def _entry(session: Session, *, ref: str, customer_id: uuid.UUID, kind: Kind, points: int,
           available_at: datetime | None = None, **fields: Any) -> bool:
    """Append one ledger entry unless ``ref`` was written already; True when written."""
    now = clock.now()
    values = {"id": new_id(), "customer_id": customer_id, "kind": kind.value, "points": points, "spend_minor": 0,
              "available_at": available_at or now, "expires_at": None, "order_id": None, "variant_id": None,
              "quantity": 0, "location_id": None, "channel_code": None, "hold_ref": None, "lot_id": None,
              "ref": ref[:160], "note": "", "created_at": now, **fields}
    written = session.execute(conflict_insert(session)(LedgerEntry).values(**values)
                              .on_conflict_do_nothing(index_elements=["ref"]).returning(LedgerEntry.id)).first()
    return written is not None


def adjust(*, session: Session, customer_id: uuid.UUID, points: int, note: str, ref: str | None = None) -> None:
    """A correction by staff (or a gift of points), with a note; available at once."""
    if points == 0 or not note.strip():
        raise InvalidLoyaltyInput(errors=[FieldError(("body", "points"), "give non-zero points and a note")])
    ensure_account(session=session, customer_id=customer_id)
    expires = _expiry(program(session=session), clock.now()) if points > 0 else None
    _entry(session, ref=ref or f"adjust:{new_id()}", customer_id=customer_id, kind=Kind.ADJUST, points=points,
           expires_at=expires, note=note[:200])


def _expiry(settings: rules.Program, available_at: datetime) -> datetime | None:
    return available_at + timedelta(days=30 * settings.expiry_months) if settings.expiry_months else None


# -- a cart's member and points ------------------------------------------------------------------------------------

def cart_member(*, session: Session, cart_id: uuid.UUID) -> CartRedemption | None:
    """The member a cart belongs to for loyalty (set at the till or by the shopper) and the points chosen."""
    return session.get(CartRedemption, cart_id)


def set_points_redemption(*, session: Session, cart_id: uuid.UUID, customer_id: uuid.UUID, points: int) -> None:
    """Choose how many points to spend on a cart (0 only names the member); never more than are available."""
    if points < 0 or points > 10_000_000:
        raise InvalidLoyaltyInput(errors=[FieldError(("body", "points"), "0 or more")])
    settings = program(session=session)
    if 0 < points < settings.min_redeem_points:
        raise InvalidLoyaltyInput(f"Spend at least {settings.min_redeem_points} points",
                                  errors=[FieldError(("body", "points"), "below the minimum")])
    available = balance(session=session, customer_id=customer_id).available
    if points > available:
        raise NotEnoughPoints(f"{available} points are available", available=available)
    ensure_account(session=session, customer_id=customer_id)
    row = session.get(CartRedemption, cart_id)
    if row is None:
        session.add(CartRedemption(cart_id=cart_id, customer_id=customer_id, points=points, updated_at=clock.now()))
    else:
        row.customer_id, row.points, row.updated_at = customer_id, points, clock.now()
    session.flush()
    session.info.pop(CART_OFFERS, None)


def estimate_points(*, session: Session, customer_id: uuid.UUID, lines: Sequence[rules.EarnLine],
                    channel: tuple[str, str], tier: rules.Tier | None = None) -> dict[uuid.UUID, int]:
    """Points each line would earn for this member now."""
    return rules.earn_points(lines, program=program(session=session), rules=earn_rules(session=session),
                             tier=tier, channel=channel, at=clock.now())


# -- checkout: hold, make final, give back -------------------------------------------------------------------------

def hold_points(*, session: Session, hold_ref: str, customer_id: uuid.UUID, points: int,
                location_id: uuid.UUID | None, channel_code: str | None) -> None:
    """Take ``points`` from the member's available balance under ``hold_ref``, with the member's row locked so
    two checkouts cannot spend the same points."""
    if points <= 0:
        return
    _lock(session, customer_id)
    available = balance(session=session, customer_id=customer_id).available
    if points > available:
        raise NotEnoughPoints(f"{available} points are available", available=available)
    _entry(session, ref=f"redeem:{hold_ref}", customer_id=customer_id, kind=Kind.REDEEM, points=-points,
           hold_ref=hold_ref, location_id=location_id, channel_code=channel_code)


def commit_points(*, session: Session, hold_ref: str, order_id: uuid.UUID) -> None:
    """Tie the held points to the order they paid for."""
    session.execute(update(LedgerEntry).where(LedgerEntry.hold_ref == hold_ref, LedgerEntry.kind == Kind.REDEEM)
                    .values(order_id=order_id).execution_options(synchronize_session=False))


def release_points(*, session: Session, hold_ref: str) -> None:
    """Give back points a failed checkout held (a compensating entry; idempotent)."""
    held = session.scalar(select(LedgerEntry).where(LedgerEntry.ref == f"redeem:{hold_ref}"))
    if held is None or held.order_id is not None:
        return
    _entry(session, ref=f"release:{hold_ref}", customer_id=held.customer_id, kind=Kind.REDEEM_RELEASE,
           points=-held.points, hold_ref=hold_ref, location_id=held.location_id, channel_code=held.channel_code)


# -- reactions: orders, returns, merges ----------------------------------------------------------------------------

def _survivor(session: Session, customer_id: uuid.UUID) -> uuid.UUID:
    for _ in range(10):
        merged = session.scalar(select(Account.merged_into).where(Account.customer_id == customer_id))
        if merged is None:
            return customer_id
        customer_id = merged
    return customer_id


def earn_for_order(*, session: Session, order_id: uuid.UUID) -> int:
    """Credit the points an order earns, one pending lot per line until the return window closes."""
    from omniretail.catalog import service as catalog_service
    from omniretail.ordering import service as ordering_service
    from omniretail.promotions import service as promotions_service

    order = ordering_service.get_order(session=session, order_id=order_id)
    member = order.customer_id
    if member is None and order.cart_id is not None:
        chosen = session.get(CartRedemption, order.cart_id)
        member = chosen.customer_id if chosen else None
    if member is None:
        return 0
    member = _survivor(session, member)
    ensure_account(session=session, customer_id=member)
    shares = promotions_service.line_discounts(session=session, order_id=order.id)
    refs = {r.id: r for r in catalog_service.variant_refs(session=session,
                                                          variant_ids=[ln.variant_id for ln in order.lines])}
    facts = catalog_service.promotion_facts(session=session, product_ids=[r.product_id for r in refs.values()])
    lines: list[rules.EarnLine] = []
    for ln in order.lines:
        ref = refs.get(ln.variant_id)
        fact = facts.get(ref.product_id) if ref else None
        lines.append(rules.EarnLine(ln.variant_id, ref.product_id if ref else ln.variant_id,
                                    ln.line_total_minor - shares.get(ln.variant_id, 0),
                                    fact.brand if fact else "", fact.category_ids if fact else frozenset()))
    tier = tier_of(session=session, customer_id=member)
    points = estimate_points(session=session, customer_id=member, lines=lines,
                             channel=(order.channel_code, order.channel_kind), tier=tier)
    settings = program(session=session)
    available_at = order.created_at + timedelta(days=settings.return_window_days)
    total = 0
    for ln, earn in zip(order.lines, lines, strict=True):
        if _entry(session, ref=f"earn:{order.id}:{ln.variant_id}", customer_id=member, kind=Kind.EARN,
                  points=points[ln.variant_id], spend_minor=earn.net_minor, available_at=available_at,
                  expires_at=_expiry(settings, available_at), order_id=order.id, variant_id=ln.variant_id,
                  quantity=ln.quantity, location_id=order.location_id, channel_code=order.channel_code):
            total += points[ln.variant_id]
    return total


@dataclass(frozen=True)
class ReturnedLine:
    variant_id: uuid.UUID
    quantity: int


def reverse_return(*, session: Session, return_id: uuid.UUID, order_id: uuid.UUID,
                   lines: Iterable[ReturnedLine]) -> int:
    """Take back exactly the returned units' share of each line's earned points (and of its spend)."""
    reversed_total = 0
    for line in lines:
        earned = session.scalar(select(LedgerEntry).where(LedgerEntry.ref == f"earn:{order_id}:{line.variant_id}"))
        if earned is None or earned.quantity <= 0:
            continue
        before = session.execute(select(func.coalesce(func.sum(LedgerEntry.quantity), 0),
                                        func.coalesce(func.sum(LedgerEntry.spend_minor), 0))
                                 .where(LedgerEntry.kind == Kind.REVERSAL, LedgerEntry.lot_id == earned.id)).one()
        returned_before, spend_back = int(before[0]), int(before[1])
        points = rules.reversal(earned=earned.points, quantity=earned.quantity, returned_before=returned_before,
                                returned_now=line.quantity)
        now_total = min(earned.quantity, returned_before + line.quantity)
        spend = -(earned.spend_minor * now_total // earned.quantity) - spend_back
        if _entry(session, ref=f"reverse:{return_id}:{line.variant_id}",
                  customer_id=_survivor(session, earned.customer_id), kind=Kind.REVERSAL, points=-points,
                  spend_minor=spend, available_at=earned.available_at, order_id=order_id,
                  variant_id=line.variant_id, quantity=now_total - returned_before, lot_id=earned.id,
                  location_id=earned.location_id, channel_code=earned.channel_code):
            reversed_total += points
    return reversed_total


def _lots_and_debits(entries: Sequence[LedgerEntry]) -> tuple[list[rules.Lot], list[rules.Debit], dict[int, str]]:
    lots = [rules.Lot(e.id, e.points, e.available_at, e.expires_at, e.location_id)
            for e in entries if e.points > 0 and e.kind in CREDITS]
    debits: list[rules.Debit] = []
    holds: dict[str, list[LedgerEntry]] = {}
    refs: dict[int, str] = {}
    for e in entries:
        if e.kind in (Kind.REDEEM, Kind.REDEEM_RELEASE) and e.hold_ref:
            holds.setdefault(e.hold_ref, []).append(e)
        elif e.points < 0:
            debits.append(rules.Debit(-e.points, e.created_at, e.location_id, e.lot_id))
    for hold_ref, group in holds.items():
        net = -sum(e.points for e in group)
        if net > 0:
            first = min(group, key=lambda e: e.created_at)
            refs[len(debits)] = hold_ref
            debits.append(rules.Debit(net, first.created_at, first.location_id))
    return lots, debits, refs


def merge(*, session: Session, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> int:
    """Move what is left of the merged member's lots to the survivor, lot by lot (same availability and expiry)."""
    if survivor_id == merged_id:
        return 0
    _lock(session, merged_id)
    ensure_account(session=session, customer_id=survivor_id)
    entries = list(session.scalars(select(LedgerEntry).where(LedgerEntry.customer_id == merged_id)))
    lots, debits, _ = _lots_and_debits(entries)
    result = rules.fifo(lots, debits)
    moved = 0
    for lot in lots:
        left = result.remaining[lot.id]
        if left <= 0:
            continue
        _entry(session, ref=f"merge-out:{lot.id}", customer_id=merged_id, kind=Kind.TRANSFER_OUT, points=-left,
               lot_id=lot.id, note=f"merged into {survivor_id}", available_at=lot.available_at,
               location_id=lot.location_id)
        _entry(session, ref=f"merge-in:{lot.id}", customer_id=survivor_id, kind=Kind.TRANSFER_IN, points=left,
               expires_at=lot.expires_at, lot_id=lot.id, note=f"merged from {merged_id}",
               available_at=lot.available_at, location_id=lot.location_id)
        moved += left
    # Pending lots are credits too: fifo counted them above, so nothing is left behind but debts.
    if result.uncovered:
        _entry(session, ref=f"merge-debt-out:{merged_id}", customer_id=merged_id, kind=Kind.TRANSFER_IN,
               points=result.uncovered, note=f"debt moved to {survivor_id}")
        _entry(session, ref=f"merge-debt-in:{merged_id}", customer_id=survivor_id, kind=Kind.TRANSFER_OUT,
               points=-result.uncovered, note=f"debt of {merged_id}")
        moved -= result.uncovered
    session.execute(update(Account).where(Account.customer_id == merged_id).values(merged_into=survivor_id)
                    .execution_options(synchronize_session=False))
    return moved


# -- the periodic job ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settled:
    expired_points: int
    members_expired: int
    tiers_changed: int


def settle(*, session: Session, batch: int = 500, tiers: bool = True) -> Settled:
    """Expire unused points whose lots reached their expiry (first-in first-out) for up to ``batch`` members and,
    with ``tiers``, bring tiers up to date."""
    now = clock.now()
    expired_lots = select(LedgerEntry.lot_id).where(LedgerEntry.kind == Kind.EXPIRE)
    members = list(session.scalars(select(LedgerEntry.customer_id).where(
        LedgerEntry.kind.in_(CREDITS), LedgerEntry.points > 0, LedgerEntry.expires_at <= now,
        LedgerEntry.id.not_in(expired_lots)).distinct().limit(batch)))
    total = 0
    for member in members:
        _lock(session, member)
        entries = list(session.scalars(select(LedgerEntry).where(LedgerEntry.customer_id == member)))
        lots, debits, _ = _lots_and_debits(entries)
        by_id = {lot.id: lot for lot in lots}
        for lot_id, points in rules.expired(lots, debits, now).items():
            if _entry(session, ref=f"expire:{lot_id}", customer_id=member, kind=Kind.EXPIRE, points=-points,
                      lot_id=lot_id, available_at=by_id[lot_id].available_at, location_id=by_id[lot_id].location_id):
                total += points
        for lot in lots:  # lots that were fully used before expiry are marked settled so they are not read again
            if lot.expires_at is not None and lot.expires_at <= now:
                _entry(session, ref=f"expire:{lot.id}", customer_id=member, kind=Kind.EXPIRE, points=0,
                       lot_id=lot.id, available_at=lot.available_at)
    return Settled(total, len(members), _update_tiers(session) if tiers else 0)


def _update_tiers(session: Session) -> int:
    return apply_tiers(session=session, changes=tier_changes(session=session))


def tier_changes(*, session: Session) -> list[tuple[uuid.UUID, str | None]]:
    """(member, tier code) for every member whose tier differs from what their last 12 months' spend earns
    (reads only: the periodic job computes this outside the write lock, then applies it a few members at a
    time)."""
    known = tiers(session=session)
    if not known:
        return []
    since = clock.now() - timedelta(days=365)
    spend = {customer_id: total for customer_id, total in session.execute(
        select(LedgerEntry.customer_id, func.sum(LedgerEntry.spend_minor))
        .where(LedgerEntry.created_at >= since).group_by(LedgerEntry.customer_id))}
    changes = []
    for customer_id, current in session.execute(select(Account.customer_id, Account.tier_code)
                                                .where(Account.merged_into.is_(None))
                                                .order_by(Account.customer_id)):
        tier = rules.tier_for(int(spend.get(customer_id) or 0), known)
        code = tier.code if tier else None
        if code != current:
            changes.append((customer_id, code))
    return changes


def apply_tiers(*, session: Session, changes: Sequence[tuple[uuid.UUID, str | None]]) -> int:
    """Move each member to the tier given, with the upgrade coupon where the new tier is higher and has one;
    a member already there (another run moved them) is left alone."""
    if not changes:
        return 0
    known = tiers(session=session)
    rank = {t.code: i for i, t in enumerate(known)}
    upgrades = {t.code: t for t in session.scalars(select(Tier).where(Tier.upgrade_promotion_id.is_not(None)))}
    wanted = dict(changes)
    changed = 0
    for account in session.scalars(select(Account).where(Account.customer_id.in_(list(wanted)),
                                                         Account.merged_into.is_(None))
                                   .order_by(Account.customer_id)):
        code = wanted[account.customer_id]
        if code == account.tier_code:
            continue
        upgraded = code is not None and (account.tier_code is None or rank.get(code, 0) > rank.get(
            account.tier_code, -1))
        account.tier_code = code
        changed += 1
        customers_service.set_tier(session=session, customer_id=account.customer_id, tier=code)
        if upgraded and code in upgrades:
            from omniretail.promotions import service as promotions_service

            promotion_id = upgrades[code].upgrade_promotion_id
            assert promotion_id is not None
            promotions_service.issue_coupon(session=session, promotion_id=promotion_id,
                                            customer_id=account.customer_id, prefix=f"{code[:6]}-")
    session.flush()
    return changed


# -- inter-store settlement ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SettlementRow:
    earned_at: uuid.UUID | None
    redeemed_at: uuid.UUID | None
    points: int
    value_minor: int


def settlement(*, session: Session, start: datetime, end: datetime,
               location_ids: frozenset[uuid.UUID] | None) -> list[SettlementRow]:
    """Points redeemed in [start, end) by where they were earned and where they were spent (first-in first-out),
    so a store that honoured another store's points can be paid for them. ``location_ids`` None: every store."""
    members = list(session.scalars(select(LedgerEntry.customer_id).where(
        LedgerEntry.kind == Kind.REDEEM, LedgerEntry.order_id.is_not(None), LedgerEntry.created_at >= start,
        LedgerEntry.created_at < end).distinct()))
    value = program(session=session).point_value_minor
    flows: dict[tuple[uuid.UUID | None, uuid.UUID | None], int] = {}
    for member in members:
        entries = list(session.scalars(select(LedgerEntry).where(LedgerEntry.customer_id == member)))
        lots, debits, holds = _lots_and_debits(entries)
        placed = {e.hold_ref for e in entries if e.kind == Kind.REDEEM and e.order_id is not None
                  and start <= e.created_at < end}
        where = {lot.id: lot.location_id for lot in lots}
        for use in rules.fifo(lots, debits).uses:
            if holds.get(use.debit_index) not in placed:
                continue
            key = (where[use.lot_id], debits[use.debit_index].location_id)
            flows[key] = flows.get(key, 0) + use.points
    rows = [SettlementRow(earned, spent, points, points * value) for (earned, spent), points in flows.items()
            if location_ids is None or earned in location_ids or spent in location_ids]
    return sorted(rows, key=lambda r: (str(r.earned_at), str(r.redeemed_at)))


def list_earn_rules(*, session: Session) -> list[EarnRule]:
    """Every earn rule, newest last."""
    return list(session.scalars(select(EarnRule).order_by(EarnRule.created_at, EarnRule.id)))


def record_entry(*, session: Session, ref: str, customer_id: uuid.UUID, kind: Kind, points: int,
                 note: str = "") -> bool:
    """Append one ledger entry available now (a credit expires as the programme says); idempotent by ``ref``."""
    expires = _expiry(program(session=session), clock.now()) if points > 0 else None
    return _entry(session, ref=ref, customer_id=customer_id, kind=kind, points=points, expires_at=expires,
                  note=note[:200])


# -- the back office's loyalty page (web/backoffice/people.py) -------------------------------------------------------

@dataclass(frozen=True)
class ProgramSettings:
    name: str
    currency: str
    points_per_unit: int
    point_value_minor: int
    return_window_days: int
    expiry_months: int
    min_redeem_points: int
    referral_points: int
    channel_multipliers: dict[str, int]


def program_settings(*, session: Session) -> ProgramSettings:
    """The programme's name, currency and settings as stored (defaults until configured)."""
    row = session.get(Program, DEFAULT)
    found = program(session=session)
    return ProgramSettings(row.name if row else "Members", row.currency if row else "EUR", found.points_per_unit,
                           found.point_value_minor, found.return_window_days, found.expiry_months,
                           found.min_redeem_points, found.referral_points, dict(found.channel_multipliers))


def reward_catalog(*, session: Session) -> list[Any]:
    """The rewards catalog (``loyalty.rewards``)."""
    from omniretail.loyalty import rewards

    return rewards.rewards(session=session)


def add_catalog_reward(*, session: Session, code: str, name: str, points_cost: int, promotion_id: uuid.UUID) -> Any:
    """Put a reward in the catalog (``loyalty.rewards.add_reward``)."""
    from omniretail.loyalty import rewards

    return rewards.add_reward(session=session, code=code, name=name, points_cost=points_cost,
                              promotion_id=promotion_id)
