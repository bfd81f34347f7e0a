"""Returns API: shoppers return their own orders online; staff at any store or support open returns for orders
from any channel; the receiving location inspects the parcel and the refund goes out."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from omniretail.cart.dependencies import CallerDep, csrf_for_cookies, resolve_caller
from omniretail.identity.dependencies import Allowed, CurrentCustomer
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel.deps import DatabaseDep, SessionDep
from omniretail.kernel.errors import NotAuthenticated, PermissionDenied
from omniretail.kernel.schemas import Limit
from omniretail.returns import labels, receiving, rules
from omniretail.returns import service as returns_service
from omniretail.returns.exceptions import ReturnNotFound
from omniretail.returns.schemas import MyReturnCreate, PolicyIO, ReceiveIn, ReturnCreate, ReturnPage, ReturnRead

router = APIRouter(tags=["returns"])
ReturnsStaff = Annotated[Principal, Depends(Allowed(Permission.RETURNS_MANAGE))]
SettingsStaff = Annotated[Principal, Depends(Allowed(Permission.SETTINGS_MANAGE))]


def _lines(body: MyReturnCreate) -> list[returns_service.LineIn]:
    return [returns_service.LineIn(ln.variant_id, ln.quantity, ln.reason.value, ln.note, ln.condition.value,
                                   ln.exchange_variant_id) for ln in body.lines]


@router.post("/me/returns", status_code=201, response_model=ReturnRead)
def request_my_return(body: MyReturnCreate, session: SessionDep, customer: CurrentCustomer) -> ReturnRead:
    """Ask to return items of one of your own orders; a refusal says why, item by item."""
    ret = returns_service.request_return(session=session, order_id=body.order_id, via=rules.Via.ONLINE.value,
                                         lines=_lines(body), refund_method=body.refund_method.value,
                                         requested_by=f"customer:{customer.id}", shopper_id=customer.id)
    return ReturnRead.model_validate(ret)


@router.get("/me/returns", response_model=ReturnPage)
def my_returns(session: SessionDep, customer: CurrentCustomer, cursor: str | None = None, limit: Limit = 50
               ) -> ReturnPage:
    """Your returns and where they stand."""
    page = returns_service.list_returns(session=session, customer_id=customer.id, cursor=cursor, limit=limit)
    return ReturnPage(items=[ReturnRead.model_validate(r) for r in page.items], next_cursor=page.next_cursor)


@router.post("/returns", status_code=201, response_model=ReturnRead)
def request_return(body: ReturnCreate, session: SessionDep, staff: ReturnsStaff) -> ReturnRead:
    """Open a return at a store, by post or for a shopper (support) for an order from any channel."""
    if body.location_id is not None and not staff.can(Permission.RETURNS_MANAGE, body.location_id):
        raise PermissionDenied("You may not take returns at this location")
    ret = returns_service.request_return(session=session, order_id=body.order_id, via=body.via, lines=_lines(body),
                                         refund_method=body.refund_method.value,
                                         requested_by=f"staff:{staff.email}", location_id=body.location_id,
                                         customer_id=body.customer_id, has_receipt=body.has_receipt)
    return ReturnRead.model_validate(ret)


@router.get("/returns", response_model=ReturnPage)
def list_returns(session: SessionDep, staff: ReturnsStaff, order_id: uuid.UUID | None = None,
                 cursor: str | None = None, limit: Limit = 50) -> ReturnPage:
    """Returns at the locations you may see."""
    page = returns_service.list_returns(session=session, actor=staff, order_id=order_id, cursor=cursor, limit=limit)
    return ReturnPage(items=[ReturnRead.model_validate(r) for r in page.items], next_cursor=page.next_cursor)


@router.get("/returns/reasons", response_model=dict[str, int])
def return_reasons(session: SessionDep, staff: ReturnsStaff) -> dict[str, int]:
    """Units returned per reason (for analytics)."""
    return returns_service.reason_counts(session=session)


@router.get("/returns/policy", response_model=PolicyIO)
def get_policy(session: SessionDep, staff: ReturnsStaff) -> PolicyIO:
    """The return policy in force."""
    return PolicyIO.model_validate(returns_service.current_policy(session=session).as_dict())


@router.put("/returns/policy", response_model=PolicyIO)
def put_policy(body: PolicyIO, session: SessionDep, staff: SettingsStaff) -> PolicyIO:
    """Replace the return policy."""
    policy = returns_service.set_policy(session=session, actor=staff,
                                        policy=rules.Policy.from_dict(body.model_dump(mode="json")))
    return PolicyIO.model_validate(policy.as_dict())


def _visible(caller: CallerDep, session: SessionDep, return_id: uuid.UUID) -> returns_service.ReturnRequest:
    ret = returns_service.get_return(session=session, return_id=return_id)
    if caller.customer_id is not None and ret.customer_id == caller.customer_id:
        return ret
    if caller.staff is not None and caller.staff.can(Permission.RETURNS_MANAGE) and returns_service.visible_to(
            caller.staff, ret):
        return ret
    raise ReturnNotFound()


ValidReturn = Annotated[returns_service.ReturnRequest, Depends(_visible)]


@router.get("/returns/{return_id}", response_model=ReturnRead)
def get_return(ret: ValidReturn) -> ReturnRead:
    """One return with its lines, conditions and refund."""
    return ReturnRead.model_validate(ret)


@router.get("/returns/{return_id}/label.pdf", response_class=Response)
def return_label(ret: ValidReturn, session: SessionDep) -> Response:
    """The printable return label (PDF) with the RMA as a QR code."""
    where = ret.location_id
    location = (inventory_service.get_location(session=session, location_id=where) if where else
                next(iter(inventory_service.list_locations(session=session, kinds={"warehouse"})), None))
    name = location.name if location else "Returns"
    address = (f"{location.street}\n{location.postal_code} {location.city}\n{location.country}" if location else "")
    pdf = labels.return_label(ret, ship_to=name, ship_to_address=address)
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{ret.rma}.pdf"'})


@router.post("/returns/{return_id}/receive", response_model=ReturnRead, dependencies=[Depends(csrf_for_cookies)])
def receive_return(return_id: uuid.UUID, body: ReceiveIn, request: Request, db: DatabaseDep) -> ReturnRead:
    """Inspect the returned goods at this location (resellable back on its shelf, damaged written off) and
    refund; receiving twice refunds once."""
    with db.transaction(read_only=True) as session:
        staff = resolve_caller(request, session).staff
    if staff is None:
        raise NotAuthenticated("Sign in as staff")
    receiving.receive(db=db, return_id=return_id, actor=staff, location_id=body.location_id,
                      conditions={ln.variant_id: ln.condition.value for ln in body.lines})
    with db.transaction(read_only=True) as session:
        return ReturnRead.model_validate(returns_service.get_return(session=session, return_id=return_id))
