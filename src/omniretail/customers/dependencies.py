"""Typed permission checks and loaders for customers routes. Customers are not tied to a store, so a permission
held at any location lets staff see customers (a franchise owner's cashiers look members up too)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from omniretail.customers import service
from omniretail.customers.models import Profile
from omniretail.identity.dependencies import OptionalCustomer, optional_staff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import NotAuthenticated, PermissionDenied


def any_of(*permissions: Permission) -> Callable[..., object]:
    """A dependency that returns the staff caller if their roles carry one of ``permissions`` somewhere. A signed-in
    shopper gets 403 (this is staff data, not theirs), nobody signed in 401."""

    async def check(principal: Annotated[Principal | None, Depends(optional_staff)],
                    shopper: OptionalCustomer) -> Principal:
        if principal is None:
            if shopper is not None:
                raise PermissionDenied("Shoppers see their own profile under /me/profile",
                                       permission=permissions[0].value)
            raise NotAuthenticated("Sign in or send an API token")
        if not any(principal.can(p) for p in permissions):
            raise PermissionDenied(f"Your roles do not allow {' or '.join(p.value for p in permissions)}",
                                   permission=permissions[0].value)
        return principal

    return check


CustomerReader = Annotated[Principal, Depends(any_of(Permission.CUSTOMERS_READ))]
CustomerManager = Annotated[Principal, Depends(any_of(Permission.CUSTOMERS_MANAGE))]
Enroller = Annotated[Principal, Depends(any_of(Permission.CUSTOMERS_MANAGE, Permission.POS_SELL))]
SegmentManager = Annotated[Principal, Depends(any_of(Permission.CUSTOMERS_MANAGE, Permission.MARKETING_MANAGE))]


def known_customer(customer_id: uuid.UUID, session: SessionDep, staff: CustomerReader) -> Profile:
    """The customer's profile (a merged id leads to the survivor), or 404."""
    return service.get_profile(session=session, customer_id=customer_id)


KnownCustomer = Annotated[Profile, Depends(known_customer)]
