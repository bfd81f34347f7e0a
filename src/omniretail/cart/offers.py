"""Where the cart asks promotions for adjustments and loyalty for points (owned by the promotions and loyalty
issue). ``cart.service.offers_for`` calls ``offers_for`` here on every re-price and total.

Order of the adjustments: promotions first (the engine's best deal, each allocated to lines), then the tier's
free shipping, then the points the member chose to spend, allocated over what is left of each line. The result
is kept for the rest of the transaction under a fingerprint of the cart, so checkout's hold reads it for free.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from omniretail.cart.rules import Adjustment, Offers
from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.kernel import clock
from omniretail.kernel.money import Money
from omniretail.loyalty import rules as loyalty_rules
from omniretail.loyalty import service as loyalty_service
from omniretail.promotions import rules as promotion_rules
from omniretail.promotions import service as promotions_service

if TYPE_CHECKING:
    from omniretail.cart.models import Cart

_CACHE = "cart.offers"  # promotions and loyalty services drop it when a cart's coupons or points change
_FACTS = "cart.offers.facts"


def _fingerprint(cart: Cart) -> tuple[object, ...]:
    lines = tuple((ln.variant_id, ln.quantity, ln.unit_price_minor) for ln in cart.lines)
    delivery = int((cart.delivery or {}).get("price_minor", 0))
    return cart.id, lines, delivery, cart.customer_id, cart.location_id, clock.now().replace(second=0, microsecond=0)


def _facts(session: Session, product_ids: list[uuid.UUID]) -> dict[uuid.UUID, catalog_service.PromotionFacts]:
    known: dict[uuid.UUID, catalog_service.PromotionFacts] = session.info.setdefault(_FACTS, {})
    missing = [p for p in product_ids if p not in known]
    if missing:
        known.update(catalog_service.promotion_facts(session=session, product_ids=missing))
    return known


def offers_for(*, session: Session, cart: Cart) -> Offers:
    """The adjustments and points that apply to ``cart`` now, each explained and allocated to lines."""
    key = _fingerprint(cart)
    cached = session.info.get(_CACHE)
    if isinstance(cached, tuple) and cached[0] == key:
        offers: Offers = cached[1]
        return offers
    offers = _compute(session, cart)
    session.info[_CACHE] = (key, offers)
    return offers


def forget(session: Session) -> None:
    """Drop the remembered offers (after a coupon or points change in the same transaction)."""
    session.info.pop(_CACHE, None)


def _compute(session: Session, cart: Cart) -> Offers:
    priced = [ln for ln in cart.lines if ln.unit_price_minor is not None and ln.quantity > 0]
    if not priced:
        return Offers.none()
    channel = channels_service.get_channel(session=session, channel_id=cart.channel_id)
    chosen = loyalty_service.cart_member(session=session, cart_id=cart.id)
    member = cart.customer_id or (chosen.customer_id if chosen else None)
    tier = loyalty_service.tier_of(session=session, customer_id=member) if member else None
    products = {ln.variant_id: ln.product_id or ln.variant_id for ln in priced}
    facts = _facts(session, list(products.values()))
    lines = tuple(promotion_rules.Line(
        str(ln.variant_id), ln.variant_id, products[ln.variant_id], ln.quantity,
        Money(ln.unit_price_minor or 0, cart.currency),
        facts[products[ln.variant_id]].brand if products[ln.variant_id] in facts else "",
        facts[products[ln.variant_id]].category_ids if products[ln.variant_id] in facts else frozenset())
        for ln in priced)
    shipping = Money(int((cart.delivery or {}).get("price_minor", 0)), cart.currency)
    result = promotions_service.evaluate_cart(session=session, facts=promotions_service.CartFacts(
        cart_id=cart.id, currency=cart.currency, channel_code=channel.code, channel_kind=channel.kind,
        location_id=cart.location_id, customer_id=member, tier=tier.code if tier else None, lines=lines,
        shipping=shipping, at=clock.now()))
    redemption = None
    if chosen is not None and chosen.points > 0 and member is not None:
        settings = loyalty_service.program(session=session)
        redemption = Redemption(chosen.points,
                                loyalty_service.balance(session=session, customer_id=chosen.customer_id).available,
                                settings.point_value_minor, settings.min_redeem_points)
    tier_shipping = f"{tier.name} free shipping" if tier is not None and tier.free_shipping else None
    adjustments, remaining = build(result, lines, shipping, cart.currency, tier_shipping=tier_shipping,
                                   tier_source=f"tier:{tier.code}" if tier else "", redemption=redemption)
    notes = tuple((s.name, s.reason) for s in result.skipped)
    earned = 0
    if member is not None:
        earn_lines = [loyalty_rules.EarnLine(line.variant_id, line.product_id, remaining[line.variant_id],
                                             line.brand, line.category_ids) for line in lines]
        earned = sum(loyalty_service.estimate_points(session=session, customer_id=member, lines=earn_lines,
                                                     channel=(channel.code, channel.kind), tier=tier).values())
    return Offers(tuple(adjustments), earned, notes)


@dataclass(frozen=True)
class Redemption:
    """Points the member asked to spend, what they have available, and what a point is worth."""

    requested: int
    available: int
    point_value_minor: int
    min_points: int = 0


def build(result: promotion_rules.Evaluation, lines: Sequence[promotion_rules.Line], shipping: Money, currency: str,
          *, tier_shipping: str | None = None, tier_source: str = "", redemption: Redemption | None = None,
          ) -> tuple[list[Adjustment], dict[uuid.UUID, int]]:
    """The cart's adjustments from the engine's result, the tier's free shipping and a points redemption, each
    allocated to lines and never taking a line below zero; also what is left to pay of each line. Pure."""
    adjustments: list[Adjustment] = []
    remaining = {line.variant_id: line.total.amount_minor for line in lines}
    free_shipping = False
    for applied in result.adjustments:
        if applied.free_shipping:
            if shipping.amount_minor > 0 and not free_shipping:
                adjustments.append(Adjustment(applied.name, -shipping, f"promotion:{applied.promotion_id}",
                                              "free shipping", shipping=True))
            free_shipping = True
            continue
        per_line = tuple((uuid.UUID(line_id), min(cut.amount_minor, remaining[uuid.UUID(line_id)]))
                         for line_id, cut in applied.per_line.items())
        for variant_id, cut in per_line:
            remaining[variant_id] -= cut
        amount = sum(cut for _, cut in per_line)
        if amount > 0:
            adjustments.append(Adjustment(applied.name, Money(-amount, currency), f"promotion:{applied.promotion_id}",
                                          f"{applied.name}: {Money(amount, currency)} off", per_line=per_line))
    if tier_shipping and not free_shipping and shipping.amount_minor > 0:
        adjustments.append(Adjustment(tier_shipping, -shipping, tier_source, "a benefit of your tier", shipping=True))
    if redemption is not None:
        spend = _points(redemption, remaining, currency)
        if spend is not None:
            adjustments.append(spend)
    return adjustments, remaining


def _points(redemption: Redemption, remaining: dict[uuid.UUID, int], currency: str) -> Adjustment | None:
    payable = sum(remaining.values())
    points = loyalty_rules.redeemable(requested=redemption.requested, available=redemption.available,
                                      payable_minor=payable, point_value_minor=redemption.point_value_minor,
                                      min_points=redemption.min_points)
    value = loyalty_rules.points_value(points, point_value_minor=redemption.point_value_minor, payable_minor=payable)
    if points <= 0 or value <= 0:
        return None
    ids = list(remaining)
    shares = Money(value, currency).allocate([remaining[i] for i in ids])
    per_line = tuple((i, s.amount_minor) for i, s in zip(ids, shares, strict=True) if s.amount_minor)
    for variant_id, cut in per_line:
        remaining[variant_id] -= cut
    return Adjustment(f"{points} points", Money(-value, currency), "loyalty:points",
                      f"{points} of {redemption.available} available points", per_line=per_line, points=points)
