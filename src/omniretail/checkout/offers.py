"""The checkout's three hooks for coupons and points (owned by the promotions and loyalty issue).

Placement calls ``hold`` in step 1 inside the transaction that holds stock (claim a coupon use, hold points;
raise a DomainError to refuse), ``commit`` in step 3 inside the transaction that creates the order, and
``release`` whenever a placement fails or the repair job gives up. All three are keyed by the attempt's
``hold_ref`` and must be idempotent.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.channels import service as channels_service
from omniretail.loyalty import service as loyalty_service
from omniretail.promotions import service as promotions_service

if TYPE_CHECKING:
    from omniretail.cart.models import Cart
    from omniretail.cart.rules import Totals


def hold(*, session: Session, cart: Cart, totals: Totals, hold_ref: str, customer_id: uuid.UUID | None) -> None:
    """Claim what the cart's offers use (coupon uses, points) under ``hold_ref``: the coupons under their
    promotion's row lock, the points under the member's row lock, so concurrent checkouts cannot share them."""
    offers = cart_service.offers_for(session=session, cart=cart)  # remembered from the totals just computed
    if not offers.adjustments and not offers.notes:
        return  # no discount and no coupon left out: nothing to claim or refuse
    # With no adjustment but a note, an entered coupon was left out (its last use went to another checkout a
    # moment ago): ``promotions_service.hold`` refuses it under the promotion's lock instead of charging full price.
    chosen = loyalty_service.cart_member(session=session, cart_id=cart.id)
    member = customer_id or (chosen.customer_id if chosen else None)
    channel = channels_service.get_channel(session=session, channel_id=cart.channel_id)
    promotion_ids = {uuid.UUID(a.source.split(":", 1)[1]) for a in offers.adjustments
                     if a.source.startswith("promotion:")}
    allocations = [promotions_service.Allocation(variant_id, a.source, a.label, cut)
                   for a in offers.adjustments if not a.shipping for variant_id, cut in a.per_line]
    promotions_service.hold(session=session, hold_ref=hold_ref, cart_id=cart.id, customer_id=member,
                            channel_code=channel.code, promotion_ids=promotion_ids, allocations=allocations)
    spent = offers.points_spent
    if spent and chosen is not None:
        location = cart.location_id or _delivery_location(cart)
        loyalty_service.hold_points(session=session, hold_ref=hold_ref, customer_id=chosen.customer_id,
                                    points=spent, location_id=location, channel_code=channel.code)


def _delivery_location(cart: Cart) -> uuid.UUID | None:
    raw = (cart.delivery or {}).get("location_id")
    return uuid.UUID(str(raw)) if raw else None


def commit(*, session: Session, hold_ref: str, order_id: uuid.UUID, order_number: str,
           plan: dict[str, Any]) -> None:
    """Make the claims under ``hold_ref`` final for the new order."""
    promotions_service.commit(session=session, hold_ref=hold_ref, order_id=order_id)
    loyalty_service.commit_points(session=session, hold_ref=hold_ref, order_id=order_id)


def release(*, session: Session, hold_ref: str) -> None:
    """Give back whatever ``hold_ref`` claimed."""
    promotions_service.release(session=session, hold_ref=hold_ref)
    loyalty_service.release_points(session=session, hold_ref=hold_ref)
