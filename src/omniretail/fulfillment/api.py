"""Fulfilment API: shipments (pick lists, packing, labels, tracking), carriers and their signed webhooks, the
shopper's tracking page data, click-and-collect handover, the delay queue and the notification log."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import PlainTextResponse

from omniretail.fulfillment import notify, o2o, pickups
from omniretail.fulfillment import service as fulfillment_service
from omniretail.fulfillment.exceptions import ShipmentNotFound
from omniretail.fulfillment.schemas import (
    CarrierServiceRead,
    CourierJobRead,
    CourierStepIn,
    DelayRead,
    HandoverIn,
    NotificationRead,
    OrderTracking,
    PickLineRead,
    PickListRead,
    PickupRead,
    ShipmentRead,
    TrackedShipment,
    TrackingEventRead,
    TrackingIn,
)
from omniretail.identity.dependencies import Allowed, CurrentCustomer, CurrentStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.ordering import service as ordering_service
from omniretail.ordering.exceptions import OrderNotFound

router = APIRouter(tags=["fulfillment"])
Fulfiller = Annotated[Principal, Depends(Allowed(Permission.FULFILLMENT_MANAGE))]


async def raw_body(request: Request) -> bytes:
    return await request.body()


def _shipment(session: SessionDep, staff: Fulfiller, shipment_id: uuid.UUID) -> fulfillment_service.Shipment:
    shipment = fulfillment_service.get_shipment(session=session, shipment_id=shipment_id)
    if not staff.can(Permission.FULFILLMENT_MANAGE, shipment.location_id):
        raise ShipmentNotFound()
    return shipment


VisibleShipment = Annotated[fulfillment_service.Shipment, Depends(_shipment)]


@router.get("/carriers", response_model=list[CarrierServiceRead])
def list_carriers(session: SessionDep, staff: Fulfiller) -> list[CarrierServiceRead]:
    """Carrier services with their level, transit days and cut-off."""
    return [CarrierServiceRead.model_validate(c) for c in fulfillment_service.carrier_services(session=session)]


@router.post("/carriers/{carrier}/webhooks")
def carrier_webhook(carrier: str, session: SessionDep, body: Annotated[bytes, Depends(raw_body)],
                    signature: Annotated[str | None, Header(alias="x-signature", max_length=200)] = None
                    ) -> dict[str, bool]:
    """A carrier's tracking event, signed with HMAC-SHA256 of the body (``X-Signature``)."""
    applied = fulfillment_service.receive_webhook(session=session, carrier=carrier[:40], body=body,
                                                  signature=signature)
    return {"received": True, "duplicate": not applied}


@router.post("/fulfillment/orders/{order_id}/shipments", status_code=201, response_model=list[ShipmentRead])
def start_shipments(order_id: uuid.UUID, session: SessionDep, staff: Fulfiller) -> list[ShipmentRead]:
    """Open the order's shipments, one per location holding its stock, and start picking."""
    made = fulfillment_service.start_shipments(session=session, actor=staff, order_id=order_id)
    return [ShipmentRead.model_validate(s) for s in made]


@router.get("/fulfillment/picklists/{location_id}", response_model=PickListRead)
def pick_list(location_id: uuid.UUID, session: SessionDep, staff: Fulfiller) -> PickListRead:
    """What to pick at a location for every open shipment, by bin."""
    found = fulfillment_service.pick_list(session=session, actor=staff, location_id=location_id)
    return PickListRead(location_id=found.location_id, shipments=found.shipments,
                        lines=[PickLineRead(bin=p.bin, sku=p.sku, variant_id=p.variant_id, quantity=p.quantity,
                                            orders=list(p.orders)) for p in found.lines])


@router.get("/shipments", response_model=list[ShipmentRead])
def list_shipments(order_id: uuid.UUID, session: SessionDep, staff: Fulfiller) -> list[ShipmentRead]:
    """An order's shipments at the locations you may see."""
    return [ShipmentRead.model_validate(s) for s in fulfillment_service.shipments_of(session=session, order_id=order_id)
            if staff.can(Permission.FULFILLMENT_MANAGE, s.location_id)]


@router.get("/shipments/{shipment_id}", response_model=ShipmentRead)
def get_shipment(shipment: VisibleShipment) -> ShipmentRead:
    """One shipment with its box, carrier service and why it was chosen."""
    return ShipmentRead.model_validate(shipment)


@router.post("/shipments/{shipment_id}/pack", response_model=list[ShipmentRead])
def pack(shipment: VisibleShipment, session: SessionDep, staff: Fulfiller) -> list[ShipmentRead]:
    """Box it (cheapest box that fits, split when needed), rate-shop the carrier and book it."""
    return [ShipmentRead.model_validate(s)
            for s in fulfillment_service.pack(session=session, actor=staff, shipment_id=shipment.id)]


@router.get("/shipments/{shipment_id}/label.pdf", response_class=Response)
def shipping_label(shipment: VisibleShipment, session: SessionDep) -> Response:
    """The shipping label (PDF) with the tracking number as a QR code."""
    pdf = fulfillment_service.label_pdf(session=session, shipment=shipment)
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{shipment.number}.pdf"'})


@router.post("/shipments/{shipment_id}/events", status_code=201, response_model=TrackingEventRead)
def add_tracking_event(shipment: VisibleShipment, body: TrackingIn, session: SessionDep, staff: Fulfiller
                       ) -> TrackingEventRead:
    """Enter a tracking step by hand; the shopper is e-mailed and the order moves on."""
    event = fulfillment_service.track_by_staff(session=session, actor=staff, shipment_id=shipment.id,
                                               kind=body.kind.value, note=body.note)
    return TrackingEventRead.model_validate(event)


@router.get("/shipments/{shipment_id}/events", response_model=list[TrackingEventRead])
def tracking_events(shipment: VisibleShipment, session: SessionDep) -> list[TrackingEventRead]:
    """A shipment's tracking steps, oldest first."""
    return [TrackingEventRead.model_validate(e)
            for e in fulfillment_service.tracking_events(session=session, shipment_id=shipment.id)]


def _tracking(session: SessionDep, order: ordering_service.Order) -> OrderTracking:
    shipments = [TrackedShipment(number=s.number, status=s.status, carrier=s.carrier,
                                 tracking_number=s.tracking_number, promised_by=s.promised_by,
                                 events=[TrackingEventRead.model_validate(e) for e in
                                         fulfillment_service.tracking_events(session=session, shipment_id=s.id)])
                 for s in fulfillment_service.shipments_of(session=session, order_id=order.id)]
    pickup = pickups.pickup_of(session=session, order_id=order.id)
    return OrderTracking(order_id=order.id, order_number=order.number, status=order.status, shipments=shipments,
                         pickup_code=pickup.code if pickup is not None and pickup.status == pickups.READY else None)


@router.get("/me/orders/{order_id}/tracking", response_model=OrderTracking)
def my_order_tracking(order_id: uuid.UUID, session: SessionDep, customer: CurrentCustomer) -> OrderTracking:
    """Where your order is: each shipment's steps, or your pickup code."""
    order = ordering_service.get_order(session=session, order_id=order_id)
    if order.customer_id != customer.id:
        raise OrderNotFound()
    return _tracking(session, order)


@router.get("/fulfillment/orders/{order_id}/tracking", response_model=OrderTracking)
def order_tracking(order_id: uuid.UUID, session: SessionDep, staff: Fulfiller) -> OrderTracking:
    """An order's shipments and tracking steps, for staff."""
    return _tracking(session, ordering_service.get_order(session=session, order_id=order_id))


@router.post("/fulfillment/orders/{order_id}/ready-for-pickup", status_code=201, response_model=PickupRead)
def ready_for_pickup(order_id: uuid.UUID, session: SessionDep, staff: Fulfiller) -> PickupRead:
    """The order is prepared at its store: a pickup code is made and e-mailed to the shopper as a QR code."""
    return PickupRead.model_validate(fulfillment_service.mark_ready_for_pickup(session=session, actor=staff,
                                                                               order_id=order_id))


@router.post("/fulfillment/pickups/handover", response_model=PickupRead)
def handover(body: HandoverIn, session: SessionDep, staff: CurrentStaff) -> PickupRead:
    """Hand a click-and-collect order over to the shopper with its code and name; a code works once."""
    return PickupRead.model_validate(fulfillment_service.handover(session=session, actor=staff, code=body.code,
                                                                  name=body.name))


@router.get("/fulfillment/delays", response_model=list[DelayRead])
def delay_queue(session: SessionDep, staff: Fulfiller) -> list[DelayRead]:
    """Late shipments and orders not dispatched in time, oldest first."""
    places = staff.locations_for(Permission.FULFILLMENT_MANAGE)
    return [DelayRead.model_validate(d) for d in fulfillment_service.open_delays(
        session=session, location_ids=frozenset(places) if places is not None else None)]


@router.get("/fulfillment/notifications", response_model=list[NotificationRead])
def notification_log(order_id: uuid.UUID, session: SessionDep, staff: Fulfiller) -> list[NotificationRead]:
    """The e-mails sent to the shopper about an order, with their delivery status and attempts."""
    return [NotificationRead.model_validate(n) for n in notify.log_for(session=session, order_id=order_id)]


# Cashiers (pos.sell) and fulfilment staff both work the board; the service checks the store.
BoardStaff = CurrentStaff


@router.get("/fulfillment/board", response_model=list[CourierJobRead])
def store_board(session: SessionDep, staff: BoardStaff, location_id: uuid.UUID | None = None
                ) -> list[CourierJobRead]:
    """Open delivery-platform orders at your stores, oldest first."""
    return [CourierJobRead.model_validate(j) for j in o2o.board(session=session, actor=staff, location_id=location_id)]


@router.post("/fulfillment/board/{job_id}/status", response_model=CourierJobRead)
def courier_step(job_id: uuid.UUID, body: CourierStepIn, session: SessionDep, staff: BoardStaff) -> CourierJobRead:
    """Accept, mark ready, hand to the courier or confirm delivery; the platform is told by a signed webhook."""
    return CourierJobRead.model_validate(o2o.move(session=session, actor=staff, job_id=job_id, to=body.status))


@router.get("/fulfillment/board/orders/{order_id}/ticket", response_class=PlainTextResponse)
def courier_ticket(order_id: uuid.UUID, session: SessionDep, staff: BoardStaff) -> PlainTextResponse:
    """The order ticket as 42-column ESC/POS text."""
    job = o2o.job_for_order(session=session, actor=staff, order_id=order_id)
    return PlainTextResponse(o2o.ticket_text(session=session, job=job), media_type="text/plain; charset=utf-8")
