"""Loyalty API: members' balances and histories, the programme, tiers and earn rules, and the inter-store
settlement report for franchise owners (scoped to their stores)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from omniretail.identity.dependencies import Allowed, CurrentCustomer
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import FieldError
from omniretail.loyalty import rewards
from omniretail.loyalty import service as loyalty_service
from omniretail.loyalty.exceptions import InvalidLoyaltyInput
from omniretail.loyalty.schemas import (
    AccountRead,
    AdjustmentCreate,
    CouponRead,
    EarnRuleIn,
    EarnRuleRead,
    EntryRead,
    ProgramRead,
    ProgramUpdate,
    ReferralCodeRead,
    ReferralIn,
    ReferralRead,
    RewardIn,
    RewardRead,
    SettlementRead,
    SettlementRowRead,
    SummaryRead,
    TierIn,
    TierRead,
)

router = APIRouter(tags=["loyalty"])
Reader = Annotated[Principal, Depends(Allowed(Permission.CUSTOMERS_READ))]
Manager = Annotated[Principal, Depends(Allowed(Permission.LOYALTY_MANAGE))]
Analyst = Annotated[Principal, Depends(Allowed(Permission.ANALYTICS_READ))]


def _account(session: Session, customer_id: uuid.UUID) -> AccountRead:
    summary = loyalty_service.summary_for(session=session, customer_id=customer_id)
    return AccountRead(summary=SummaryRead.model_validate(summary.__dict__),
                       entries=[EntryRead.model_validate(e) for e in loyalty_service.history(
                           session=session, customer_id=customer_id)])


@router.get("/loyalty/accounts/{customer_id}", response_model=AccountRead)
def get_account(customer_id: uuid.UUID, session: SessionDep, _: Reader) -> AccountRead:
    """A member's tier, available and pending points, and latest ledger entries (for the till and support)."""
    return _account(session, customer_id)


@router.post("/loyalty/accounts/{customer_id}/adjustments", status_code=201, response_model=AccountRead)
def adjust_points(customer_id: uuid.UUID, body: AdjustmentCreate, session: SessionDep, _: Manager) -> AccountRead:
    """Correct a member's points with a note (a ledger entry; nothing is edited)."""
    loyalty_service.adjust(session=session, customer_id=customer_id, points=body.points, note=body.note)
    return _account(session, customer_id)


@router.get("/me/loyalty", response_model=AccountRead)
def my_loyalty(session: SessionDep, customer: CurrentCustomer) -> AccountRead:
    """The signed-in customer's tier, points and history."""
    return _account(session, customer.id)


@router.get("/loyalty/program", response_model=ProgramRead)
def get_program(session: SessionDep, _: Manager) -> ProgramRead:
    """The programme's settings."""
    return ProgramRead.model_validate(loyalty_service.program(session=session).__dict__)


@router.put("/loyalty/program", response_model=ProgramRead)
def put_program(body: ProgramUpdate, session: SessionDep, _: Manager) -> ProgramRead:
    """Change the programme's settings."""
    loyalty_service.configure(session=session, **body.model_dump())
    return ProgramRead.model_validate(loyalty_service.program(session=session).__dict__)


@router.get("/loyalty/tiers", response_model=list[TierRead])
def list_tiers(session: SessionDep) -> list[TierRead]:
    """The tiers, lowest first, with their benefits (public)."""
    return [TierRead.model_validate(t.__dict__) for t in loyalty_service.tiers(session=session)]


@router.put("/loyalty/tiers/{code}", response_model=TierRead)
def put_tier(code: str, body: TierIn, session: SessionDep, _: Manager) -> TierRead:
    """Create or change a tier."""
    if not code or len(code) > 40 or not code.replace("-", "").replace("_", "").isalnum():
        raise InvalidLoyaltyInput(errors=[FieldError(("path", "code"), "letters, digits, - and _")])
    tier = loyalty_service.define_tier(session=session, code=code, **body.model_dump())
    return TierRead.model_validate(tier)


@router.get("/loyalty/rules", response_model=list[EarnRuleRead])
def list_rules(session: SessionDep, _: Manager) -> list[EarnRuleRead]:
    """Earn bonuses, campaigns and exclusions."""
    return [EarnRuleRead.model_validate(r) for r in loyalty_service.list_earn_rules(session=session)]


@router.post("/loyalty/rules", status_code=201, response_model=EarnRuleRead)
def add_rule(body: EarnRuleIn, session: SessionDep, _: Manager) -> EarnRuleRead:
    """Add an earn bonus (by category, brand, channel), a dated campaign multiplier or an exclusion."""
    return EarnRuleRead.model_validate(loyalty_service.add_earn_rule(session=session, **body.model_dump()))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@router.get("/loyalty/settlement", response_model=SettlementRead)
def settlement(session: SessionDep, staff: Analyst, start: Annotated[datetime, Query(alias="from")],
               end: Annotated[datetime, Query(alias="to")]) -> SettlementRead:
    """Points redeemed in the period by issuing and honouring store, for the stores the caller may see."""
    start, end = _utc(start), _utc(end)
    if end <= start:
        raise InvalidLoyaltyInput(errors=[FieldError(("query", "to"), "must be after from")])
    places = staff.locations_for(Permission.ANALYTICS_READ)
    rows = loyalty_service.settlement(session=session, start=start, end=end,
                                      location_ids=None if places is None else frozenset(places))
    return SettlementRead(start=start, end=end, rows=[SettlementRowRead.model_validate(r.__dict__) for r in rows])


@router.get("/loyalty/rewards", response_model=list[RewardRead])
def list_rewards(session: SessionDep) -> list[RewardRead]:
    """The rewards catalog: what points can buy (public)."""
    return [RewardRead.model_validate(r) for r in rewards.rewards(session=session)]


@router.post("/loyalty/rewards", status_code=201, response_model=RewardRead)
def add_reward(body: RewardIn, session: SessionDep, _: Manager) -> RewardRead:
    """Put a reward in the catalog: points buy a single-use coupon of a promotion."""
    return RewardRead.model_validate(rewards.add_reward(session=session, **body.model_dump()))


@router.post("/me/loyalty/rewards/{code}/redeem", status_code=201, response_model=CouponRead)
def redeem_reward(code: str, session: SessionDep, customer: CurrentCustomer) -> CouponRead:
    """Spend points on a reward; the answer is the coupon code, usable only by you."""
    return CouponRead(coupon=rewards.redeem_reward(session=session, customer_id=customer.id, code=code))


@router.get("/me/loyalty/referral", response_model=ReferralCodeRead)
def my_referral_code(session: SessionDep, customer: CurrentCustomer) -> ReferralCodeRead:
    """Your code to give friends: you both earn points on their first order."""
    return ReferralCodeRead(code=rewards.referral_code_of(session=session, customer_id=customer.id))


@router.post("/me/loyalty/referral", status_code=201, response_model=ReferralRead)
def use_referral(body: ReferralIn, session: SessionDep, customer: CurrentCustomer) -> ReferralRead:
    """Say which member referred you (once, before your first order)."""
    referral = rewards.refer(session=session, referral_code=body.code, new_customer_id=customer.id)
    return ReferralRead(referrer_id=referral.referrer_id, status=referral.status)
