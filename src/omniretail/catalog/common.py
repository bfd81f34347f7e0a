"""Helpers shared by the catalog's service modules (products and categories): permission check, names in the
supported locales, slugs unique per locale."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog.exceptions import CodeTaken, InvalidProduct
from omniretail.catalog.models import CategoryTranslation, ProductTranslation
from omniretail.catalog.rules import DEFAULT_LOCALE, LOCALES
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.errors import FieldError


def require(actor: Principal | None) -> None:
    if actor is not None:
        identity_service.require(actor, Permission.CATALOG_WRITE)



def unique_slug(session: Session, model: type[CategoryTranslation] | type[ProductTranslation], locale: str,
                 wanted: str, owner: uuid.UUID, explicit: bool) -> str:
    owner_column = model.category_id if model is CategoryTranslation else model.product_id  # type: ignore[union-attr]
    exact = select(model.slug).where(model.locale == locale, model.slug == wanted, owner_column != owner)
    if session.scalar(exact) is None:
        return wanted
    taken = set(session.scalars(select(model.slug).where(model.locale == locale, model.slug.startswith(wanted),
                                                         owner_column != owner)))
    if explicit:
        raise CodeTaken(f"The slug {wanted!r} is used in {locale}", slug=wanted, locale=locale)
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def check_names(names: Mapping[str, str], where: str) -> None:
    errors = [FieldError(("body", where, loc), "unsupported locale") for loc in names if loc not in LOCALES]
    if not names.get(DEFAULT_LOCALE, "").strip():
        errors.append(FieldError(("body", where, DEFAULT_LOCALE), "the default locale's text is required"))
    if errors:
        raise InvalidProduct(errors=errors)


