"""Checkout API: delivery options and choice, placing the order, and inbound marketplace orders.

The checkout routes do not take the request-wide session: placement opens its own short transactions so none is
open while the gateway is called.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request

from omniretail.cart import service as cart_service
from omniretail.cart.api import read_cart
from omniretail.cart.dependencies import CallerDep, ValidCart, csrf_for_cookies, load_cart, resolve_caller
from omniretail.cart.schemas import CartRead
from omniretail.channels import service as channels_service
from omniretail.checkout import placement
from omniretail.checkout import service as checkout_service
from omniretail.checkout.exceptions import CartNotPurchasable, InvalidDelivery
from omniretail.checkout.rules import Address
from omniretail.checkout.schemas import (
    CheckoutIn,
    DeliveryChoice,
    DeliveryOptionsRead,
    InboundOrder,
    OrderPlacedRead,
)
from omniretail.identity.rules import Permission
from omniretail.kernel.deps import DatabaseDep, SessionDep
from omniretail.kernel.errors import FieldError, NotAuthenticated, PermissionDenied
from omniretail.ordering import service as ordering_service
from omniretail.payments import qr
from omniretail.payments.exceptions import PaymentNeedsAction
from omniretail.payments.rules import TenderRequest

router = APIRouter(tags=["checkout"])
IdempotencyKey = Annotated[str, Header(alias="idempotency-key", min_length=8, max_length=200)]


@router.get("/carts/{cart_id}/delivery-options", response_model=DeliveryOptionsRead)
def delivery_options(cart: ValidCart, session: SessionDep, country: str | None = None,
                     latitude: float | None = None, longitude: float | None = None) -> DeliveryOptionsRead:
    """Shipping rates to a country, pickup stores nearest first with the cart's availability, delivery windows."""
    if (latitude is None) != (longitude is None) or (latitude is not None and not -90 <= latitude <= 90) or (
            longitude is not None and not -180 <= longitude <= 180):
        raise InvalidDelivery(errors=[FieldError(("query", "latitude"), "give both, in range")])
    options = checkout_service.delivery_options(session=session, cart=cart, country=country, latitude=latitude,
                                                longitude=longitude)
    return DeliveryOptionsRead.model_validate({
        "methods": options.methods, "shipping": [asdict(q) for q in options.shipping],
        "pickup_stores": [{**asdict(s), "has_everything": s.has_everything} for s in options.pickup_stores],
        "windows": [asdict(w) for w in options.windows], "same_day_price_minor": options.same_day_price_minor})


@router.put("/carts/{cart_id}/delivery", response_model=CartRead)
def choose_delivery(body: DeliveryChoice, cart: ValidCart, session: SessionDep) -> CartRead:
    """Choose delivery to an address, pickup in a store, or a local-delivery window."""
    address = Address(**body.address.model_dump()) if body.address else None
    cart = checkout_service.choose_delivery(session=session, cart=cart, method=body.method, address=address,
                                            location_id=body.location_id, window_start=body.window_start,
                                            window_end=body.window_end, email=body.email, phone=body.phone)
    return read_cart(session, cart)


@router.post("/carts/{cart_id}/checkout", status_code=201, response_model=OrderPlacedRead,
             dependencies=[Depends(csrf_for_cookies)])
def checkout(cart_id: uuid.UUID, body: CheckoutIn, request: Request, db: DatabaseDep,
             idempotency_key: IdempotencyKey) -> OrderPlacedRead:
    """Place the order: re-price, hold stock, take payment, create the order. Same key, same order."""
    with db.transaction() as session:
        caller = resolve_caller(request, session)
        load_cart(session, caller, cart_id, with_lines=False)
    tenders = [TenderRequest(**t.model_dump(exclude_none=True)) for t in body.tenders]
    try:
        placed = placement.place_order(db=db, cart_id=cart_id, idempotency_key=idempotency_key, tenders=tenders,
                                       actor=caller.actor, customer_id=caller.customer_id)
    except PaymentNeedsAction as waiting:
        request_id = waiting.extra.get("payment_request_id")
        if isinstance(request_id, str):
            # The phone opens this link (from the QR code); the token is signed with the app's secret.
            token = qr.sign(secret=request.app.state.settings.effective_secret_key(),
                            request_id=uuid.UUID(request_id))
            waiting.extra.update(next_action=str(request.url_for("qr_payment_page", token=token)),
                                 qr_svg=str(request.url_for("qr_payment_code", token=token)))
        raise
    return OrderPlacedRead(order_id=placed.order_id, number=placed.number, replayed=placed.replayed)


@router.post("/integrations/{platform}/orders", status_code=201, response_model=OrderPlacedRead,
             dependencies=[Depends(csrf_for_cookies)])
def inbound_order(platform: str, body: InboundOrder,
                  request: Request, db: DatabaseDep) -> OrderPlacedRead:
    """Take in an order a marketplace or delivery platform already took payment for; it lands on the order list."""
    if not platform.isidentifier() or len(platform) > 40:
        raise InvalidDelivery(errors=[FieldError(("path", "platform"), "letters, digits, _")])
    key = f"{platform}:{body.external_id}"
    with db.transaction() as session:
        caller = resolve_caller(request, session)
        if caller.staff is None:
            raise NotAuthenticated("Send the integration's API token")
        if not caller.staff.can(Permission.INTEGRATIONS_MANAGE):
            raise PermissionDenied("Your token may not submit integration orders")
        existing = ordering_service.order_by_external(session=session, platform=platform,
                                                      external_id=body.external_id)
        if existing is not None:
            return OrderPlacedRead(order_id=existing.id, number=existing.number, replayed=True)
        channel = channels_service.find_channel(session=session, ref=body.channel)
        cart, _ = cart_service.create_cart(session=session, channel_id=channel.id, email=body.email)
        for i, line in enumerate(body.lines):
            try:
                cart_service.add_line(session=session, cart=cart, sku=line.sku, quantity=line.quantity)
            except cart_service.InvalidCartInput as exc:
                raise CartNotPurchasable(errors=[FieldError(("body", "lines", i, "sku"), "unknown SKU")]) from exc
        external = {"platform": platform, "id": body.external_id}
        delivery: dict[str, object] = {"method": "platform_courier", "price_minor": 0, "external": external}
        if body.location_id:
            delivery.update(location_id=str(body.location_id))
        if body.address:
            delivery["address"] = body.address.model_dump()
        cart_service.set_delivery(session=session, cart=cart, delivery=delivery, location_id=body.location_id)
        cart_id, total = cart.id, cart_service.cart_totals(session=session, cart=cart).total.amount_minor
    placed = placement.place_order(db=db, cart_id=cart_id, idempotency_key=key, actor=f"integration:{platform}",
                                   tenders=[TenderRequest("marketplace", amount_minor=total,
                                                          external_ref=body.external_id)])
    return OrderPlacedRead(order_id=placed.order_id, number=placed.number, replayed=placed.replayed)


__all__ = ["CallerDep", "router"]
