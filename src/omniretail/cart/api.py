"""Cart API: carts in any channel for guests (token), customers and cashiers; every change re-prices."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.cart.dependencies import CART_COOKIE, CallerDep, ValidCart
from omniretail.cart.exceptions import InvalidCartInput
from omniretail.cart.schemas import (
    AdjustmentRead,
    CartCreate,
    CartRead,
    LineCreate,
    LineRead,
    LineUpdate,
    MemberIn,
    PriceOverrideIn,
    TotalsRead,
)
from omniretail.channels import service as channels_service
from omniretail.customers import service as customers_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import FieldError, NotAuthenticated, PermissionDenied
from omniretail.kernel.http import client_ip

router = APIRouter(tags=["cart"])


def read_cart(session: Session, cart: cart_service.Cart, token: str | None = None) -> CartRead:
    t = cart_service.cart_totals(session=session, cart=cart)
    offers = cart_service.offers_for(session=session, cart=cart)
    return CartRead(id=cart.id, channel_id=cart.channel_id, currency=cart.currency, status=cart.status,
                    customer_id=cart.customer_id, location_id=cart.location_id, email=cart.email, phone=cart.phone,
                    delivery=cart.delivery, order_id=cart.order_id,
                    lines=[LineRead.model_validate(ln) for ln in cart.lines],
                    totals=TotalsRead(subtotal_minor=t.subtotal.amount_minor, tax_minor=t.tax.amount_minor,
                                      shipping_minor=t.shipping.amount_minor, discount_minor=t.discount.amount_minor,
                                      total_minor=t.total.amount_minor, points=t.points, weight_grams=t.weight_grams),
                    purchasable=bool(cart.lines) and not cart_service.problems(cart), token=token,
                    adjustments=[AdjustmentRead(label=a.label, reason=a.reason, amount_minor=a.amount.amount_minor,
                                                points=a.points) for a in offers.adjustments],
                    notes=[f"{label}: {reason}" for label, reason in offers.notes])


@router.post("/carts", status_code=201, response_model=CartRead)
def create_cart(body: CartCreate, session: SessionDep, caller: CallerDep, response: Response) -> CartRead:
    """Start a cart (a signed-in customer gets back their open cart in this channel, on any device)."""
    channel = channels_service.find_channel(session=session, ref=body.channel)
    staff_id = None
    if body.location_id is not None:
        if caller.staff is None:
            raise NotAuthenticated("Sign in at the register to sell at a store")
        if not caller.staff.can(Permission.POS_SELL, body.location_id):
            raise PermissionDenied("You may not sell at this store")
        staff_id = caller.staff.staff_id
    elif caller.customer_id is not None:
        mine = cart_service.open_cart_for(session=session, customer_id=caller.customer_id, channel_id=channel.id)
        if mine is not None:
            response.status_code = 200
            return read_cart(session, mine)
    cart, token = cart_service.create_cart(session=session, channel_id=channel.id,
                                           customer_id=None if staff_id else caller.customer_id,
                                           location_id=body.location_id, staff_id=staff_id, email=body.email)
    response.set_cookie(CART_COOKIE, token, httponly=True, samesite="lax", max_age=30 * 86400, path="/")
    response.headers["x-cart-token"] = token
    return read_cart(session, cart, token)


@router.get("/carts/{cart_id}", response_model=CartRead)
def get_cart(cart: ValidCart, session: SessionDep) -> CartRead:
    """The cart as priced at its last change."""
    return read_cart(session, cart)


@router.post("/carts/{cart_id}/lines", status_code=201, response_model=CartRead)
def add_line(body: LineCreate, cart: ValidCart, session: SessionDep) -> CartRead:
    """Add an item by variant id or SKU; the cart is re-priced and says why a line cannot be bought."""
    if body.variant_id is None and body.sku is None:
        raise InvalidCartInput(errors=[FieldError(("body", "sku"), "give a variant_id or a sku")])
    cart = cart_service.add_line(session=session, cart=cart, variant_id=body.variant_id, sku=body.sku,
                                 quantity=body.quantity)
    return read_cart(session, cart)


@router.patch("/carts/{cart_id}/lines/{line_id}", response_model=CartRead)
def update_line(line_id: uuid.UUID, body: LineUpdate, cart: ValidCart, session: SessionDep) -> CartRead:
    """Change a line's quantity (0 removes it)."""
    return read_cart(session, cart_service.set_quantity(session=session, cart=cart, line_id=line_id,
                                                        quantity=body.quantity))


@router.delete("/carts/{cart_id}/lines/{line_id}", response_model=CartRead)
def delete_line(line_id: uuid.UUID, cart: ValidCart, session: SessionDep) -> CartRead:
    """Remove a line."""
    return read_cart(session, cart_service.remove_line(session=session, cart=cart, line_id=line_id))


@router.put("/carts/{cart_id}/lines/{line_id}/price", response_model=CartRead)
def override_price(line_id: uuid.UUID, body: PriceOverrideIn, request: Request, cart: ValidCart,
                   session: SessionDep, caller: CallerDep) -> CartRead:
    """At the till: set a line's price by hand, with a reason (``pos.override_price`` at that store), or give the
    shelf price back; the change goes to the audit log."""
    if caller.staff is None or cart.location_id is None:
        raise PermissionDenied("Only store staff set a price by hand")
    if not caller.staff.can(Permission.POS_OVERRIDE_PRICE, cart.location_id):
        raise PermissionDenied("You may not change prices at this store",
                               permission=Permission.POS_OVERRIDE_PRICE.value)
    line = next((ln for ln in cart.lines if ln.id == line_id), None)
    before = line.unit_price_minor if line is not None else None
    cart = cart_service.override_price(session=session, cart=cart, line_id=line_id, amount_minor=body.amount_minor,
                                       reason=body.reason, actor=caller.actor)
    identity_service.audit(session=session, actor=caller.staff, action="pos.price_override", target_type="cart",
                           target_id=str(cart.id), location_id=cart.location_id, ip=client_ip(request),
                           details={"sku": line.sku if line else None, "from_minor": before,
                                    "to_minor": body.amount_minor, "reason": body.reason.strip()[:200]})
    return read_cart(session, cart)


@router.post("/carts/{cart_id}/claim", response_model=CartRead)
def claim_cart(cart: ValidCart, session: SessionDep, caller: CallerDep) -> CartRead:
    """After sign-in: give the guest cart to the customer, merged into their open cart if they have one."""
    if caller.customer_id is None:
        raise NotAuthenticated("Sign in to your account")
    return read_cart(session, cart_service.claim(session=session, cart=cart, customer_id=caller.customer_id))


@router.put("/carts/{cart_id}/member", response_model=CartRead)
def set_member(body: MemberIn, cart: ValidCart, session: SessionDep, caller: CallerDep) -> CartRead:
    """At the till: name the member being served (found by phone, card or QR), or nobody."""
    if caller.staff is None or cart.location_id is None:
        raise PermissionDenied("Only a cashier names the member of a store sale")
    if not caller.staff.can(Permission.POS_SELL, cart.location_id):
        raise PermissionDenied("You may not sell at this store")
    member_id = None
    if body.customer_id is not None:
        member = customers_service.find_profile(session=session, customer_id=body.customer_id)  # follows merges
        if member is None:
            raise InvalidCartInput(errors=[FieldError(("body", "customer_id"), "no such member")])
        member_id = member.id
    return read_cart(session, cart_service.set_member(session=session, cart=cart, customer_id=member_id))
