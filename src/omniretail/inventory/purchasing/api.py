"""Purchasing routes: suppliers, purchase orders, reorder points and the suggested-order list."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from omniretail.identity.rules import Permission
from omniretail.inventory import service as inventory_service
from omniretail.inventory.dependencies import Purchaser, StockReader, StockWriter
from omniretail.inventory.purchasing import service as purchasing_service
from omniretail.inventory.purchasing.schemas import (
    OnOrderQuery,
    OnOrderRead,
    PurchaseOrderCreate,
    PurchaseOrderPage,
    PurchaseOrderRead,
    PurchaseOrderReceive,
    ReorderPointPage,
    ReorderPointRead,
    ReorderPointSet,
    SuggestionRead,
    SupplierCreate,
    SupplierItemsUpdate,
    SupplierPage,
    SupplierRead,
)
from omniretail.inventory.rules import PurchaseOrderStatus
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.schemas import Limit

router = APIRouter(tags=["inventory"])


def _items(body: SupplierCreate | SupplierItemsUpdate) -> list[purchasing_service.SupplierItemInput]:
    return [purchasing_service.SupplierItemInput(**i.model_dump()) for i in body.items]


@router.get("/suppliers")
def list_suppliers(session: SessionDep, actor: Purchaser, cursor: str | None = None,
                   limit: Limit = 50) -> SupplierPage:
    """Suppliers with their items, costs, lead times and minimum orders."""
    page = purchasing_service.page_suppliers(session=session, cursor=cursor, limit=limit)
    return SupplierPage(items=[SupplierRead.model_validate(x) for x in page.items], next_cursor=page.next_cursor)


@router.post("/suppliers", status_code=201)
def create_supplier(body: SupplierCreate, session: SessionDep, actor: Purchaser) -> SupplierRead:
    """Add a supplier and the items it sells."""
    return SupplierRead.model_validate(purchasing_service.create_supplier(
        session=session, actor=actor, code=body.code, name=body.name, currency=body.currency, email=body.email,
        items=_items(body)))


@router.get("/suppliers/{supplier_id}")
def get_supplier(supplier_id: uuid.UUID, session: SessionDep, actor: Purchaser) -> SupplierRead:
    """One supplier."""
    return SupplierRead.model_validate(purchasing_service.get_supplier(session=session, supplier_id=supplier_id))


@router.put("/suppliers/{supplier_id}/items")
def set_supplier_items(supplier_id: uuid.UUID, body: SupplierItemsUpdate, session: SessionDep,
                       actor: Purchaser) -> SupplierRead:
    """Add or change items on a supplier's list."""
    return SupplierRead.model_validate(purchasing_service.set_supplier_items(
        session=session, actor=actor, supplier_id=supplier_id, items=_items(body)))


@router.get("/purchase-orders")
def list_purchase_orders(session: SessionDep, actor: Purchaser, status: PurchaseOrderStatus | None = None,
                         cursor: str | None = None, limit: Limit = 50) -> PurchaseOrderPage:
    """Purchase orders for the caller's locations."""
    page = purchasing_service.page_purchase_orders(session=session, actor=actor,
                                                   status=status.value if status else None, cursor=cursor,
                                                   limit=limit)
    return PurchaseOrderPage(items=[PurchaseOrderRead.model_validate(x) for x in page.items],
                             next_cursor=page.next_cursor)


@router.post("/purchase-orders", status_code=201)
def draft_purchase_order(body: PurchaseOrderCreate, session: SessionDep, actor: Purchaser) -> PurchaseOrderRead:
    """Draft an order to a supplier for one location."""
    return PurchaseOrderRead.model_validate(purchasing_service.draft_purchase_order(
        session=session, actor=actor, supplier_id=body.supplier_id, location_id=body.location_id,
        lines=[purchasing_service.OrderLineInput(x.variant_id, x.quantity, x.cost_minor) for x in body.lines]))


@router.get("/purchase-orders/{purchase_order_id}")
def get_purchase_order(purchase_order_id: uuid.UUID, session: SessionDep, actor: Purchaser) -> PurchaseOrderRead:
    """One purchase order."""
    return PurchaseOrderRead.model_validate(purchasing_service.get_purchase_order(
        session=session, actor=actor, purchase_order_id=purchase_order_id))


@router.post("/purchase-orders/{purchase_order_id}/send")
def send_purchase_order(purchase_order_id: uuid.UUID, session: SessionDep, actor: Purchaser) -> PurchaseOrderRead:
    """Send the order to the supplier; its quantities are on order from now."""
    return PurchaseOrderRead.model_validate(purchasing_service.send_purchase_order(
        session=session, actor=actor, purchase_order_id=purchase_order_id))


@router.post("/purchase-orders/{purchase_order_id}/receive")
def receive_purchase_order(purchase_order_id: uuid.UUID, body: PurchaseOrderReceive, session: SessionDep,
                           actor: Purchaser) -> PurchaseOrderRead:
    """Book a full or partial delivery; received goods go on hand."""
    received = {x.variant_id: x.quantity for x in body.lines} if body.lines is not None else None
    return PurchaseOrderRead.model_validate(purchasing_service.receive_purchase_order(
        session=session, actor=actor, purchase_order_id=purchase_order_id, received=received))


@router.post("/purchase-orders/{purchase_order_id}/cancel")
def cancel_purchase_order(purchase_order_id: uuid.UUID, session: SessionDep,
                          actor: Purchaser) -> PurchaseOrderRead:
    """Cancel an order nothing has been received on."""
    return PurchaseOrderRead.model_validate(purchasing_service.cancel_purchase_order(
        session=session, actor=actor, purchase_order_id=purchase_order_id))


@router.post("/purchase-orders/on-order")
def on_order(body: OnOrderQuery, session: SessionDep, actor: StockReader) -> list[OnOrderRead]:
    """On hand, available and on order side by side for up to 200 variants."""
    allowed = actor.locations_for(Permission.STOCK_READ)
    locations = body.location_ids if allowed is None else [
        x for x in (body.location_ids or sorted(allowed)) if x in allowed]
    ordered = purchasing_service.on_order(session=session, variant_ids=body.variant_ids, location_ids=locations)
    stock = {(a.variant_id, a.location_id): a for a in inventory_service.availability(
        session=session, variant_ids=body.variant_ids, location_ids=locations)}
    keys = sorted(set(stock) | set(ordered))
    return [OnOrderRead(variant_id=v, location_id=loc, on_hand=stock[(v, loc)].on_hand if (v, loc) in stock else 0,
                        available=stock[(v, loc)].available if (v, loc) in stock else 0,
                        on_order=ordered.get((v, loc), 0)) for v, loc in keys]


@router.get("/reorder-points")
def list_reorder_points(session: SessionDep, actor: StockReader, location_id: uuid.UUID | None = None,
                        cursor: str | None = None, limit: Limit = 50) -> ReorderPointPage:
    """Min/max reorder points at the caller's locations."""
    page = purchasing_service.page_reorder_points(session=session, actor=actor, location_id=location_id,
                                                  cursor=cursor, limit=limit)
    return ReorderPointPage(items=[ReorderPointRead.model_validate(x) for x in page.items],
                            next_cursor=page.next_cursor)


@router.put("/reorder-points")
def set_reorder_point(body: ReorderPointSet, session: SessionDep, actor: StockWriter) -> ReorderPointRead:
    """Set min and max for one variant at one location."""
    return ReorderPointRead.model_validate(purchasing_service.set_reorder_point(session=session, actor=actor,
                                                                               **body.model_dump()))


@router.get("/reorder-points/suggestions")
def suggestions(session: SessionDep, actor: StockReader) -> list[SuggestionRead]:
    """What to order now, per variant and location, with the cheapest supplier."""
    allowed = actor.locations_for(Permission.STOCK_READ)
    return [SuggestionRead.model_validate(s) for s in purchasing_service.suggested_orders(
        session=session, location_ids=sorted(allowed) if allowed is not None else None)]
