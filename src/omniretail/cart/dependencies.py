"""Who may use a cart: its guest token (header ``X-Cart-Token`` or cookie ``or_cart``), its customer, or staff
selling at its store. ``resolve_caller`` works inside any short transaction, so checkout can use it without
keeping the request's transaction open across the payment call."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session, joinedload, lazyload

from omniretail.cart import service as cart_service
from omniretail.cart.exceptions import CartNotFound
from omniretail.identity import service as identity_service
from omniretail.identity.dependencies import CUSTOMER_COOKIE, STAFF_COOKIE, check_csrf
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import NotAuthenticated
from omniretail.kernel.http import client_ip
from omniretail.kernel.security import same

CART_HEADER = "x-cart-token"
CART_COOKIE = "or_cart"


@dataclass(frozen=True)
class Caller:
    staff: Principal | None
    customer_id: uuid.UUID | None
    cart_token: str | None

    @property
    def actor(self) -> str:
        if self.staff is not None:
            return f"staff:{self.staff.email}"
        return f"customer:{self.customer_id}" if self.customer_id else "guest"


async def csrf_for_cookies(request: Request) -> None:
    """Cookie-authenticated changes need the CSRF header; token and bearer calls do not."""
    cookies = request.cookies.get(STAFF_COOKIE) or request.cookies.get(CUSTOMER_COOKIE)
    if cookies and not request.headers.get("authorization"):
        await check_csrf(request)


def resolve_caller(request: Request, session: Session) -> Caller:
    """The staff member, customer and cart token behind a request."""
    staff: Principal | None = None
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        staff = identity_service.resolve_token(session=session, raw=raw.strip(), ip=client_ip(request))
        if staff is None:
            raise NotAuthenticated("The API token is unknown, expired or revoked")
    elif request.cookies.get(STAFF_COOKIE):
        staff = identity_service.staff_for_session(session=session, raw=request.cookies[STAFF_COOKIE],
                                                   ip=client_ip(request))
    customer_id = None
    if request.cookies.get(CUSTOMER_COOKIE):
        account = identity_service.customer_for_session(session=session, raw=request.cookies[CUSTOMER_COOKIE])
        customer_id = account.id if account is not None else None
    token = request.headers.get(CART_HEADER) or request.cookies.get(CART_COOKIE)
    return Caller(staff, customer_id, token)


def may_use(caller: Caller, cart: cart_service.Cart) -> bool:
    """Whether the caller may see and change this cart."""
    if (caller.cart_token and same(cart_service.hash_token(caller.cart_token), cart.token_hash)
            and (cart.customer_id is None or cart.customer_id == caller.customer_id)):
        return True
    if cart.customer_id is not None and cart.customer_id == caller.customer_id:
        return True
    return bool(caller.staff and cart.staff_id is not None and cart.location_id is not None
                and caller.staff.can(Permission.POS_SELL, cart.location_id))


def load_cart(session: Session, caller: Caller, cart_id: uuid.UUID, *, with_lines: bool = True) -> cart_service.Cart:
    """The cart if the caller may use it; otherwise "not found" (never reveal that it exists). The lines come in
    the same query (or only if touched, for a caller that only checks access)."""
    lines = joinedload(cart_service.Cart.lines) if with_lines else lazyload(cart_service.Cart.lines)
    cart = session.get(cart_service.Cart, cart_id, options=[lines])
    if cart is None or not may_use(caller, cart):
        raise CartNotFound()
    return cart


def current_caller(request: Request, session: SessionDep, _csrf: Annotated[None, Depends(csrf_for_cookies)]
                   ) -> Caller:
    return resolve_caller(request, session)


CallerDep = Annotated[Caller, Depends(current_caller)]


def valid_cart(cart_id: Annotated[uuid.UUID, Path()], session: SessionDep, caller: CallerDep) -> cart_service.Cart:
    return load_cart(session, caller, cart_id)


ValidCart = Annotated[cart_service.Cart, Depends(valid_cart)]
