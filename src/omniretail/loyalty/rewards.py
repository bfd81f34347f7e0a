"""Loyalty's rewards catalog and referrals (used by ``loyalty.api``; other contexts go through ``service``).

A reward turns points into a single-use coupon only the member may use. A referral pays both sides
``Program.referral_points`` when the new customer's first order is placed; one referral per new customer, and
none between people who share a phone, an e-mail or a street address (the usual way of referring oneself).
Flush, never commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.customers import service as customers_service
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError
from omniretail.kernel.ids import new_id
from omniretail.loyalty import service as loyalty_service
from omniretail.loyalty.exceptions import InvalidLoyaltyInput, NotEnoughPoints, ReferralRefused
from omniretail.loyalty.models import Account, Referral, Reward
from omniretail.loyalty.rules import Kind
from omniretail.promotions import service as promotions_service

PENDING, REWARDED = "pending", "rewarded"


def add_reward(*, session: Session, code: str, name: str, points_cost: int, promotion_id: uuid.UUID) -> Reward:
    """Put a reward in the catalog: ``points_cost`` points buy one coupon of ``promotion_id``."""
    promotions_service.get_promotion(session=session, promotion_id=promotion_id)
    if points_cost <= 0:
        raise InvalidLoyaltyInput(errors=[FieldError(("body", "points_cost"), "must be positive")])
    if session.scalar(select(Reward.id).where(Reward.code == code)) is not None:
        raise InvalidLoyaltyInput(errors=[FieldError(("body", "code"), "this code exists already")])
    reward = Reward(id=new_id(), code=code, name=name, points_cost=points_cost, promotion_id=promotion_id,
                    active=True, created_at=clock.now())
    session.add(reward)
    session.flush()
    return reward


def rewards(*, session: Session) -> list[Reward]:
    """The active rewards, cheapest first."""
    return list(session.scalars(select(Reward).where(Reward.active.is_(True)).order_by(Reward.points_cost)))


def redeem_reward(*, session: Session, customer_id: uuid.UUID, code: str) -> str:
    """Spend the reward's points (under the member's row lock) and return the member's new coupon code."""
    reward = session.scalar(select(Reward).where(Reward.code == code, Reward.active.is_(True)))
    if reward is None:
        raise InvalidLoyaltyInput("No such reward", errors=[FieldError(("path", "code"), "unknown reward")])
    loyalty_service.ensure_account(session=session, customer_id=customer_id)
    session.execute(select(Account.customer_id).where(Account.customer_id == customer_id).with_for_update())
    available = loyalty_service.balance(session=session, customer_id=customer_id).available
    if available < reward.points_cost:
        raise NotEnoughPoints(f"{available} points are available", available=available)
    coupon = promotions_service.issue_coupon(session=session, promotion_id=reward.promotion_id,
                                             customer_id=customer_id, prefix="RW-")
    loyalty_service.record_entry(session=session, ref=f"reward:{coupon}", customer_id=customer_id, kind=Kind.REWARD,
                                 points=-reward.points_cost, note=f"{reward.name}: {coupon}")
    return coupon


@dataclass(frozen=True)
class _Contact:
    email: str | None
    phone: str | None
    addresses: frozenset[tuple[str, str]]


def _contact(session: Session, customer_id: uuid.UUID) -> _Contact:
    contact = customers_service.contact_of(session=session, customer_id=customer_id)
    addresses = frozenset((a.street.strip().lower(), a.postal_code.replace(" ", "").upper())
                          for a in customers_service.addresses_of(session=session, profile_id=customer_id)
                          if a.street)
    return _Contact((contact.email or "").lower() or None if contact else None, contact.phone if contact else None,
                    addresses)


def refer(*, session: Session, referral_code: str, new_customer_id: uuid.UUID) -> Referral:
    """Record that a member with ``referral_code`` brought ``new_customer_id``; both earn points at the new
    customer's first order. Refused for a second referral, a self-referral or a shared phone, e-mail or address."""
    referrer = session.scalar(select(Account).where(Account.referral_code == referral_code.strip().upper()))
    if referrer is None:
        raise ReferralRefused("No member has this referral code")
    if referrer.customer_id == new_customer_id:
        raise ReferralRefused("You cannot refer yourself")
    if session.scalar(select(Referral.id).where(Referral.referee_id == new_customer_id)) is not None:
        raise ReferralRefused("This customer was referred already")
    if loyalty_service.balance(session=session, customer_id=new_customer_id).lifetime > 0:
        raise ReferralRefused("Referrals are for new customers")
    mine, theirs = _contact(session, new_customer_id), _contact(session, referrer.customer_id)
    if (mine.email and mine.email == theirs.email) or (mine.phone and mine.phone == theirs.phone) or (
            mine.addresses & theirs.addresses):
        raise ReferralRefused("The referrer shares a phone, e-mail or address with the new customer")
    loyalty_service.ensure_account(session=session, customer_id=new_customer_id)
    referral = Referral(id=new_id(), referrer_id=referrer.customer_id, referee_id=new_customer_id, status=PENDING,
                        reason="", created_at=clock.now())
    session.add(referral)
    session.flush()
    return referral


def reward_referral(*, session: Session, customer_id: uuid.UUID) -> bool:
    """Pay both sides of a pending referral once the new customer has ordered (idempotent)."""
    referral = session.scalar(select(Referral).where(Referral.referee_id == customer_id,
                                                     Referral.status == PENDING))
    if referral is None:
        return False
    points = loyalty_service.program(session=session).referral_points
    for member in (referral.referrer_id, referral.referee_id):
        loyalty_service.record_entry(session=session, ref=f"referral:{referral.id}:{member}", customer_id=member,
                                     kind=Kind.REFERRAL, points=points, note="referral")
    referral.status = REWARDED
    session.flush()
    return True


def referral_code_of(*, session: Session, customer_id: uuid.UUID) -> str:
    """The member's code to hand to friends."""
    loyalty_service.ensure_account(session=session, customer_id=customer_id)
    code = session.scalar(select(Account.referral_code).where(Account.customer_id == customer_id))
    assert code is not None
    return code
