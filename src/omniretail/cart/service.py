"""Cart use cases: carts in any channel for guests, customers and cashiers; lines re-priced on every change.
Flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from omniretail.cart import offers
from omniretail.cart.events import CartMerged, CheckoutAbandoned
from omniretail.cart.exceptions import CartClosed, CartNotFound, InvalidCartInput, LineNotFound
from omniretail.cart.models import Cart, CartLine
from omniretail.cart.rules import MAX_QUANTITY_PER_LINE, Offers, PricedLine, Totals, check_line, totals
from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.db import affected
from omniretail.kernel.errors import FieldError
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import record
from omniretail.pricing import service as pricing_service

OPEN, ORDERED, MERGED = "open", "ordered", "merged"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_cart(*, session: Session, channel_id: uuid.UUID, customer_id: uuid.UUID | None = None,
                location_id: uuid.UUID | None = None, staff_id: uuid.UUID | None = None,
                email: str | None = None) -> tuple[Cart, str]:
    """Start a cart in a channel; returns it with its secret token (shown once, only its hash is kept)."""
    channel = channels_service.get_channel(session=session, channel_id=channel_id)
    if location_id is not None:
        inventory_service.get_location(session=session, location_id=location_id)
    token = secrets.token_urlsafe(32)
    cart = Cart(token_hash=hash_token(token), channel_id=channel.id, currency=channel.currency,
                customer_id=customer_id, location_id=location_id, staff_id=staff_id, status=OPEN, email=email,
                updated_at=clock.now(), lines=[])
    session.add(cart)
    session.flush()
    return cart, token


def get_cart(*, session: Session, cart_id: uuid.UUID) -> Cart:
    """One cart by id (access is checked by the caller's dependency)."""
    cart = session.get(Cart, cart_id)
    if cart is None:
        raise CartNotFound()
    return cart


def cart_by_token(*, session: Session, token: str) -> Cart | None:
    """The cart a guest's token opens, if any."""
    return session.scalar(select(Cart).where(Cart.token_hash == hash_token(token)))


def open_cart_for(*, session: Session, customer_id: uuid.UUID, channel_id: uuid.UUID) -> Cart | None:
    """The customer's open cart in a channel (the same on every device)."""
    return session.scalar(select(Cart).where(Cart.customer_id == customer_id, Cart.channel_id == channel_id,
                                             Cart.status == OPEN).order_by(Cart.updated_at.desc()).limit(1))


def _require_open(cart: Cart) -> None:
    if cart.status != OPEN:
        raise CartClosed(f"This cart is {cart.status}", status_now=cart.status,
                         order_id=str(cart.order_id) if cart.order_id else None)


def _touch(cart: Cart) -> None:
    cart.updated_at = clock.now()
    cart.abandoned_at = None


def add_line(*, session: Session, cart: Cart, quantity: int, variant_id: uuid.UUID | None = None,
             sku: str | None = None) -> Cart:
    """Put an item in the cart (adding to its line when it is already there) and re-price."""
    _require_open(cart)
    if quantity < 1:
        raise InvalidCartInput(errors=[FieldError(("body", "quantity"), "must be at least 1")])
    if variant_id is None and sku:
        found = catalog_service.variants_by_sku(session=session, skus=[sku]).get(sku)
        variant_id = found.id if found else None
    ids = list(dict.fromkeys([ln.variant_id for ln in cart.lines] + ([variant_id] if variant_id else [])))
    # One read of the refs serves the new line and the re-pricing of every line.
    refs = {r.id: r for r in catalog_service.variant_refs(session=session, variant_ids=ids)} if variant_id else {}
    ref = refs.get(variant_id) if variant_id else None
    if ref is None:
        raise InvalidCartInput("No such item", errors=[FieldError(("body", "sku" if sku else "variant_id"),
                                                                  "unknown item")])
    # Read the stock before the cart changes: the read flushes, and the new line should go out once, priced.
    stock = _stock_before_change(session, cart, ids)
    line = next((ln for ln in cart.lines if ln.variant_id == ref.id), None)
    if line is None:
        cart.lines.append(CartLine(variant_id=ref.id, product_id=ref.product_id, sku=ref.sku, name=ref.name,
                                   quantity=quantity, position=len(cart.lines), weight_grams=ref.weight_grams,
                                   tax_rate_bp=0, tax_inclusive=True))
    else:
        line.quantity += quantity
    _touch(cart)
    return _reprice(session, cart, refs, stock)


def _stock_before_change(session: Session, cart: Cart, variant_ids: list[uuid.UUID]
                         ) -> dict[tuple[uuid.UUID, uuid.UUID], int] | None:
    channel = channels_service.get_channel(session=session, channel_id=cart.channel_id)
    locations = [cart.location_id] if cart.location_id is not None else list(channel.location_ids or [])
    if not locations or not variant_ids:
        return None
    return {(a.variant_id, a.location_id): a.available for a in inventory_service.availability(
        session=session, variant_ids=variant_ids, location_ids=locations)}


def _line(cart: Cart, line_id: uuid.UUID) -> CartLine:
    line = next((ln for ln in cart.lines if ln.id == line_id), None)
    if line is None:
        raise LineNotFound()
    return line


def set_quantity(*, session: Session, cart: Cart, line_id: uuid.UUID, quantity: int) -> Cart:
    """Change a line's quantity (0 removes it) and re-price."""
    _require_open(cart)
    if quantity < 0:
        raise InvalidCartInput(errors=[FieldError(("body", "quantity"), "cannot be negative")])
    line = _line(cart, line_id)
    if quantity == 0:
        cart.lines.remove(line)
    else:
        line.quantity = quantity
    _touch(cart)
    return reprice(session=session, cart=cart)


def remove_line(*, session: Session, cart: Cart, line_id: uuid.UUID) -> Cart:
    """Take a line out of the cart."""
    return set_quantity(session=session, cart=cart, line_id=line_id, quantity=0)


def set_contact(*, session: Session, cart: Cart, email: str | None, phone: str | None) -> Cart:
    """Record where to send the order confirmation."""
    _require_open(cart)
    cart.email, cart.phone = email, phone
    _touch(cart)
    return cart


def set_delivery(*, session: Session, cart: Cart, delivery: dict[str, Any] | None,
                 location_id: uuid.UUID | None = None) -> Cart:
    """Store the delivery choice the checkout validated (and the pickup store, whose stock lines are checked at)."""
    _require_open(cart)
    cart.delivery = delivery
    if location_id is not None or cart.staff_id is None:
        cart.location_id = location_id
    _touch(cart)
    return reprice(session=session, cart=cart)


def _published(session: Session, channel_id: uuid.UUID, product_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    return catalog_service.published_product_ids(session=session, channel_id=channel_id, product_ids=list(product_ids))


def _available(session: Session, cart: Cart, channel: Any, variant_ids: list[uuid.UUID],
               known: Mapping[tuple[uuid.UUID, uuid.UUID], int] | None = None) -> dict[uuid.UUID, int]:
    if not variant_ids:
        return {}
    locations: list[uuid.UUID] | None = [cart.location_id] if cart.location_id is not None else (
        channel.location_ids or None)
    found: dict[uuid.UUID, int] = {}
    if known is not None and locations is not None and {loc for _, loc in known} >= set(locations):
        # The caller already read the stock at these locations (checkout shares one read with sourcing).
        for (variant_id, location_id), available in known.items():
            if location_id in locations and variant_id in variant_ids:
                found[variant_id] = found.get(variant_id, 0) + available
        return found
    for item in inventory_service.availability(session=session, variant_ids=variant_ids, location_ids=locations):
        found[item.variant_id] = found.get(item.variant_id, 0) + item.available
    return found


def reprice(*, session: Session, cart: Cart,
            stock: Mapping[tuple[uuid.UUID, uuid.UUID], int] | None = None) -> Cart:
    """Price every line now and say which cannot be bought, and why (``stock``: availability already read by
    (variant, location), to save reading it again)."""
    return _reprice(session, cart, None, stock)


def _reprice(session: Session, cart: Cart, refs: dict[uuid.UUID, Any] | None,
             stock: Mapping[tuple[uuid.UUID, uuid.UUID], int] | None = None) -> Cart:
    ids = [ln.variant_id for ln in cart.lines]
    # Read everything first with autoflush off: a new line is then inserted once, already priced, and the cart's
    # own changes go out in the same flush. The channel is held so the pricing read finds it in the session.
    with session.no_autoflush:
        channel = channels_service.get_channel(session=session, channel_id=cart.channel_id) if ids else None
        if refs is None:
            refs = {r.id: r for r in catalog_service.variant_refs(session=session, variant_ids=ids)} if ids else {}
        quotes = pricing_service.prices_for(session=session, channel_id=cart.channel_id, variant_ids=ids) if ids else {}
        published = _published(session, cart.channel_id, {r.product_id for r in refs.values()})
        available = _available(session, cart, channel, ids, stock)
        store = (inventory_service.get_location(session=session, location_id=cart.location_id).code
                 if cart.location_id else None)
    for line in cart.lines:
        ref, quote = refs.get(line.variant_id), quotes.get(line.variant_id)
        check = check_line(quantity=line.quantity, exists=ref is not None, active=bool(ref and ref.status == "active"),
                           published=bool(ref and ref.product_id in published), priced=quote is not None,
                           available=available.get(line.variant_id, 0), max_quantity=MAX_QUANTITY_PER_LINE,
                           store_label=store)
        line.problem = check.problem.value if check.problem else None
        line.problem_detail = check.detail or None
        if quote is not None:
            line.unit_price_minor = (quote.current.amount_minor if line.override_price_minor is None
                                     else line.override_price_minor)
            line.regular_price_minor = quote.regular.amount_minor
            line.tax_rate_bp, line.tax_inclusive = quote.tax_rate_bp, quote.tax_inclusive
        else:
            line.unit_price_minor = line.regular_price_minor = None
    session.flush()
    return cart


def offers_for(*, session: Session, cart: Cart) -> Offers:
    """The one place the cart asks promotions for adjustments and loyalty for points (see ``cart.offers``)."""
    return offers.offers_for(session=session, cart=cart)


def priced_lines(cart: Cart) -> list[PricedLine]:
    return [PricedLine(ln.variant_id, ln.quantity, Money(ln.unit_price_minor, cart.currency), ln.tax_rate_bp,
                       ln.tax_inclusive) for ln in cart.lines if ln.unit_price_minor is not None]


def cart_totals(*, session: Session, cart: Cart) -> Totals:
    """What the cart costs now, with the chosen delivery and any adjustments."""
    shipping = Money(int((cart.delivery or {}).get("price_minor", 0)), cart.currency)
    weight = sum(ln.weight_grams * ln.quantity for ln in cart.lines)
    return totals(priced_lines(cart), currency=cart.currency, shipping=shipping,
                  offers=offers_for(session=session, cart=cart), weight_grams=weight)


@dataclass(frozen=True)
class LineProblem:
    line_id: uuid.UUID
    sku: str
    problem: str
    detail: str


def problems(cart: Cart) -> list[LineProblem]:
    """The lines that stop the cart from being bought."""
    return [LineProblem(ln.id, ln.sku, ln.problem, ln.problem_detail or "") for ln in cart.lines if ln.problem]


def claim(*, session: Session, cart: Cart, customer_id: uuid.UUID) -> Cart:
    """Give a guest cart to the customer who just signed in, merging it into their open cart if they have one."""
    if cart.customer_id == customer_id or cart.status != OPEN:
        return cart
    if cart.customer_id is not None:
        raise CartNotFound()
    mine = open_cart_for(session=session, customer_id=customer_id, channel_id=cart.channel_id)
    if mine is None or mine.id == cart.id:
        cart.customer_id = customer_id
        _touch(cart)
        session.flush()
        return cart
    for line in list(cart.lines):
        existing = next((ln for ln in mine.lines if ln.variant_id == line.variant_id), None)
        if existing is None:
            mine.lines.append(CartLine(variant_id=line.variant_id, product_id=line.product_id, sku=line.sku,
                                       name=line.name, quantity=line.quantity, position=len(mine.lines),
                                       weight_grams=line.weight_grams, tax_rate_bp=0, tax_inclusive=True))
        else:
            existing.quantity = max(existing.quantity, line.quantity)
    cart.status, cart.merged_into = MERGED, mine.id
    mine.delivery = mine.delivery or cart.delivery
    _touch(mine)
    record(session, CartMerged(cart.id, mine.id, customer_id))
    return reprice(session=session, cart=mine)


def set_member(*, session: Session, cart: Cart, customer_id: uuid.UUID | None) -> Cart:
    """Name the member a cashier is serving (or nobody), so the sale earns their points and their offers apply."""
    _require_open(cart)
    cart.customer_id = customer_id
    _touch(cart)
    session.flush()
    return reprice(session=session, cart=cart)


def override_price(*, session: Session, cart: Cart, line_id: uuid.UUID, amount_minor: int | None,
                   reason: str, actor: str) -> Cart:
    """Set a line's price at the till (a damaged box, a price match), or give it back its shelf price with None.
    Only a store sale; never above the regular price; always with a reason, which stays on the line."""
    _require_open(cart)
    line = next((ln for ln in cart.lines if ln.id == line_id), None)
    if line is None:
        raise LineNotFound()
    if cart.location_id is None:
        raise InvalidCartInput("Prices are set by hand only at a store's till",
                               errors=[FieldError(("path", "cart_id"), "not a store sale")])
    if amount_minor is None:
        line.override_price_minor = line.override_reason = line.override_by = None
    else:
        text = reason.strip()
        problems = []
        if amount_minor < 0:
            problems.append(FieldError(("body", "amount_minor"), "must be 0 or more"))
        elif line.regular_price_minor is not None and amount_minor > line.regular_price_minor:
            problems.append(FieldError(("body", "amount_minor"),
                                       f"must not be above the regular price {line.regular_price_minor}"))
        if len(text) < 3:
            problems.append(FieldError(("body", "reason"), "say why (at least 3 characters)"))
        if problems:
            raise InvalidCartInput("The price cannot be set", errors=problems)
        line.override_price_minor, line.override_reason, line.override_by = amount_minor, text[:200], actor[:200]
    _touch(cart)
    session.flush()
    return reprice(session=session, cart=cart)


def mark_ordered(*, session: Session, cart_id: uuid.UUID, order_id: uuid.UUID) -> None:
    """Close the cart once its order exists."""
    session.execute(update(Cart).where(Cart.id == cart_id).values(status=ORDERED, order_id=order_id,
                                                                  updated_at=clock.now())
                    .execution_options(synchronize_session=False))


def lines_for(cart: Cart) -> Sequence[CartLine]:
    return list(cart.lines)


def detect_abandoned(*, session: Session, older_than: timedelta, batch: int = 200) -> int:
    """Raise ``CheckoutAbandoned`` once for each customer's cart with items left alone longer than ``older_than``."""
    cutoff = clock.now() - older_than
    carts = list(session.scalars(select(Cart).where(Cart.status == OPEN, Cart.customer_id.is_not(None),
                                                    Cart.abandoned_at.is_(None), Cart.updated_at <= cutoff)
                                 .order_by(Cart.updated_at).limit(batch)))
    raised = 0
    for cart in carts:
        if not cart.lines or cart.customer_id is None:
            continue
        marked = affected(session.execute(update(Cart).where(Cart.id == cart.id, Cart.abandoned_at.is_(None))
                                          .values(abandoned_at=clock.now())
                                          .execution_options(synchronize_session=False)))
        if marked:
            total = cart_totals(session=session, cart=cart)
            record(session, CheckoutAbandoned(cart.id, cart.customer_id, cart.channel_id, total.total.amount_minor,
                                              cart.currency))
            raised += 1
    return raised


def reassign_customer(*, session: Session, from_customer_id: uuid.UUID, to_customer_id: uuid.UUID) -> int:
    """Give a merged customer's carts to the surviving one (their open carts then show on every device)."""
    return affected(session.execute(update(Cart).where(Cart.customer_id == from_customer_id)
                                    .values(customer_id=to_customer_id).execution_options(synchronize_session=False)))


def erase_customer(*, session: Session, customer_id: uuid.UUID) -> int:
    """Blank a forgotten customer's e-mail, phone and delivery address on their carts."""
    carts = list(session.scalars(select(Cart).where(Cart.customer_id == customer_id)))
    for cart in carts:
        cart.email, cart.phone = None, None
        if cart.delivery and isinstance(cart.delivery.get("address"), dict):
            cart.delivery = {k: v for k, v in cart.delivery.items() if k != "address"}
    session.flush()
    return len(carts)


__all__ = ["Cart", "CartLine", "CartNotFound", "InvalidCartInput", "add_line", "cart_totals", "claim", "create_cart",
           "get_cart", "reprice", "set_delivery"]
