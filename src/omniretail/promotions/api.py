"""Promotions API: promotions and coupons as data (``promotions.manage``), and coupons and points on a cart,
authorized exactly as the cart API authorizes the cart (its token, its customer, or staff selling at its store)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.cart.dependencies import Caller, CallerDep, ValidCart
from omniretail.cart.exceptions import CartClosed
from omniretail.cart.schemas import TotalsRead
from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import FieldError, NotAuthenticated, PermissionDenied
from omniretail.loyalty import service as loyalty_service
from omniretail.promotions import service as promotions_service
from omniretail.promotions.exceptions import InvalidPromotion
from omniretail.promotions.schemas import (
    AdjustmentRead,
    CartOffersRead,
    CouponApply,
    CouponsCreate,
    CouponsRead,
    LineShareRead,
    NoteRead,
    PointsChoice,
    PromotionCreate,
    PromotionRead,
    PromotionUpdate,
)

router = APIRouter(tags=["promotions"])
Manager = Annotated[Principal, Depends(Allowed(Permission.PROMOTIONS_MANAGE))]


def _read(session: Session, promotion: Any, uses: dict[uuid.UUID, int] | None = None
          ) -> PromotionRead:
    counts = uses if uses is not None else promotions_service.usage(session=session, promotion_ids=[promotion.id])
    return PromotionRead.model_validate(promotion).model_copy(update={"uses": counts.get(promotion.id, 0)})


@router.get("/promotions", response_model=list[PromotionRead])
def list_promotions(session: SessionDep, _: Manager, active: bool | None = None) -> list[PromotionRead]:
    """Every promotion, by priority, with its claimed uses."""
    found = promotions_service.list_promotions(session=session, active=active)
    uses = promotions_service.usage(session=session, promotion_ids=[p.id for p in found])
    return [_read(session, p, uses) for p in found]


@router.post("/promotions", status_code=201, response_model=PromotionRead)
def create_promotion(body: PromotionCreate, session: SessionDep, _: Manager) -> PromotionRead:
    """Define a promotion: its benefit, scope, conditions, stacking and limits."""
    data = body.model_dump(mode="json")
    data.update(starts_at=body.starts_at, ends_at=body.ends_at, gift_variant_id=body.gift_variant_id)
    promotion = promotions_service.create_promotion(session=session, data=promotions_service.PromotionInput(**data))
    return _read(session, promotion)


@router.get("/promotions/{promotion_id}", response_model=PromotionRead)
def get_promotion(promotion_id: uuid.UUID, session: SessionDep, _: Manager) -> PromotionRead:
    """One promotion."""
    return _read(session, promotions_service.get_promotion(session=session, promotion_id=promotion_id))


@router.patch("/promotions/{promotion_id}", response_model=PromotionRead)
def update_promotion(promotion_id: uuid.UUID, body: PromotionUpdate, session: SessionDep, _: Manager
                     ) -> PromotionRead:
    """Change some fields of a promotion."""
    changes: dict[str, Any] = body.model_dump(mode="json", exclude_unset=True)
    for key in ("starts_at", "ends_at"):
        if key in changes:
            changes[key] = getattr(body, key)
    promotion = promotions_service.update_promotion(session=session, promotion_id=promotion_id, changes=changes)
    return _read(session, promotion)


@router.delete("/promotions/{promotion_id}", response_model=PromotionRead)
def end_promotion(promotion_id: uuid.UUID, session: SessionDep, _: Manager) -> PromotionRead:
    """Switch a promotion off (its history stays)."""
    promotion = promotions_service.update_promotion(session=session, promotion_id=promotion_id,
                                                    changes={"active": False})
    return _read(session, promotion)


@router.post("/promotions/{promotion_id}/coupons", status_code=201, response_model=CouponsRead)
def create_coupons(promotion_id: uuid.UUID, body: CouponsCreate, session: SessionDep, _: Manager) -> CouponsRead:
    """Add one named code, or a batch of unique random codes (single-use unless ``usage_limit`` says otherwise)."""
    if (body.code is None) == (body.count is None):
        raise InvalidPromotion(errors=[FieldError(("body", "code"), "give either a code or a count")])
    if body.code is not None:
        coupon = promotions_service.create_coupon(session=session, promotion_id=promotion_id, code=body.code,
                                                  usage_limit=body.usage_limit)
        return CouponsRead(promotion_id=promotion_id, codes=[coupon.code])
    codes = promotions_service.generate_coupons(session=session, promotion_id=promotion_id, count=body.count or 0,
                                                prefix=body.prefix, usage_limit=body.usage_limit or 1)
    return CouponsRead(promotion_id=promotion_id, codes=codes)


# -- a cart's coupons and points -----------------------------------------------------------------------------------

def _member(caller: Caller, cart: cart_service.Cart, given: uuid.UUID | None) -> uuid.UUID | None:
    """The member a change is for: the cart's customer, or the one a cashier selling at the cart's store names."""
    at_till = bool(caller.staff and cart.staff_id is not None and cart.location_id is not None
                   and caller.staff.can(Permission.POS_SELL, cart.location_id))
    if given is not None and not at_till and given != cart.customer_id:
        raise PermissionDenied("Only a cashier at the till may name the member")
    return given or cart.customer_id or (caller.customer_id if at_till else None)


def _require_open(cart: cart_service.Cart) -> None:
    if cart.status != cart_service.OPEN:
        raise CartClosed(f"This cart is {cart.status}")


def cart_offers(session: Session, cart: cart_service.Cart) -> CartOffersRead:
    """The cart's adjustments with their reasons and line shares, the offers that did not apply and why."""
    t = cart_service.cart_totals(session=session, cart=cart)
    offers = cart_service.offers_for(session=session, cart=cart)
    chosen = loyalty_service.cart_member(session=session, cart_id=cart.id)
    return CartOffersRead(
        cart_id=cart.id, coupons=promotions_service.cart_codes(session=session, cart_id=cart.id),
        member_id=cart.customer_id or (chosen.customer_id if chosen else None),
        points_chosen=chosen.points if chosen else 0,
        adjustments=[AdjustmentRead(label=a.label, reason=a.reason, source=a.source, amount_minor=a.amount.amount_minor,
                                    shipping=a.shipping, points=a.points,
                                    lines=[LineShareRead(variant_id=v, amount_minor=m) for v, m in a.per_line])
                     for a in offers.adjustments],
        notes=[NoteRead(label=label, reason=reason) for label, reason in offers.notes],
        totals=TotalsRead(subtotal_minor=t.subtotal.amount_minor, tax_minor=t.tax.amount_minor,
                          shipping_minor=t.shipping.amount_minor, discount_minor=t.discount.amount_minor,
                          total_minor=t.total.amount_minor, points=t.points, weight_grams=t.weight_grams))


@router.get("/carts/{cart_id}/offers", response_model=CartOffersRead)
def get_cart_offers(cart: ValidCart, session: SessionDep) -> CartOffersRead:
    """Every discount on the cart explained (label, reason, share of each line) and why other offers did not apply."""
    return cart_offers(session, cart)


@router.post("/carts/{cart_id}/coupons", status_code=201, response_model=CartOffersRead)
def apply_coupon(body: CouponApply, cart: ValidCart, session: SessionDep, caller: CallerDep) -> CartOffersRead:
    """Put a coupon on the cart, or say why it cannot be used."""
    _require_open(cart)
    promotions_service.apply_coupon(session=session, cart_id=cart.id, code=body.code,
                                    customer_id=_member(caller, cart, body.customer_id))
    return cart_offers(session, cart)


@router.delete("/carts/{cart_id}/coupons/{code}", response_model=CartOffersRead)
def remove_coupon(code: str, cart: ValidCart, session: SessionDep) -> CartOffersRead:
    """Take a coupon off the cart."""
    promotions_service.remove_coupon(session=session, cart_id=cart.id, code=code)
    return cart_offers(session, cart)


@router.put("/carts/{cart_id}/points", response_model=CartOffersRead)
def choose_points(body: PointsChoice, cart: ValidCart, session: SessionDep, caller: CallerDep) -> CartOffersRead:
    """Choose how many available points to spend on the cart (0 names the member without spending)."""
    _require_open(cart)
    member = _member(caller, cart, body.customer_id)
    if member is None:
        raise NotAuthenticated("Sign in (or give the member at the till) to spend points")
    loyalty_service.set_points_redemption(session=session, cart_id=cart.id, customer_id=member, points=body.points)
    return cart_offers(session, cart)
