"""The till's own API (``/api/v1/pos/...``): look a scanned code up, the items a till keeps for selling offline,
and sales made offline sent whole. Everything else the till does goes through the cart, checkout and cash
drawer APIs that every channel uses."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import Field

from omniretail.cart import service as cart_service
from omniretail.cart.dependencies import CallerDep, csrf_for_cookies, load_cart, resolve_caller
from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.checkout import placement
from omniretail.checkout.exceptions import CartNotPurchasable, IdempotencyKeyReused
from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.deps import DatabaseDep, SessionDep
from omniretail.kernel.errors import FieldError, NotAuthenticated, NotFound, PermissionDenied
from omniretail.kernel.i18n import N_
from omniretail.kernel.schemas import Schema
from omniretail.ordering import queries as order_queries
from omniretail.ordering import service as ordering_service
from omniretail.ordering.receipts import Receipt, ReceiptLine, ReceiptTender, as_text
from omniretail.payments.exceptions import InvalidTender
from omniretail.payments.rules import TenderRequest, split
from omniretail.pricing import service as pricing_service
from omniretail.web.pos.pages import Till, tills_for

router = APIRouter(tags=["pos"])
Seller = Annotated[Principal, Depends(Allowed(Permission.POS_SELL))]
OFFLINE_ITEMS = 1500  # the store's best sellers a till keeps for selling offline; it asks the server for the rest
BEST_SELLER_DAYS = 90


class UnknownCode(NotFound):
    type = "pos/unknown-code"
    title = N_("No product with this code")


class ScanRead(Schema):
    variant_id: uuid.UUID
    sku: str


class OfflineItem(Schema):
    variant_id: uuid.UUID
    sku: str
    barcode: str | None
    name: str
    price_minor: int


class OfflineItems(Schema):
    location_id: uuid.UUID
    channel: str
    currency: str
    items: list[OfflineItem]


class SaleLine(Schema):
    variant_id: uuid.UUID
    quantity: int = Field(ge=1, le=999)


class SaleTender(Schema):
    method: Literal["cash", "card"]
    amount_minor: int = Field(ge=1, le=10**10)
    cash_tendered_minor: int | None = Field(default=None, ge=1, le=10**10)
    card_number: str | None = Field(default=None, min_length=12, max_length=23)


class OfflineSale(Schema):
    """A sale the till made while it could not reach the server, sent whole when it can."""

    key: str = Field(min_length=8, max_length=120, pattern=r"^pos-[A-Za-z0-9._:-]+$")
    location_id: uuid.UUID
    lines: list[SaleLine] = Field(min_length=1, max_length=200)
    tenders: list[SaleTender] = Field(min_length=1, max_length=5)


class SaleRead(Schema):
    order_id: uuid.UUID
    number: str
    replayed: bool


def _seller_at(staff: Principal | None, location_id: uuid.UUID) -> Principal:
    if staff is None:
        raise NotAuthenticated("Sign in to the till")
    if not staff.can(Permission.POS_SELL, location_id):
        raise PermissionDenied("You may not sell at this store")
    return staff


def _till(session: Any, seller: Principal, location_id: uuid.UUID) -> Till:
    till = next((t for t in tills_for(session, seller) if t.location_id == str(location_id)), None)
    if till is None:
        raise PermissionDenied("This store has no till you may use")
    return till


@router.get("/pos/scan", response_model=ScanRead)
def scan(session: SessionDep, staff: Seller, code: Annotated[str, Query(min_length=1, max_length=64)]) -> ScanRead:
    """The variant a scanned or typed code names (barcode or SKU)."""
    variant = catalog_service.variant_by_code(session=session, code=code)
    if variant is None or variant.status != "active":
        raise UnknownCode(code=code)
    return ScanRead(variant_id=variant.id, sku=variant.sku)


@router.get("/pos/items", response_model=OfflineItems)
def offline_items(session: SessionDep, staff: Seller, location_id: uuid.UUID) -> OfflineItems:
    """What a till keeps to sell while the server cannot be reached: the best sellers of the last 90 days (in every
    channel) that the store has in stock, then its other items in stock, with their codes and prices in its POS
    channel; at most ``OFFLINE_ITEMS``, so a till opens in the same time with 300 or 300,000 products."""
    till = _till(session, _seller_at(staff, location_id), location_id)
    channel = channels_service.find_channel(session=session, ref=till.channel)
    in_stock = inventory_service.in_stock_variant_ids(session=session, location_id=location_id)
    sold = order_queries.best_selling_variants(session=session, since=clock.now() - timedelta(days=BEST_SELLER_DAYS),
                                               limit=OFFLINE_ITEMS * 2)
    ids = list(dict.fromkeys([s.variant_id for s in sold if s.variant_id in in_stock] + sorted(in_stock)))
    ids = ids[:OFFLINE_ITEMS]
    refs = catalog_service.variant_refs(session=session, variant_ids=ids) if ids else []
    prices = pricing_service.prices_for(session=session, channel_id=channel.id, variant_ids=ids) if ids else {}
    return OfflineItems(location_id=location_id, channel=till.channel, currency=till.currency, items=[
        OfflineItem(variant_id=r.id, sku=r.sku, barcode=r.barcode, name=r.name,
                    price_minor=prices[r.id].current.amount_minor)
        for r in refs if r.status == "active" and r.id in prices])


@router.post("/pos/sales", status_code=201, response_model=SaleRead, dependencies=[Depends(csrf_for_cookies)])
def sync_sale(body: OfflineSale, request: Request, db: DatabaseDep, response: Response) -> SaleRead:
    """Record a sale made offline. The key is the one the till gave the sale when it began, so a sale whose
    online checkout reached the server before the connection dropped, or a sync sent twice, returns the first
    order instead of making a second one."""
    # No request-wide session: placement runs its own transactions, as the checkout endpoint does.
    with db.transaction() as session:
        seller = _seller_at(resolve_caller(request, session).staff, body.location_id)
        existing = ordering_service.order_by_key(session=session, checkout_key=body.key)
        if existing is not None:
            response.status_code = 200
            return SaleRead(order_id=existing.id, number=existing.number, replayed=True)
        channel = channels_service.find_channel(session=session, ref=_till(session, seller, body.location_id).channel)
        cart, _ = cart_service.create_cart(session=session, channel_id=channel.id, location_id=body.location_id,
                                           staff_id=seller.staff_id)
        for i, line in enumerate(body.lines):
            try:
                cart_service.add_line(session=session, cart=cart, variant_id=line.variant_id, quantity=line.quantity)
            except cart_service.InvalidCartInput as exc:
                raise CartNotPurchasable(errors=[FieldError(("body", "lines", i, "variant_id"), "unknown item")]
                                         ) from exc
        cart_id = cart.id
    tenders = [TenderRequest(t.method, amount_minor=t.amount_minor, cash_tendered_minor=t.cash_tendered_minor,
                             card_number=t.card_number) for t in body.tenders]
    try:
        placed = placement.place_order(db=db, cart_id=cart_id, idempotency_key=body.key, tenders=tenders,
                                       actor=f"staff:{seller.email}")
    except IdempotencyKeyReused:
        # Another sync of the same sale (or its interrupted online checkout) holds the key: wait for its order.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with db.transaction(read_only=True) as session:
                order = ordering_service.order_by_key(session=session, checkout_key=body.key)
            if order is not None:
                response.status_code = 200
                return SaleRead(order_id=order.id, number=order.number, replayed=True)
            time.sleep(0.1)
        raise
    if placed.replayed:
        response.status_code = 200
    return SaleRead(order_id=placed.order_id, number=placed.number, replayed=placed.replayed)


class StockElsewhere(Schema):
    location_id: uuid.UUID
    code: str
    name: str
    city: str
    distance_km: float
    available: int


@router.get("/pos/stock-elsewhere", response_model=list[StockElsewhere])
def stock_elsewhere(session: SessionDep, staff: Seller, location_id: uuid.UUID, variant_id: uuid.UUID
                    ) -> list[StockElsewhere]:
    """Endless aisle: the other stores nearest to this one that have the item, with how many are available (what
    a shopper sees on the web; a cashier may ask for any item, not only their own store's stock)."""
    _seller_at(staff, location_id)
    here = inventory_service.get_location(session=session, location_id=location_id)
    nearby = inventory_service.nearest_with_stock(session=session, variant_ids=[variant_id], latitude=here.latitude,
                                                  longitude=here.longitude, limit=11)
    return [StockElsewhere(location_id=n.location_id, code=n.code, name=n.name, city=n.city,
                           distance_km=n.distance_km, available=sum(a.available for a in n.lines))
            for n in nearby if n.location_id != location_id][:10]


class ReturnableLine(Schema):
    variant_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price_minor: int


class ReturnableOrder(Schema):
    order_id: uuid.UUID
    number: str
    channel_code: str
    currency: str
    placed_at: str
    lines: list[ReturnableLine]


@router.get("/pos/returnable-orders/{number}", response_model=ReturnableOrder)
def returnable_order(number: Annotated[str, Path(min_length=3, max_length=20)], session: SessionDep,
                     staff: Annotated[Principal, Depends(Allowed(Permission.RETURNS_MANAGE))]) -> ReturnableOrder:
    """The order a shopper brings back, by the number on its receipt or e-mail, from any channel: what the till
    needs to take items back (the returns policy decides what may be returned)."""
    order = order_queries.order_by_number(session=session, number=number)
    if order is None:
        raise NotFound("No order with this number")
    return ReturnableOrder(order_id=order.id, number=order.number, channel_code=order.channel_code,
                           currency=order.currency, placed_at=order.created_at.strftime("%Y-%m-%d"),
                           lines=[ReturnableLine(variant_id=ln.variant_id, sku=ln.sku, name=ln.name,
                                                 quantity=ln.quantity, unit_price_minor=ln.unit_price_minor)
                                  for ln in order.lines])


# --- training mode ----------------------------------------------------------------------------------------

class TrainingTender(Schema):
    method: Literal["cash", "card", "gift_card", "store_credit"]
    amount_minor: int | None = Field(default=None, ge=1, le=10**10)
    cash_tendered_minor: int | None = Field(default=None, ge=1, le=10**10)


class TrainingSale(Schema):
    cart_id: uuid.UUID
    tenders: list[TrainingTender] = Field(min_length=1, max_length=5)


class TrainingReceipt(Schema):
    training: bool = True
    total_minor: int
    change_minor: int
    receipt_text: str


@router.post("/pos/training/sales", response_model=TrainingReceipt, dependencies=[Depends(csrf_for_cookies)])
def training_sale(body: TrainingSale, session: SessionDep, caller: CallerDep) -> TrainingReceipt:
    """Practise a sale: the cart is priced and checked and the tenders are added up exactly as at checkout, and
    a receipt marked TRAINING comes back; no order, payment, stock hold, points or report is touched."""
    cart = load_cart(session, caller, body.cart_id)
    if cart.location_id is None:
        raise PermissionDenied("Training sales happen at a store's till")
    staff = _seller_at(caller.staff, cart.location_id)
    cart_service.reprice(session=session, cart=cart)
    problems = cart_service.problems(cart)
    if not cart.lines or problems:
        raise CartNotPurchasable("The cart is empty" if not cart.lines else "Some items cannot be bought",
                                 errors=[FieldError(("cart", "lines", str(p.line_id)), p.detail, p.problem)
                                         for p in problems])
    total = cart_service.cart_totals(session=session, cart=cart)
    shares = split(total.total.amount_minor, [TenderRequest(t.method, amount_minor=t.amount_minor,
                                                            cash_tendered_minor=t.cash_tendered_minor)
                                              for t in body.tenders])
    if isinstance(shares, str):
        raise InvalidTender(shares, errors=[FieldError(("body", "tenders"), shares)])
    store = inventory_service.get_location(session=session, location_id=cart.location_id)
    taxes: dict[int, int] = {}
    for line in cart_service.priced_lines(cart):
        if line.tax_rate_bp:
            taxes[line.tax_rate_bp] = taxes.get(line.tax_rate_bp, 0) + line.tax.amount_minor
    change = sum(s.change_minor for s in shares)
    receipt = Receipt(
        store=f"{store.name} - TRAINING", number="TRAINING", issued_at=clock.now().strftime("%Y-%m-%d %H:%M UTC"),
        cashier=staff.email, currency=cart.currency,
        lines=tuple(ReceiptLine(ln.name, ln.sku, ln.quantity, ln.unit_price_minor or 0,
                                (ln.unit_price_minor or 0) * ln.quantity) for ln in cart.lines),
        taxes=tuple(sorted(taxes.items())), total_minor=total.total.amount_minor,
        tenders=tuple(ReceiptTender(s.method, s.amount_minor, s.tendered_minor, s.change_minor, None)
                      for s in shares),
        change_minor=change, points=0)
    text = as_text(receipt).replace("Thank you!", "TRAINING - NOT A SALE")
    return TrainingReceipt(total_minor=total.total.amount_minor, change_minor=change, receipt_text=text)
