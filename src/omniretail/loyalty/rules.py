"""Loyalty rules: how many points a purchase earns, which tier a customer is in, how points are used up
first-in first-out (for expiry, merges and the inter-store settlement), and how many points a redemption may
spend. Pure: no database; the service feeds these functions rows as values.

A point balance is always a sum of ledger entries; these functions never keep a counter. To add an earn rule,
give ``EarnRule`` a new matching field and test it here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    """Ledger entry kinds: credits are positive, debits negative."""

    EARN = "earn"
    REVERSAL = "reversal"            # a returned line takes back its earned points
    REDEEM = "redeem"                # points spent at checkout (held, then final)
    REDEEM_RELEASE = "redeem_release"  # a failed checkout gives held points back
    EXPIRE = "expire"
    TRANSFER_IN = "transfer_in"      # customers merged: the survivor's side
    TRANSFER_OUT = "transfer_out"    # customers merged: the merged customer's side
    REFERRAL = "referral"
    BIRTHDAY = "birthday"
    REWARD = "reward"                # points exchanged for a reward from the catalog
    ADJUST = "adjust"                # a staff correction, with a note


@dataclass(frozen=True)
class Program:
    """The programme's settings (one per retailer)."""

    points_per_unit: int = 1          # points per whole currency unit spent
    point_value_minor: int = 1        # what one point is worth when redeemed, in minor units
    return_window_days: int = 30      # earned points stay pending this long
    expiry_months: int = 12           # available points expire after this long (0: never)
    min_redeem_points: int = 0
    referral_points: int = 500
    channel_multipliers: dict[str, int] = field(default_factory=dict)  # channel code or kind -> percent


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    min_spend_minor: int
    multiplier_percent: int = 100
    free_shipping: bool = False
    birthday_points: int = 0


@dataclass(frozen=True)
class EarnRule:
    """A bonus (``multiplier_percent`` > 100), a campaign (dated bonus) or an exclusion (``exclude``) for the
    lines it matches; an empty match field matches everything."""

    name: str
    multiplier_percent: int = 100
    exclude: bool = False
    brand: str | None = None
    category_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    channel: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def matches(self, line: EarnLine, channel: tuple[str, str], at: datetime) -> bool:
        if (self.starts_at and at < self.starts_at) or (self.ends_at and at >= self.ends_at):
            return False
        if self.channel and self.channel not in channel:
            return False
        if self.brand and line.brand != self.brand:
            return False
        if self.category_id and self.category_id not in line.category_ids:
            return False
        return not (self.product_id and line.product_id != self.product_id)


@dataclass(frozen=True)
class EarnLine:
    variant_id: uuid.UUID
    product_id: uuid.UUID
    net_minor: int                    # what the shopper paid for the line, after its discounts
    brand: str = ""
    category_ids: frozenset[uuid.UUID] = frozenset()


def earn_points(lines: Sequence[EarnLine], *, program: Program, rules: Sequence[EarnRule], tier: Tier | None,
                channel: tuple[str, str], at: datetime, unit_minor: int = 100) -> dict[uuid.UUID, int]:
    """Points each line earns: whole units paid times points per unit, times the tier, channel and matching
    bonus multipliers (each in percent, multiplied together); excluded lines earn nothing."""
    given = [program.channel_multipliers[c] for c in channel if c in program.channel_multipliers]
    channel_percent = max(given) if given else 100
    earned: dict[uuid.UUID, int] = {}
    for line in lines:
        matching = [r for r in rules if r.matches(line, channel, at)]
        if line.net_minor <= 0 or any(r.exclude for r in matching):
            earned[line.variant_id] = 0
            continue
        numerator = line.net_minor * program.points_per_unit * channel_percent * (
            tier.multiplier_percent if tier else 100)
        denominator = unit_minor * 100 * 100
        for rule in matching:
            numerator *= rule.multiplier_percent
            denominator *= 100
        earned[line.variant_id] = numerator // denominator
    return earned


def tier_for(spend_minor: int, tiers: Sequence[Tier]) -> Tier | None:
    """The highest tier whose threshold the rolling 12-month spend reaches."""
    reached = [t for t in tiers if spend_minor >= t.min_spend_minor]
    return max(reached, key=lambda t: t.min_spend_minor) if reached else None


@dataclass(frozen=True)
class Lot:
    """A credit: points that arrived together and expire together."""

    id: uuid.UUID
    points: int
    available_at: datetime
    expires_at: datetime | None = None
    location_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Debit:
    """Points taken out; ``lot_id`` when the debit belongs to one lot (a reversal, an expiry, a transfer)."""

    points: int                       # positive: how many points left
    at: datetime
    location_id: uuid.UUID | None = None
    lot_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Use:
    lot_id: uuid.UUID
    points: int
    debit_index: int


@dataclass(frozen=True)
class Fifo:
    remaining: dict[uuid.UUID, int]   # what is left of each lot
    uses: tuple[Use, ...]             # which lot paid for which debit
    uncovered: int                    # debits no lot could cover (a balance below zero)


def fifo(lots: Iterable[Lot], debits: Sequence[Debit]) -> Fifo:
    """Consume lots oldest-available first; a debit tied to a lot consumes that lot first."""
    ordered = sorted(lots, key=lambda lot: (lot.available_at, str(lot.id)))
    remaining = {lot.id: lot.points for lot in ordered}
    uses: list[Use] = []
    uncovered = 0
    for index, debit in sorted(enumerate(debits), key=lambda pair: (pair[1].lot_id is None, pair[1].at, pair[0])):
        left = debit.points
        candidates = ([debit.lot_id] if debit.lot_id in remaining else []) + [lot.id for lot in ordered]
        for lot_id in candidates:
            if left <= 0:
                break
            take = min(left, remaining[lot_id])
            if take > 0:
                remaining[lot_id] -= take
                left -= take
                uses.append(Use(lot_id, take, index))
        uncovered += left
    return Fifo(remaining, tuple(uses), uncovered)


def expired(lots: Sequence[Lot], debits: Sequence[Debit], now: datetime) -> dict[uuid.UUID, int]:
    """Points of each lot that reached its expiry unused."""
    left = fifo(lots, debits).remaining
    return {lot.id: left[lot.id] for lot in lots
            if lot.expires_at is not None and lot.expires_at <= now and left[lot.id] > 0}


def redeemable(*, requested: int, available: int, payable_minor: int, point_value_minor: int,
               min_points: int = 0) -> int:
    """How many of the requested points a redemption may spend: never more than the balance, and never more
    than it takes to pay the rest of the order."""
    if requested <= 0 or available <= 0 or point_value_minor <= 0 or payable_minor <= 0:
        return 0
    needed = -(-payable_minor // point_value_minor)
    points = min(requested, available, needed)
    return points if points >= min_points else 0


def points_value(points: int, *, point_value_minor: int, payable_minor: int) -> int:
    """The money ``points`` are worth, never more than what is left to pay."""
    return max(0, min(points * point_value_minor, payable_minor))


def reversal(*, earned: int, quantity: int, returned_before: int, returned_now: int) -> int:
    """Points to take back for ``returned_now`` more units of a line, so that all reversals of the line add up
    to exactly its earned points once every unit has come back."""
    if quantity <= 0 or earned <= 0:
        return 0
    done = min(quantity, returned_before)
    total = min(quantity, returned_before + returned_now)
    return earned * total // quantity - earned * done // quantity
