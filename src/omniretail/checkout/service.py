"""Checkout use cases: delivery options and choice, the merchant's checkout policy, and sourcing the cart.
Flush, never commit. Placement itself lives in ``checkout.placement`` (it owns its transactions)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from omniretail.cart import service as cart_service
from omniretail.cart.service import Cart
from omniretail.channels import service as channels_service
from omniretail.checkout.exceptions import InvalidDelivery
from omniretail.checkout.models import CheckoutPolicy
from omniretail.checkout.rules import (
    NEEDS_ADDRESS,
    SAME_DAY_PRICE_MINOR,
    SAME_DAY_RADIUS_KM,
    SHIP_METHODS,
    Address,
    DeliveryMethod,
    ShippingQuote,
    Window,
    address_problems,
    delivery_windows,
    normalize_phone,
    shipping_quotes,
    window_ok,
)
from omniretail.inventory import service as inventory_service
from omniretail.inventory.rules import haversine_km
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError
from omniretail.ordering.rules import Candidate, Need, SourcingDecision, choose_sources

COUNTER_KINDS = ("store", "franchise")


def policy(*, session: Session) -> CheckoutPolicy:
    """The merchant's checkout settings (defaults until saved)."""
    row = session.get(CheckoutPolicy, 1)
    return row or CheckoutPolicy(id=1, allow_franchise_sourcing=False, hold_minutes=15, abandoned_after_minutes=60)


def set_policy(*, session: Session, **changes: Any) -> CheckoutPolicy:
    """Change the checkout settings (franchise sourcing, hold length, abandoned-cart delay)."""
    row = session.get(CheckoutPolicy, 1)
    if row is None:
        row = policy(session=session)
        session.add(row)
    for key, value in changes.items():
        setattr(row, key, value)
    session.flush()
    return row


@dataclass(frozen=True)
class PickupStore:
    location_id: uuid.UUID
    code: str
    name: str
    city: str
    distance_km: float | None
    lines_available: int
    lines_total: int

    @property
    def has_everything(self) -> bool:
        return self.lines_available == self.lines_total


@dataclass(frozen=True)
class DeliveryOptions:
    methods: list[str]
    shipping: list[ShippingQuote]
    pickup_stores: list[PickupStore]
    windows: list[Window]
    same_day_price_minor: int | None


def _locations(session: Session, cart: Cart) -> list[Any]:
    channel = channels_service.get_channel(session=session, channel_id=cart.channel_id)
    everything = [loc for loc in inventory_service.list_locations(session=session) if loc.is_active]
    allowed = set(channel.location_ids)
    return [loc for loc in everything if not allowed or loc.id in allowed]


def _distance(loc: Any, latitude: float | None, longitude: float | None) -> float | None:
    if latitude is None or longitude is None:
        return None
    return round(haversine_km(latitude, longitude, loc.latitude, loc.longitude), 2)


def delivery_options(*, session: Session, cart: Cart, country: str | None = None, latitude: float | None = None,
                     longitude: float | None = None) -> DeliveryOptions:
    """How this cart can reach the shopper: rates to their country, stores to pick up at (nearest first, with
    how much of the cart each has), and local-delivery windows when a store is near."""
    channel = channels_service.get_channel(session=session, channel_id=cart.channel_id)
    methods = list(channel.delivery_methods)
    totals = cart_service.cart_totals(session=session, cart=cart)
    shipping = (shipping_quotes(country=country, weight_grams=totals.weight_grams,
                                subtotal_minor=totals.subtotal.amount_minor, today=clock.now().date(),
                                methods=set(methods) & set(SHIP_METHODS)) if country else [])
    stores = []
    locations = _locations(session, cart)
    need = {ln.variant_id: ln.quantity for ln in cart.lines}
    if DeliveryMethod.CLICK_AND_COLLECT in methods:
        pickup = [loc for loc in locations if loc.offers_pickup]
        stock = _stock(session, list(need), [loc.id for loc in pickup])
        for loc in pickup:
            have = sum(1 for v, q in need.items() if stock.get((v, loc.id), 0) >= q)
            stores.append(PickupStore(loc.id, loc.code, loc.name, loc.city, _distance(loc, latitude, longitude),
                                      have, len(need)))
        stores.sort(key=lambda s: (s.distance_km is None, s.distance_km or 0.0, -s.lines_available, s.code))
    windows: list[Window] = []
    if DeliveryMethod.SAME_DAY in methods and latitude is not None and longitude is not None:
        near = [loc for loc in locations if loc.ships_parcels
                and (_distance(loc, latitude, longitude) or 1e9) <= SAME_DAY_RADIUS_KM]
        windows = delivery_windows(clock.now()) if near else []
    return DeliveryOptions(methods, shipping, stores, windows, SAME_DAY_PRICE_MINOR if windows else None)


def _stock(session: Session, variant_ids: list[uuid.UUID], location_ids: list[uuid.UUID]
           ) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    if not variant_ids or not location_ids:
        return {}
    return {(a.variant_id, a.location_id): a.available for a in inventory_service.availability(
        session=session, variant_ids=variant_ids, location_ids=location_ids)}


def choose_delivery(*, session: Session, cart: Cart, method: str, address: Address | None = None,
                    location_id: uuid.UUID | None = None, window_start: datetime | None = None,
                    window_end: datetime | None = None, email: str | None = None, phone: str | None = None
                    ) -> Cart:
    """Validate and store how the order gets to the shopper, with its price and estimate."""
    channel = channels_service.get_channel(session=session, channel_id=cart.channel_id)
    if method not in channel.delivery_methods and not (method == "carry_out" and channel.kind in COUNTER_KINDS):
        raise InvalidDelivery(f"{method} is not offered in this channel",
                              errors=[FieldError(("body", "method"), "not offered")])
    delivery: dict[str, Any] = {"method": method, "price_minor": 0}
    country = (address.country.upper() if address else channel.country)
    if phone:
        normalized = normalize_phone(phone, country)
        if normalized is None:
            raise InvalidDelivery(errors=[FieldError(("body", "phone"), "not a phone number we can call")])
        phone = normalized
    if method in NEEDS_ADDRESS:
        if address is None:
            raise InvalidDelivery("Give the delivery address", errors=[FieldError(("body", "address"), "required")])
        problems = address_problems(address)
        if problems:
            raise InvalidDelivery(errors=[FieldError(("body", "address", f), m) for f, m in problems.items()])
        fixed = asdict(address)
        fixed["country"] = country
        if address.phone:
            fixed["phone"] = normalize_phone(address.phone, country)
        delivery["address"] = fixed
    if method in SHIP_METHODS:
        assert address is not None
        weight = sum(ln.weight_grams * ln.quantity for ln in cart.lines)
        subtotal = cart_service.cart_totals(session=session, cart=cart).subtotal.amount_minor
        quote = next((q for q in shipping_quotes(country=country, weight_grams=weight, subtotal_minor=subtotal,
                                                 today=clock.now().date(), methods={method})), None)
        if quote is None:
            raise InvalidDelivery(f"We cannot send this parcel by {method} to {country}",
                                  errors=[FieldError(("body", "method"), "no rate for this country and weight")])
        delivery.update(price_minor=quote.price_minor, estimate_from=quote.estimate_from.isoformat(),
                        estimate_to=quote.estimate_to.isoformat())
    elif method == DeliveryMethod.SAME_DAY:
        if window_start is None or window_end is None or not window_ok(clock.now(), window_start, window_end):
            raise InvalidDelivery(errors=[FieldError(("body", "window_start"), "choose one of the offered windows")])
        delivery.update(price_minor=SAME_DAY_PRICE_MINOR, window_start=window_start.isoformat(),
                        window_end=window_end.isoformat())
    elif method in (DeliveryMethod.CLICK_AND_COLLECT, DeliveryMethod.CARRY_OUT):
        location_id = location_id or cart.location_id
        store = next((loc for loc in _locations(session, cart) if loc.id == location_id), None)
        if store is None or (method == DeliveryMethod.CLICK_AND_COLLECT and not store.offers_pickup):
            raise InvalidDelivery("Choose a store that offers pickup",
                                  errors=[FieldError(("body", "location_id"), "not a pickup store here")])
        delivery.update(location_id=str(store.id), store=store.code)
    cart_service.set_contact(session=session, cart=cart, email=email or cart.email, phone=phone or cart.phone)
    keep_store = uuid.UUID(delivery["location_id"]) if "location_id" in delivery else None
    return cart_service.set_delivery(session=session, cart=cart, delivery=delivery, location_id=keep_store)


@dataclass(frozen=True)
class StockView:
    """One read of the cart's stock at every location that may fulfil it, shared by re-pricing and sourcing."""

    locations: list[Any]
    available: dict[tuple[uuid.UUID, uuid.UUID], int]


def stock_view(*, session: Session, cart: Cart) -> StockView:
    """Read the locations that may fulfil the cart and its items' stock there, once."""
    locations = _locations(session, cart)
    return StockView(locations, _stock(session, list(dict.fromkeys(ln.variant_id for ln in cart.lines)),
                                       [loc.id for loc in locations]))


def source(*, session: Session, cart: Cart, allow_franchise: bool | None = None,
           view: StockView | None = None) -> SourcingDecision:
    """Choose which location fulfils each line (stored on the order with the reason); ``allow_franchise`` saves
    re-reading the policy when the caller already has it, ``view`` re-reading the stock."""
    delivery = cart.delivery or {}
    method = delivery.get("method")
    at_store = method in ("click_and_collect", "carry_out", "platform_courier") and delivery.get("location_id")
    pickup = uuid.UUID(delivery["location_id"]) if at_store else None
    locations = view.locations if view is not None else _locations(session, cart)
    address = delivery.get("address") or {}
    lat, lon = address.get("latitude"), address.get("longitude")
    candidates = [Candidate(loc.id, loc.code, loc.kind, _distance(loc, lat, lon), loc.ships_parcels,
                            loc.offers_pickup) for loc in locations]
    if lat is None and address.get("country"):
        # Without coordinates, prefer locations in the destination country.
        candidates = [Candidate(c.location_id, c.code, c.kind,
                                0.0 if loc.country == address["country"] else 1000.0, c.ships_parcels,
                                c.offers_pickup) for c, loc in zip(candidates, locations, strict=True)]
    needs = [Need(ln.variant_id, ln.quantity) for ln in cart.lines]
    stock = view.available if view is not None else _stock(session, [n.variant_id for n in needs],
                                                           [c.location_id for c in candidates])
    return choose_sources(needs=needs, candidates=candidates, stock=stock, pickup_location_id=pickup,
                          allow_franchise=(policy(session=session).allow_franchise_sourcing
                                           if allow_franchise is None else allow_franchise))
