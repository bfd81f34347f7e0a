"""Where the cart asks promotions for adjustments and loyalty for points (owned by the promotions and loyalty
issue). ``cart.service.offers_for`` calls ``offers_for`` here on every re-price and total."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from omniretail.cart.rules import Offers

if TYPE_CHECKING:
    from omniretail.cart.models import Cart


def offers_for(*, session: Session, cart: Cart) -> Offers:
    """The adjustments and points that apply to ``cart`` now: none until promotions and loyalty plug in."""
    return Offers.none()
