"""Typed loaders and permission checks for the catalog routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from omniretail.catalog import service as catalog_service
from omniretail.catalog.models import Product, Variant
from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep

CatalogReader = Annotated[Principal, Depends(Allowed(Permission.CATALOG_READ))]
CatalogWriter = Annotated[Principal, Depends(Allowed(Permission.CATALOG_WRITE))]


def valid_product(product_id: uuid.UUID, session: SessionDep) -> Product:
    return catalog_service.get_product(session=session, product_id=product_id)


def valid_variant(variant_id: uuid.UUID, session: SessionDep) -> Variant:
    return catalog_service.get_variant(session=session, variant_id=variant_id)


ValidProduct = Annotated[Product, Depends(valid_product)]
ValidVariant = Annotated[Variant, Depends(valid_variant)]
