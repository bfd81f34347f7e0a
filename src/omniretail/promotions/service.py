"""Promotions use cases: promotions and coupons as data, the engine (``promotions.rules``) run on a cart, coupon
uses claimed at checkout under the promotion's row lock, and each order's discount kept per line. Flush, never
commit."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from omniretail.customers import service as customers_service
from omniretail.kernel import clock
from omniretail.kernel.db import conflict_insert
from omniretail.kernel.errors import DomainError, FieldError
from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.promotions import rules
from omniretail.promotions.exceptions import (
    CouponAlreadyUsed,
    CouponExhausted,
    CouponInvalid,
    CouponNotOnCart,
    InvalidPromotion,
    OneCouponPerOrder,
    PromotionNotFound,
)
from omniretail.promotions.models import CartCoupon, Coupon, CouponUse, LineAllocation, Promotion

HELD, USED, RELEASED = "held", "used", "released"
CLAIMED = (HELD, USED)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CACHE = "promotions.active"
CART_OFFERS = "cart.offers"  # the cart's per-transaction memo of its offers, stale once its coupons change

# -- promotions as data ----------------------------------------------------------------------------------------

_UUID_SETS = ("product_ids", "variant_ids", "category_ids", "exclude_product_ids", "exclude_category_ids")


def _scope(data: Mapping[str, Any]) -> rules.Scope:
    sets: dict[str, Any] = {k: frozenset(uuid.UUID(str(v)) for v in data.get(k) or ()) for k in _UUID_SETS}
    return rules.Scope(brands=frozenset(data.get("brands") or ()), exclude_brands=frozenset(
        data.get("exclude_brands") or ()), **sets)


def to_rule(promotion: Promotion, coupon_code: str | None = None) -> rules.Promotion:
    """The engine's view of a stored promotion (with the coupon code the cart holds, if it needs one)."""
    c = promotion.conditions or {}
    hours = c.get("hours")
    conditions = rules.Conditions(
        channels=frozenset(c.get("channels") or ()),
        location_ids=frozenset(uuid.UUID(str(x)) for x in c.get("location_ids") or ()),
        segments=frozenset(c.get("segments") or ()), tiers=frozenset(c.get("tiers") or ()),
        starts_at=promotion.starts_at, ends_at=promotion.ends_at, weekdays=frozenset(c.get("weekdays") or ()),
        hours=(int(hours[0]), int(hours[1])) if hours else None, min_quantity=int(c.get("min_quantity") or 0),
        min_spend_minor=int(c.get("min_spend_minor") or 0),
        coupon_code=(coupon_code or "\0") if promotion.requires_coupon else None,
        first_order_only=promotion.first_order_only, per_customer_limit=promotion.per_customer_limit)
    return rules.Promotion(
        id=promotion.id, name=promotion.name, kind=rules.BenefitKind(promotion.kind),
        percent=Decimal(promotion.percent_bp) / 100, amount_minor=promotion.amount_minor, buy=promotion.buy,
        get=promotion.get, gift_variant_id=promotion.gift_variant_id, priority=promotion.priority,
        exclusive=promotion.exclusive, group=promotion.group_code, scope=_scope(promotion.scope or {}),
        conditions=conditions)


@dataclass(frozen=True)
class PromotionInput:
    name: str
    kind: str
    description: str = ""
    percent_bp: int = 0
    amount_minor: int = 0
    buy: int = 0
    get: int = 0
    gift_variant_id: uuid.UUID | None = None
    priority: int = 100
    exclusive: bool = False
    group_code: str | None = None
    scope: dict[str, Any] | None = None
    conditions: dict[str, Any] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    active: bool = True
    requires_coupon: bool = False
    usage_limit: int | None = None
    per_customer_limit: int | None = None
    first_order_only: bool = False


def _check(promotion: Promotion) -> None:
    errors = []
    if promotion.kind not in {k.value for k in rules.BenefitKind}:
        errors.append(FieldError(("body", "kind"), "unknown kind"))
    if promotion.kind == rules.BenefitKind.PERCENT_OFF and not 0 < promotion.percent_bp <= 10000:
        errors.append(FieldError(("body", "percent_bp"), "between 1 and 10000 (hundredths of a percent)"))
    if promotion.kind in (rules.BenefitKind.BUY_X_GET_Y, rules.BenefitKind.BUNDLE_PRICE) and promotion.buy < 1:
        errors.append(FieldError(("body", "buy"), "at least 1"))
    if promotion.kind == rules.BenefitKind.GIFT and promotion.gift_variant_id is None:
        errors.append(FieldError(("body", "gift_variant_id"), "required for a gift"))
    if promotion.starts_at and promotion.ends_at and promotion.ends_at <= promotion.starts_at:
        errors.append(FieldError(("body", "ends_at"), "must be after starts_at"))
    try:
        to_rule(promotion)
    except (ValueError, TypeError, IndexError):
        errors.append(FieldError(("body", "conditions"), "not valid"))
    if errors:
        raise InvalidPromotion(errors=errors)


def create_promotion(*, session: Session, data: PromotionInput) -> Promotion:
    """Define a promotion (automatic, or unlocked by its coupons when ``requires_coupon``)."""
    values = {**data.__dict__, "scope": data.scope or {}, "conditions": data.conditions or {}}
    promotion = Promotion(id=new_id(), updated_at=clock.now(), **values)
    _check(promotion)
    session.add(promotion)
    session.flush()
    session.info.pop(_CACHE, None)
    return promotion


def update_promotion(*, session: Session, promotion_id: uuid.UUID, changes: Mapping[str, Any]) -> Promotion:
    """Change some fields of a promotion (uses already claimed stay claimed)."""
    promotion = get_promotion(session=session, promotion_id=promotion_id)
    for key, value in changes.items():
        setattr(promotion, key, value)
    promotion.updated_at = clock.now()
    _check(promotion)
    session.flush()
    session.info.pop(_CACHE, None)
    return promotion


def get_promotion(*, session: Session, promotion_id: uuid.UUID) -> Promotion:
    """One promotion."""
    promotion = session.get(Promotion, promotion_id)
    if promotion is None:
        raise PromotionNotFound()
    return promotion


def find_promotion(*, session: Session, ref: str) -> uuid.UUID | None:
    """A promotion's id from its id or its exact name."""
    try:
        wanted = uuid.UUID(ref)
    except ValueError:
        return session.scalar(select(Promotion.id).where(Promotion.name == ref).order_by(Promotion.id).limit(1))
    return session.scalar(select(Promotion.id).where(Promotion.id == wanted))


def list_promotions(*, session: Session, active: bool | None = None) -> list[Promotion]:
    """Every promotion, by priority."""
    stmt = select(Promotion).order_by(Promotion.priority, Promotion.id)
    if active is not None:
        stmt = stmt.where(Promotion.active.is_(active))
    return list(session.scalars(stmt))


def usage(*, session: Session, promotion_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Claimed uses (held or used) per promotion."""
    rows = session.execute(select(CouponUse.promotion_id, func.count()).where(
        CouponUse.promotion_id.in_(list(promotion_ids)), CouponUse.status.in_(CLAIMED))
        .group_by(CouponUse.promotion_id))
    return {pid: int(n) for pid, n in rows}


# -- coupons ---------------------------------------------------------------------------------------------------

def normalize(code: str) -> str:
    return code.strip().upper()


def create_coupon(*, session: Session, promotion_id: uuid.UUID, code: str, usage_limit: int | None = None,
                  customer_id: uuid.UUID | None = None, batch: str | None = None) -> Coupon:
    """Add one code to a promotion."""
    promotion = get_promotion(session=session, promotion_id=promotion_id)
    code = normalize(code)
    if not 3 <= len(code) <= 40 or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise InvalidPromotion(errors=[FieldError(("body", "code"), "3 to 40 letters, digits, - or _")])
    if session.scalar(select(Coupon.id).where(Coupon.code == code)) is not None:
        raise InvalidPromotion(errors=[FieldError(("body", "code"), "this code exists already")])
    promotion.requires_coupon = True
    coupon = Coupon(id=new_id(), promotion_id=promotion.id, code=code, usage_limit=usage_limit,
                    customer_id=customer_id, batch=batch, created_at=clock.now())
    session.add(coupon)
    session.flush()
    session.info.pop(_CACHE, None)
    return coupon


def generate_coupons(*, session: Session, promotion_id: uuid.UUID, count: int, prefix: str = "",
                     usage_limit: int | None = 1, customer_id: uuid.UUID | None = None) -> list[str]:
    """Make ``count`` unique random codes for a promotion in one insert (single-use unless told otherwise)."""
    promotion = get_promotion(session=session, promotion_id=promotion_id)
    if not 1 <= count <= 100_000:
        raise InvalidPromotion(errors=[FieldError(("body", "count"), "1 to 100000")])
    prefix = normalize(prefix)[:16]
    batch = f"B{secrets.token_hex(4).upper()}"
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10)))
    now = clock.now()
    rows = [{"id": new_id(), "promotion_id": promotion.id, "code": code, "usage_limit": usage_limit,
             "customer_id": customer_id, "batch": batch, "created_at": now} for code in sorted(codes)]
    for start in range(0, len(rows), 2000):
        session.execute(conflict_insert(session)(Coupon).values(rows[start:start + 2000])
                        .on_conflict_do_nothing(index_elements=["code"]))
    promotion.requires_coupon = True
    session.flush()
    session.info.pop(_CACHE, None)
    stored = set(session.scalars(select(Coupon.code).where(Coupon.batch == batch)))
    return sorted(stored)


def _coupon(session: Session, code: str) -> tuple[Coupon, Promotion]:
    coupon = session.scalar(select(Coupon).where(Coupon.code == normalize(code)))
    promotion = session.get(Promotion, coupon.promotion_id) if coupon is not None else None
    if coupon is None or promotion is None:
        raise CouponInvalid("No coupon has this code", errors=[FieldError(("body", "code"), "unknown code")])
    return coupon, promotion


def _uses(session: Session, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(CouponUse).where(
        CouponUse.status.in_(CLAIMED), *where)) or 0)


def _check_limits(session: Session, coupon: Coupon, promotion: Promotion, customer_id: uuid.UUID | None) -> None:
    """Refuse a coupon whose uses are taken; the caller holds the promotion's row lock when claiming."""
    if coupon.customer_id is not None and coupon.customer_id != customer_id:
        raise CouponInvalid("This coupon belongs to another member")
    if promotion.usage_limit is not None and _uses(session, CouponUse.promotion_id == promotion.id) >= (
            promotion.usage_limit):
        raise CouponExhausted()
    if coupon.usage_limit is not None and _uses(session, CouponUse.coupon_id == coupon.id) >= coupon.usage_limit:
        raise CouponExhausted()
    if promotion.per_customer_limit is not None:
        if customer_id is None:
            raise CouponInvalid("Sign in (or give the member at the till) to use this coupon")
        used = _uses(session, CouponUse.promotion_id == promotion.id, CouponUse.customer_id == customer_id)
        if used >= promotion.per_customer_limit:
            raise CouponAlreadyUsed()


def apply_coupon(*, session: Session, cart_id: uuid.UUID, code: str, customer_id: uuid.UUID | None) -> None:
    """Put a coupon on a cart, or say clearly why it cannot be used."""
    coupon, promotion = _coupon(session, code)
    now = clock.now()
    if not promotion.active or (promotion.ends_at is not None and now >= promotion.ends_at):
        raise CouponInvalid("This coupon has expired")
    if promotion.starts_at is not None and now < promotion.starts_at:
        raise CouponInvalid("This coupon is not valid yet")
    _check_limits(session, coupon, promotion, customer_id)
    if promotion.first_order_only and customer_id is not None and _has_ordered(session, customer_id):
        raise CouponInvalid("This coupon is for a first order only")
    others = [c for c in cart_codes(session=session, cart_id=cart_id) if c != coupon.code]
    if others:
        raise OneCouponPerOrder(f"Remove {others[0]} first: only one coupon per order")
    session.execute(conflict_insert(session)(CartCoupon).values(
        cart_id=cart_id, code=coupon.code, coupon_id=coupon.id, customer_id=customer_id, added_at=now)
        .on_conflict_do_nothing(index_elements=["cart_id", "code"]))
    session.info.pop(_CACHE, None)
    session.info.pop(CART_OFFERS, None)


def remove_coupon(*, session: Session, cart_id: uuid.UUID, code: str) -> None:
    """Take a coupon off a cart."""
    gone = session.execute(delete(CartCoupon).where(CartCoupon.cart_id == cart_id,
                                                    CartCoupon.code == normalize(code)))
    if not int(getattr(gone, "rowcount", 0)):
        raise CouponNotOnCart()
    session.info.pop(CART_OFFERS, None)


def cart_codes(*, session: Session, cart_id: uuid.UUID) -> list[str]:
    """The coupon codes on a cart."""
    return list(session.scalars(select(CartCoupon.code).where(CartCoupon.cart_id == cart_id)
                                .order_by(CartCoupon.added_at)))


def issue_coupon(*, session: Session, promotion_id: uuid.UUID, customer_id: uuid.UUID, prefix: str) -> str:
    """A single-use code of ``promotion_id`` only ``customer_id`` may use (member gifts, rewards)."""
    return generate_coupons(session=session, promotion_id=promotion_id, count=1, prefix=prefix,
                            customer_id=customer_id)[0]


def _has_ordered(session: Session, customer_id: uuid.UUID) -> bool:
    from omniretail.ordering import service as ordering_service

    return bool(ordering_service.list_orders(session=session, customer_id=customer_id, cursor=None,
                                             limit=1).items)


# -- the engine on a cart ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CartFacts:
    """What the engine needs to know about a cart, gathered by the cart's offers hook."""

    cart_id: uuid.UUID
    currency: str
    channel_code: str
    channel_kind: str
    location_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    tier: str | None
    lines: tuple[rules.Line, ...]
    shipping: Money
    at: datetime


@dataclass(frozen=True)
class _Active:
    rows: tuple[tuple[Promotion, rules.Promotion], ...]
    at_minute: datetime


def _active(session: Session, at: datetime) -> _Active:
    minute = at.replace(second=0, microsecond=0)
    cached = session.info.get(_CACHE)
    if isinstance(cached, _Active) and cached.at_minute == minute:
        return cached
    stmt = select(Promotion).where(Promotion.active.is_(True),
                                   (Promotion.starts_at.is_(None)) | (Promotion.starts_at <= at),
                                   (Promotion.ends_at.is_(None)) | (Promotion.ends_at > at))
    found = _Active(tuple((p, to_rule(p)) for p in session.scalars(stmt)), minute)
    session.info[_CACHE] = found
    return found


def evaluate_cart(*, session: Session, facts: CartFacts) -> rules.Evaluation:
    """The best deal for the cart among the active promotions and the coupons it holds, every discount explained."""
    active = _active(session, facts.at)
    held = {c.coupon_id: c.code for c in session.scalars(
        select(CartCoupon).where(CartCoupon.cart_id == facts.cart_id))} if active.rows else {}
    coupons = {c.promotion_id: c for c in session.scalars(select(Coupon).where(Coupon.id.in_(list(held))))} \
        if held else {}
    candidates: list[rules.Promotion] = []
    skipped: list[rules.Skipped] = []
    for row, rule in active.rows:
        if row.requires_coupon:
            coupon = coupons.get(row.id)
            if coupon is None:
                continue
            rule = replace(rule, conditions=replace(rule.conditions, coupon_code=coupon.code))
        channels = rule.conditions.channels
        if channels and (facts.channel_code in channels or facts.channel_kind in channels):
            rule = replace(rule, conditions=replace(rule.conditions, channels=frozenset()))
        candidates.append(rule)
    exhausted = _exhausted(session, [r for r in candidates if r.id in coupons], coupons)
    for rule in [r for r in candidates if r.id in exhausted]:
        skipped.append(rules.Skipped(rule.id, rule.name, exhausted[rule.id]))
    candidates = [r for r in candidates if r.id not in exhausted]
    needs = {f for r in candidates for f in ("segments", "first", "uses") if _needs(r, f)}
    uses: dict[str, int] = {}
    if "uses" in needs and facts.customer_id is not None:
        for rule in candidates:
            if rule.conditions.per_customer_limit is not None and rule.conditions.coupon_code:
                uses[rule.conditions.coupon_code] = _uses(session, CouponUse.promotion_id == rule.id,
                                                          CouponUse.customer_id == facts.customer_id)
    cart = rules.Cart(
        currency=facts.currency, lines=facts.lines, at=facts.at, channel=facts.channel_code,
        location_id=facts.location_id, customer_id=facts.customer_id,
        segments=_segments(session, facts.customer_id) if "segments" in needs else frozenset(), tier=facts.tier,
        coupon_codes=frozenset(c.code for c in coupons.values()),
        first_order=facts.customer_id is not None and "first" in needs and not _has_ordered(session,
                                                                                            facts.customer_id),
        shipping=facts.shipping, gift_stock={r.gift_variant_id: 1 for r in candidates if r.gift_variant_id},
        coupon_uses=uses)
    result = rules.evaluate(cart, candidates)
    if skipped:
        result = replace(result, skipped=result.skipped + tuple(skipped))
    return result


def _needs(rule: rules.Promotion, what: str) -> bool:
    c = rule.conditions
    return {"segments": bool(c.segments), "first": c.first_order_only,
            "uses": c.per_customer_limit is not None}[what]


def _exhausted(session: Session, candidates: Sequence[rules.Promotion],
               coupons: Mapping[uuid.UUID, Coupon]) -> dict[uuid.UUID, str]:
    out: dict[uuid.UUID, str] = {}
    for rule in candidates:
        row = session.get(Promotion, rule.id)
        coupon = coupons[rule.id]
        promotion_full = row is not None and row.usage_limit is not None and _uses(
            session, CouponUse.promotion_id == rule.id) >= row.usage_limit
        code_full = coupon.usage_limit is not None and _uses(session, CouponUse.coupon_id == coupon.id) >= (
            coupon.usage_limit)
        if promotion_full or code_full:
            out[rule.id] = "this coupon has been used up"
    return out


def _segments(session: Session, customer_id: uuid.UUID | None) -> frozenset[str]:
    if customer_id is None:
        return frozenset()
    return customers_service.segment_codes_of(session=session, customer_id=customer_id)


# -- checkout: claim, make final, give back ------------------------------------------------------------------------

@dataclass(frozen=True)
class Allocation:
    variant_id: uuid.UUID
    source: str
    label: str
    amount_minor: int


def hold(*, session: Session, hold_ref: str, cart_id: uuid.UUID, customer_id: uuid.UUID | None,
         channel_code: str, promotion_ids: Iterable[uuid.UUID], allocations: Sequence[Allocation]) -> None:
    """Claim one use of every coupon the order's discount relies on (under the promotion's row lock, so two
    checkouts cannot both take the last use) and keep the discount's split over the lines."""
    applied = set(promotion_ids)
    entered = list(session.execute(select(CartCoupon, Coupon).join(Coupon, Coupon.id == CartCoupon.coupon_id)
                                   .where(CartCoupon.cart_id == cart_id)))
    for cart_coupon, coupon in sorted(entered, key=lambda pair: str(pair[1].promotion_id)):
        promotion = session.scalars(select(Promotion).where(Promotion.id == coupon.promotion_id)
                                    .with_for_update()).one()
        member = customer_id or cart_coupon.customer_id
        # A coupon the shopper entered that the offers left out because its last use went to another checkout a
        # moment ago is refused here, under the lock, rather than silently charging the full price.
        if coupon.promotion_id not in applied:
            try:
                _check_limits(session, coupon, promotion, member)
            except CouponExhausted:
                raise
            except DomainError:
                pass  # left out for a reason the cart already showed (no member, limits of this member...)
            continue
        _check_limits(session, coupon, promotion, member)
        session.execute(conflict_insert(session)(CouponUse).values(
            id=new_id(), coupon_id=coupon.id, promotion_id=promotion.id, customer_id=member, hold_ref=hold_ref,
            order_id=None, channel_code=channel_code, status=HELD, created_at=clock.now())
            .on_conflict_do_nothing(index_elements=["hold_ref", "coupon_id"]))
    rows = [{"id": new_id(), "hold_ref": hold_ref, "order_id": None, "variant_id": a.variant_id,
             "source": a.source[:80], "label": a.label[:200], "amount_minor": a.amount_minor}
            for a in allocations if a.amount_minor]
    if rows and session.scalar(select(LineAllocation.id).where(LineAllocation.hold_ref == hold_ref).limit(1)) is None:
        session.execute(conflict_insert(session)(LineAllocation).values(rows))


def commit(*, session: Session, hold_ref: str, order_id: uuid.UUID) -> None:
    """Make the coupon uses and the discount split under ``hold_ref`` the order's."""
    session.execute(update(CouponUse).where(CouponUse.hold_ref == hold_ref, CouponUse.status == HELD)
                    .values(status=USED, order_id=order_id).execution_options(synchronize_session=False))
    session.execute(update(LineAllocation).where(LineAllocation.hold_ref == hold_ref)
                    .values(order_id=order_id).execution_options(synchronize_session=False))


def release(*, session: Session, hold_ref: str) -> None:
    """Give back the coupon uses a failed checkout held."""
    session.execute(update(CouponUse).where(CouponUse.hold_ref == hold_ref, CouponUse.status == HELD)
                    .values(status=RELEASED).execution_options(synchronize_session=False))
    session.execute(delete(LineAllocation).where(LineAllocation.hold_ref == hold_ref,
                                                 LineAllocation.order_id.is_(None)))


def line_discounts(*, session: Session, order_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """The order discount allocated to each order line, by variant id, in minor units over the line's whole
    quantity (a returned unit refunds ``line_total - share * returned / quantity``)."""
    rows = session.execute(select(LineAllocation.variant_id, func.sum(LineAllocation.amount_minor))
                           .where(LineAllocation.order_id == order_id).group_by(LineAllocation.variant_id))
    return {variant_id: int(total) for variant_id, total in rows if total}


def order_adjustments(*, session: Session, order_id: uuid.UUID) -> list[Allocation]:
    """Every allocation of an order's discount (for receipts and audits)."""
    return [Allocation(a.variant_id, a.source, a.label, a.amount_minor) for a in session.scalars(
        select(LineAllocation).where(LineAllocation.order_id == order_id).order_by(LineAllocation.id))]


# -- the back office's coupon lists (web/backoffice/people.py) -------------------------------------------------------

@dataclass(frozen=True)
class CouponUsage:
    code: str
    batch: str | None
    usage_limit: int | None
    customer_id: uuid.UUID | None
    created_at: datetime
    uses: int


def coupon_usage(*, session: Session, promotion_id: uuid.UUID, batch: str | None = None, offset: int = 0,
                 limit: int | None = 50) -> tuple[list[CouponUsage], int]:
    """A promotion's coupons (optionally one batch) with their claimed uses, by code, one page and the total."""
    where = [Coupon.promotion_id == promotion_id]
    if batch:
        where.append(Coupon.batch == batch)
    total = int(session.scalar(select(func.count()).select_from(Coupon).where(*where)) or 0)
    uses = (select(CouponUse.coupon_id, func.count().label("n")).where(CouponUse.status.in_(CLAIMED))
            .group_by(CouponUse.coupon_id).subquery())
    stmt = (select(Coupon, func.coalesce(uses.c.n, 0)).outerjoin(uses, uses.c.coupon_id == Coupon.id)
            .where(*where).order_by(Coupon.code).offset(offset))
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [CouponUsage(c.code, c.batch, c.usage_limit, c.customer_id, c.created_at, int(n))
            for c, n in session.execute(stmt)]
    return rows, total


def coupon_batches(*, session: Session, promotion_id: uuid.UUID) -> list[tuple[str, int]]:
    """The batches of a promotion's generated coupons with how many codes each holds, newest last."""
    rows = session.execute(select(Coupon.batch, func.count(), func.min(Coupon.created_at))
                           .where(Coupon.promotion_id == promotion_id, Coupon.batch.is_not(None))
                           .group_by(Coupon.batch).order_by(func.min(Coupon.created_at), Coupon.batch))
    return [(str(b), int(n)) for b, n, _ in rows]
