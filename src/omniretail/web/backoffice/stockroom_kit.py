"""What the stockroom and work-queue pages share: the staff checks per store, form parsing, running a use case
in a savepoint so a refused form saves nothing, and the names shown beside ids."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.identity.dependencies import check_csrf
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel.errors import DomainError, FieldError, InvalidInput, PermissionDenied
from omniretail.kernel.i18n import N_

Text = Annotated[str | None, Query(max_length=100)]
CSRF = [Depends(check_csrf)]
EXPORT_CAP = 10_000
T = TypeVar("T")


async def _read_form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip()[:500] for k, v in form.items() if isinstance(v, str)}


FormData = Annotated[dict[str, str], Depends(_read_form)]


def login(path: str) -> Response:
    return RedirectResponse(f"/admin/login?next={path}", status_code=303)


def back(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


def parse_uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def parse_quantity(raw: str | None) -> int | None:
    """A whole number of units typed in a form, or None when the box was left empty or is not a number."""
    text = (raw or "").strip()
    if text.lstrip("-").isdigit() and len(text) <= 7:
        return int(text)
    return None


def require(staff: Principal, permission: Permission, location_id: uuid.UUID | None = None) -> None:
    if not staff.can(permission, location_id):
        raise PermissionDenied(N_("This page is for another store or another role"), permission=permission.value)


def stores(session: Session, staff: Principal, permission: Permission) -> list[Any]:
    """The locations where ``staff`` holds ``permission``, by name."""
    allowed = staff.locations_for(permission)
    return sorted((loc for loc in inventory_service.list_locations(session=session)
                   if allowed is None or loc.id in allowed), key=lambda loc: loc.name)


def names_of(session: Session) -> dict[uuid.UUID, str]:
    return {loc.id: loc.name for loc in inventory_service.list_locations(session=session)}


def refs_of(session: Session, variant_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    return {r.id: r for r in catalog_service.variant_refs(session=session, variant_ids=list(set(variant_ids)))} \
        if variant_ids else {}


def sku_of(refs: dict[uuid.UUID, Any], variant_id: uuid.UUID) -> str:
    return refs[variant_id].sku if variant_id in refs else str(variant_id)[:8]


def attempt(session: Session, action: Callable[[], T]) -> T | DomainError:
    """Run one use case in a savepoint: when it refuses, everything it wrote is undone and the error returned."""
    try:
        with session.begin_nested():
            return action()
    except DomainError as error:
        return error


def problem(error: DomainError) -> dict[str, Any]:
    return {"title": error.title, "detail": error.detail,
            "fields": [f"{'.'.join(str(x) for x in e.loc[1:])}: {e.msg}" for e in error.errors]}


def quantities(form: dict[str, str], prefix: str = "qty-") -> dict[uuid.UUID, int]:
    """``qty-<variant id>`` fields that hold a number."""
    found: dict[uuid.UUID, int] = {}
    for key, value in form.items():
        variant_id = parse_uuid(key[len(prefix):]) if key.startswith(prefix) else None
        amount = parse_quantity(value)
        if variant_id is not None and amount is not None:
            found[variant_id] = amount
    return found


def sku_lines(session: Session, form: dict[str, str], rows: int = 6) -> list[tuple[uuid.UUID, int]]:
    """``sku-N``/``qty-N`` pairs typed in a form, checked against the catalogue (field errors otherwise)."""
    wanted = [(n, form.get(f"sku-{n}", "").upper(), form.get(f"qty-{n}", "")) for n in range(rows)]
    wanted = [w for w in wanted if w[1] or w[2]]
    found = catalog_service.variants_by_sku(session=session, skus=[w[1] for w in wanted if w[1]])
    errors, lines = [], []
    for n, sku, raw in wanted:
        amount = parse_quantity(raw)
        if sku not in found:
            errors.append(FieldError(("form", f"sku-{n}"), f"unknown SKU {sku}" if sku else "missing"))
        elif amount is None or amount <= 0:
            errors.append(FieldError(("form", f"qty-{n}"), "must be a whole number above 0"))
        else:
            lines.append((found[sku].id, amount))
    if errors:
        raise InvalidInput(N_("Some fields are not valid"), errors=errors)
    return lines


def every(fetch: Callable[[str | None], Any], cap: int = EXPORT_CAP) -> list[Any]:
    """Every item of a cursor-paged list (up to ``cap``), page after page, for an export."""
    items: list[Any] = []
    cursor: str | None = None
    while len(items) < cap:
        page = fetch(cursor)
        items.extend(page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    return items[:cap]


def day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
