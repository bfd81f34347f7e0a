"""Typed loaders and permission checks for inventory routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.inventory.models import Location
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import NotFound

StockReader = Annotated[Principal, Depends(Allowed(Permission.STOCK_READ))]
StockWriter = Annotated[Principal, Depends(Allowed(Permission.STOCK_WRITE))]
TransferManager = Annotated[Principal, Depends(Allowed(Permission.TRANSFERS_MANAGE))]
Purchaser = Annotated[Principal, Depends(Allowed(Permission.PURCHASING_MANAGE))]
LocationManager = Annotated[Principal, Depends(Allowed(Permission.LOCATIONS_MANAGE))]


def visible_location(location_id: uuid.UUID, session: SessionDep, actor: StockReader) -> Location:
    """The location, if it exists and the caller may see it (otherwise 404: do not confirm it exists)."""
    location = inventory_service.get_location(session=session, location_id=location_id)
    if not actor.can(Permission.STOCK_READ, location.id):
        raise NotFound(f"No location {location_id}")
    return location


VisibleLocation = Annotated[Location, Depends(visible_location)]
