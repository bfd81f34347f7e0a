"""Inventory API: locations, stock levels, availability, movements and adjustments (plus the sub-routers)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from omniretail.identity.rules import Permission
from omniretail.inventory import service as inventory_service
from omniretail.inventory.counts.api import router as counts_router
from omniretail.inventory.dependencies import LocationManager, StockReader, StockWriter, VisibleLocation
from omniretail.inventory.purchasing.api import router as purchasing_router
from omniretail.inventory.rules import MovementKind
from omniretail.inventory.schemas import (
    AdjustmentCreate,
    AvailabilityQuery,
    AvailabilityRead,
    LocationCreate,
    LocationPage,
    LocationRead,
    LocationUpdate,
    MovementPage,
    MovementRead,
    NearbyRead,
    SafetyStockUpdate,
    StockPage,
    StockRead,
)
from omniretail.inventory.transfers.api import router as transfers_router
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import PermissionDenied
from omniretail.kernel.schemas import Limit

router = APIRouter(tags=["inventory"])


@router.get("/locations")
def list_locations(session: SessionDep, actor: StockReader, cursor: str | None = None, limit: Limit = 50,
                   kind: Annotated[list[str] | None, Query()] = None) -> LocationPage:
    """Warehouses and stores the caller may see."""
    page = inventory_service.page_locations(session=session, actor=actor, kinds=set(kind) if kind else None,
                                            cursor=cursor, limit=limit)
    return LocationPage(items=[LocationRead.model_validate(x) for x in page.items], next_cursor=page.next_cursor)


@router.post("/locations", status_code=201)
def create_location(body: LocationCreate, session: SessionDep, actor: LocationManager) -> LocationRead:
    """Open a warehouse, store, franchise store or dark store."""
    return LocationRead.model_validate(inventory_service.create_location(session=session, actor=actor,
                                                                         **body.model_dump()))


@router.get("/locations/{location_id}")
def get_location(location: VisibleLocation) -> LocationRead:
    """One location with its address, hours, capabilities and channels."""
    return LocationRead.model_validate(location)


@router.patch("/locations/{location_id}")
def update_location(body: LocationUpdate, location: VisibleLocation, session: SessionDep,
                    actor: LocationManager) -> LocationRead:
    """Change a location's details, hours, capabilities or channels."""
    return LocationRead.model_validate(inventory_service.update_location(
        session=session, actor=actor, location_id=location.id, **body.model_dump(exclude_unset=True)))


@router.get("/stock")
def list_stock(session: SessionDep, actor: StockReader, location_id: uuid.UUID | None = None,
               variant_id: uuid.UUID | None = None, cursor: str | None = None, limit: Limit = 50) -> StockPage:
    """Stock levels (on hand, reserved, safety stock, available) at the locations the caller may see."""
    page = inventory_service.page_levels(session=session, actor=actor, location_id=location_id,
                                         variant_id=variant_id, cursor=cursor, limit=limit)
    return StockPage(items=[StockRead.model_validate(x) for x in page.items], next_cursor=page.next_cursor)


@router.post("/stock/availability")
def query_availability(body: AvailabilityQuery, session: SessionDep, actor: StockReader) -> AvailabilityRead:
    """Availability of up to 200 variants at locations, at a channel's locations, or nearest to a point."""
    allowed = actor.locations_for(Permission.STOCK_READ)
    location_ids = body.location_ids
    if body.channel_code is not None:
        channel = [x.id for x in inventory_service.locations_for_channel(session=session,
                                                                          channel_code=body.channel_code)]
        location_ids = [x for x in location_ids if x in channel] if location_ids is not None else channel
    if allowed is not None:
        if location_ids is not None and any(x not in allowed for x in location_ids):
            raise PermissionDenied("You may not see stock at some of these locations")
        location_ids = sorted(allowed) if location_ids is None else location_ids
    nearest = None
    if body.latitude is not None and body.longitude is not None:
        nearest = [NearbyRead(location_id=n.location_id, code=n.code, name=n.name, city=n.city,
                              distance_km=n.distance_km, lines=[StockRead.model_validate(x) for x in n.lines])
                   for n in inventory_service.nearest_with_stock(
                       session=session, variant_ids=body.variant_ids, latitude=body.latitude,
                       longitude=body.longitude, limit=body.limit, require_all=body.require_all)]
    items = inventory_service.availability(session=session, variant_ids=body.variant_ids, location_ids=location_ids)
    return AvailabilityRead(items=[StockRead.model_validate(x) for x in items], nearest=nearest)


@router.put("/stock/safety-stock")
def set_safety_stock(body: SafetyStockUpdate, session: SessionDep, actor: StockWriter) -> StockRead:
    """Keep units back from every channel's promise at one location."""
    return StockRead.model_validate(inventory_service.set_safety_stock(session=session, actor=actor,
                                                                       **body.model_dump()))


@router.get("/stock/movements")
def list_movements(session: SessionDep, actor: StockReader, location_id: uuid.UUID | None = None,
                   variant_id: uuid.UUID | None = None, kind: MovementKind | None = None,
                   cursor: str | None = None, limit: Limit = 50) -> MovementPage:
    """The stock ledger at the locations the caller may see, oldest first."""
    page = inventory_service.page_movements(session=session, actor=actor, location_id=location_id,
                                            variant_id=variant_id, kind=kind.value if kind else None,
                                            cursor=cursor, limit=limit)
    return MovementPage(items=[MovementRead.model_validate(x) for x in page.items], next_cursor=page.next_cursor)


@router.post("/stock/adjustments", status_code=201)
def adjust_stock(body: AdjustmentCreate, session: SessionDep, actor: StockWriter) -> MovementRead:
    """Correct the stock of one item at one location, with a reason."""
    if body.kind == "receipt":
        movement = inventory_service.receive(session=session, actor=actor, variant_id=body.variant_id,
                                             location_id=body.location_id, quantity=body.delta, reason=body.reason,
                                             document_type=body.document_type, document_id=body.document_id)
    else:
        movement = inventory_service.adjust(session=session, actor=actor, variant_id=body.variant_id,
                                            location_id=body.location_id, delta=body.delta, reason=body.reason,
                                            kind=MovementKind(body.kind), document_type=body.document_type,
                                            document_id=body.document_id)
    return MovementRead.model_validate(movement)


router.include_router(transfers_router)
router.include_router(counts_router)
router.include_router(purchasing_router)
