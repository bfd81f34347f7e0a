"""Pricing API: price lists, prices by SKU, scheduled sales, tax rates and the consistency report."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from omniretail.catalog import service as catalog_service
from omniretail.channels.schemas import ChannelRead
from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import FieldError, InvalidInput
from omniretail.pricing import service as pricing_service
from omniretail.pricing.schemas import (
    AssignIn,
    InconsistencyRead,
    PriceListCreate,
    PriceListRead,
    PriceRead,
    PricesIn,
    RuleCreate,
    RuleRead,
    SaleIn,
    TaxRateIn,
)

router = APIRouter(tags=["pricing"])
Reader = Annotated[Principal, Depends(Allowed(Permission.CATALOG_READ))]
Writer = Annotated[Principal, Depends(Allowed(Permission.PRICES_WRITE))]


def _variants(session: SessionDep, skus: list[str]) -> dict[str, uuid.UUID]:
    found = catalog_service.variants_by_sku(session=session, skus=skus)
    missing = [FieldError(("body", "prices", i, "sku"), "unknown SKU") for i, s in enumerate(skus) if s not in found]
    if missing:
        raise InvalidInput("Some SKUs are unknown", errors=missing)
    return {sku: variant.id for sku, variant in found.items()}


@router.get("/price-lists")
def list_price_lists(session: SessionDep, actor: Reader) -> list[PriceListRead]:
    """Every price list."""
    return [PriceListRead.model_validate(p) for p in pricing_service.list_price_lists(session=session)]


@router.post("/price-lists", status_code=201)
def create_price_list(body: PriceListCreate, session: SessionDep, actor: Writer) -> PriceListRead:
    """Start a price list in one currency for a tax country."""
    return PriceListRead.model_validate(pricing_service.create_price_list(session=session, actor=actor,
                                                                          **body.model_dump()))


@router.get("/price-lists/consistency-report")
def consistency_report(session: SessionDep, actor: Reader, rule: str | None = None) -> list[InconsistencyRead]:
    """Variants whose price differs between channels beyond the merchant's rules."""
    found = pricing_service.consistency_report(session=session, rule_code=rule)
    skus = {r.id: r.sku for r in catalog_service.variant_refs(session=session,
                                                              variant_ids=[f.variant_id for f in found])}
    return [InconsistencyRead(rule_code=f.rule_code, sku=skus.get(f.variant_id, "?"), variant_id=f.variant_id,
                              prices={c: (m.amount_minor if m else None) for c, m in f.prices.items()},
                              currency=next((m.currency for m in f.prices.values() if m), ""))
            for f in found]


@router.get("/price-lists/{price_list_id}")
def get_price_list(price_list_id: uuid.UUID, session: SessionDep, actor: Reader) -> PriceListRead:
    """One price list."""
    return PriceListRead.model_validate(pricing_service.get_price_list(session=session, price_list_id=price_list_id))


@router.get("/price-lists/{price_list_id}/prices")
def list_prices(price_list_id: uuid.UUID, session: SessionDep, actor: Reader) -> list[PriceRead]:
    """A list's regular prices, by SKU."""
    amounts = pricing_service.list_prices(session=session, price_list_id=price_list_id)
    refs = catalog_service.variant_refs(session=session, variant_ids=list(amounts))
    return [PriceRead(sku=r.sku, variant_id=r.id, amount_minor=amounts[r.id]) for r in refs]


@router.put("/price-lists/{price_list_id}/prices", status_code=204)
def set_prices(price_list_id: uuid.UUID, body: PricesIn, session: SessionDep, actor: Writer) -> Response:
    """Set regular prices by SKU."""
    ids = _variants(session, [p.sku for p in body.prices])
    pricing_service.set_prices(session=session, actor=actor, price_list_id=price_list_id,
                               amounts={ids[p.sku]: p.amount_minor for p in body.prices})
    return Response(status_code=204)


@router.post("/price-lists/{price_list_id}/sales", status_code=204)
def schedule_sale(price_list_id: uuid.UUID, body: SaleIn, session: SessionDep, actor: Writer) -> Response:
    """Schedule a sale price for one SKU."""
    variant_id = _variants(session, [body.sku])[body.sku]
    pricing_service.schedule_sale(session=session, actor=actor, price_list_id=price_list_id, variant_id=variant_id,
                                  amount_minor=body.amount_minor, starts_at=body.starts_at, ends_at=body.ends_at)
    return Response(status_code=204)


@router.post("/price-lists/{price_list_id}/channels")
def assign(price_list_id: uuid.UUID, body: AssignIn, session: SessionDep, actor: Writer) -> ChannelRead:
    """Make a channel sell at this list's prices."""
    channel = pricing_service.assign_price_list(session=session, actor=actor, channel_id=body.channel_id,
                                                price_list_id=price_list_id)
    return ChannelRead.model_validate(channel)


@router.put("/price-lists/tax-rates", status_code=204)
def set_tax_rate(body: TaxRateIn, session: SessionDep, actor: Writer) -> Response:
    """Set a country's tax rate."""
    pricing_service.set_tax_rate(session=session, actor=actor, **body.model_dump())
    return Response(status_code=204)


@router.post("/price-lists/consistency-rules", status_code=201)
def create_rule(body: RuleCreate, session: SessionDep, actor: Writer) -> RuleRead:
    """Promise that some channels show the same price (within a tolerance)."""
    return RuleRead.model_validate(pricing_service.create_rule(session=session, actor=actor, **body.model_dump()))
