"""Back-office catalog pages: products, variants, content in five languages, categories, price lists and sale prices.

Reading needs ``catalog.read``; changing products, categories and collections ``catalog.write``; prices
``prices.write``. Every POST is one transaction: the changes run inside a savepoint that is rolled back when any
field is wrong, and the form comes back with the messages next to the fields and what was typed kept.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog import service as catalog_service
from omniretail.catalog.collections import service as collections_service
from omniretail.catalog.exceptions import CodeTaken, SkuTaken
from omniretail.catalog.rules import LOCALES, CollectionRule, ProductStatus, barcode_problem, pick, sku_problem
from omniretail.channels import service as channels_service
from omniretail.identity.dependencies import OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel import clock
from omniretail.kernel.deps import SessionDep, SettingsDep
from omniretail.kernel.errors import DomainError, NotFound, PermissionDenied
from omniretail.kernel.i18n import N_, translations
from omniretail.kernel.money import Money
from omniretail.pricing import service as pricing_service
from omniretail.web.backoffice.tables import PAGE_SIZE, Paging, csv_response, link, page_number
from omniretail.web.templates import locale_for, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=100)]
DIMENSIONS = ("weight_grams", "length_mm", "width_mm", "height_mm")
FIX_FIELDS = N_("Please correct the marked fields; nothing was saved.")
SAVED = N_("Saved.")
WHOLE_NUMBER = N_("Enter a whole number, 0 or more.")
BAD_DATE = N_("Enter a date and time like 2026-12-01T09:00.")
BAD_AMOUNT = N_("Enter an amount like 14.99.")
BAD_ATTRIBUTES = N_("Write attributes as code=value; code=value.")
UNKNOWN_CODES = N_("Unknown product codes: %(codes)s")
REQUIRED = N_("Required.")


async def _form(request: Request) -> FormData:
    return await request.form(max_files=5, max_fields=2000)


FormDep = Annotated[FormData, Depends(_form)]


class _Rollback(Exception):
    """Raised inside the savepoint when a form had errors, so none of its changes stay."""


@contextmanager
def _all_or_nothing(session: Session, errors: dict[str, str]) -> Iterator[None]:
    try:
        with session.begin_nested():
            yield
            if errors:
                raise _Rollback
    except _Rollback:
        pass


def _unknown_codes(locale: str, missing: list[str]) -> str:
    return str(translations(locale).ugettext(UNKNOWN_CODES)) % {"codes": ", ".join(missing[:10])}


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def _login(area: str) -> Response:
    return RedirectResponse(f"/admin/login?next={area}", status_code=303)


def _gate(staff: Principal | None, area: str, *permissions: Permission) -> Response | None:
    """A redirect to sign in, or 403 unless the staff member holds one of ``permissions`` somewhere."""
    if staff is None:
        return _login(area)
    if not any(staff.can(p) for p in permissions):
        raise PermissionDenied("Your roles do not include this part of the catalog")
    return None


def _text(form: FormData, name: str, limit: int = 500) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _when(raw: str) -> datetime | None:
    """A datetime-local value read as UTC; raises ValueError."""
    if not raw:
        return None
    moment = datetime.fromisoformat(raw)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _local(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _codes(raw: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", raw) if c]


def _domain_errors(error: DomainError, place: Callable[[tuple[str | int, ...]], str]) -> dict[str, str]:
    if not error.errors:
        return {place(("body", str(error.extra.get("field", "_form")))): error.detail}
    return {place(e.loc): e.msg for e in error.errors}


def _category_options(session: Session, locale: str) -> list[dict[str, Any]]:
    depth: dict[uuid.UUID, int] = {}
    options = []
    for node in catalog_categories.category_tree(session=session):
        depth[node.id] = depth[node.parent_id] + 1 if node.parent_id in depth else 0
        options.append({"id": str(node.id), "name": pick(node.names, locale), "depth": depth[node.id]})
    return options


# --- product list ---------------------------------------------------------------------------------------

PRODUCT_COLUMNS = ["code", "name", "brand", "status", "skus", "updated"]


@router.get("/admin/catalog")
def products(request: Request, session: SessionDep, staff: OptionalStaff, q: Text = None, status: Text = None,
             brand: Text = None, category: Text = None, sort: Text = None, page: Text = None,
             format: Text = None) -> Response:
    """Products: search by SKU, barcode or name in any language, filter, sort, page, export."""
    if (gate := _gate(staff, "/admin/catalog", Permission.CATALOG_READ)) is not None:
        return gate
    locale = locale_for(request)
    sort_key = sort if sort in catalog_service.ADMIN_PRODUCT_SORTS else "-updated"
    chosen = status if status in set(ProductStatus) else None
    params = {"q": q, "status": chosen, "brand": brand, "category": category, "sort": sort_key}

    def search(offset: int, limit: int | None) -> tuple[list[catalog_service.ProductRow], int]:
        return catalog_service.search_products_admin(
            session=session, text=q, status=chosen, brand=brand or None, category_id=_uuid(category),
            sort=sort_key, locale=locale, offset=offset, limit=limit)
    if format == "csv":
        found, _ = search(0, None)
        return csv_response(f"products-{clock.now():%Y%m%d-%H%M}.csv", PRODUCT_COLUMNS,
                            [[p.code, p.name, p.brand, p.status, " ".join(p.skus), p.updated_at.isoformat()]
                             for p in found])
    paging = Paging(page_number(page), PAGE_SIZE, 0)
    found, total = search(paging.offset, paging.size)
    return render(request, "backoffice/catalog/products.html", {
        "staff": staff, "params": params, "paging": Paging(paging.page, paging.size, total),
        "statuses": list(ProductStatus), "brands": catalog_service.list_brands(session=session),
        "categories": _category_options(session, locale), "rows": found,
        "can_write": staff is not None and staff.can(Permission.CATALOG_WRITE),
        "link": lambda **kw: link("/admin/catalog", params, **kw)})


# --- categories -----------------------------------------------------------------------------------------

def _category_rows(session: Session) -> list[dict[str, Any]]:
    depth: dict[uuid.UUID, int] = {}
    rows = []
    for category in catalog_categories.list_categories(session=session):
        depth[category.id] = depth[category.parent_id] + 1 if category.parent_id in depth else 0
        rows.append({"id": category.id, "code": category.code, "position": category.position,
                     "parent_id": category.parent_id, "depth": depth[category.id],
                     "names": {t.locale: t.name for t in category.translations},
                     "slugs": {t.locale: t.slug for t in category.translations}})
    return rows


def _category_errors(error: DomainError) -> dict[str, str]:
    def place(loc: tuple[str | int, ...]) -> str:
        if len(loc) >= 3 and loc[1] == "names":
            return f"name-{loc[2]}"
        return "code" if isinstance(error, CodeTaken) else str(loc[-1])
    if isinstance(error, CodeTaken) and "locale" in error.extra:
        return {f"slug-{error.extra['locale']}": error.detail}
    return _domain_errors(error, place)


@router.get("/admin/catalog/categories")
def categories(request: Request, session: SessionDep, staff: OptionalStaff, format: Text = None) -> Response:
    """The category tree with names and slugs per language (or CSV); add a category."""
    if (gate := _gate(staff, "/admin/catalog/categories", Permission.CATALOG_READ)) is not None:
        return gate
    if format == "csv":
        rows = _category_rows(session)
        codes = {r["id"]: r["code"] for r in rows}
        return csv_response("categories.csv", ["code", "parent", "position", *(f"name_{x}" for x in LOCALES),
                                               *(f"slug_{x}" for x in LOCALES)],
                            [[r["code"], codes.get(r["parent_id"], ""), r["position"],
                              *(r["names"].get(x, "") for x in LOCALES), *(r["slugs"].get(x, "") for x in LOCALES)]
                             for r in rows])
    return _categories_page(request, session, staff, {}, {})


def _categories_page(request: Request, session: Session, staff: Principal | None, form: dict[str, str],
                     errors: dict[str, str], status: int = 200) -> Response:
    return render(request, "backoffice/catalog/categories.html", {
        "staff": staff, "rows": _category_rows(session), "locales": LOCALES, "form": form, "errors": errors,
        "can_write": staff is not None and staff.can(Permission.CATALOG_WRITE),
        "options": _category_options(session, locale_for(request))}, status=status)


@router.post("/admin/catalog/categories")
def add_category(request: Request, session: SessionDep, staff: OptionalStaff, form: FormDep) -> Response:
    """Add a category under a parent (or at the top), with names and optional slugs per language."""
    if (gate := _gate(staff, "/admin/catalog/categories", Permission.CATALOG_WRITE)) is not None:
        return gate
    typed = {k: _text(form, k, 200) for k in ("code", "parent", "position",
                                              *(f"{p}-{loc}" for p in ("name", "slug") for loc in LOCALES))}
    errors: dict[str, str] = {}
    if not typed["code"]:
        errors["code"] = REQUIRED
    if typed["position"] and not typed["position"].isdigit():
        errors["position"] = WHOLE_NUMBER
    if not errors:
        with _all_or_nothing(session, errors):
            try:
                catalog_categories.create_category(
                    session=session, actor=staff, code=typed["code"], parent_id=_uuid(typed["parent"]),
                    position=int(typed["position"] or 0),
                    names={loc: typed[f"name-{loc}"] for loc in LOCALES if typed[f"name-{loc}"]},
                    slugs={loc: typed[f"slug-{loc}"] for loc in LOCALES if typed[f"slug-{loc}"]})
            except DomainError as error:
                errors.update(_category_errors(error))
    if errors:
        return _categories_page(request, session, staff, typed, errors, status=422)
    return RedirectResponse("/admin/catalog/categories?saved=1", status_code=303)


@router.get("/admin/catalog/categories/{category_id}")
def category(category_id: str, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """One category: rename it per language, reorder it, move it under another parent."""
    if (gate := _gate(staff, "/admin/catalog/categories", Permission.CATALOG_READ)) is not None:
        return gate
    row = next((r for r in _category_rows(session) if str(r["id"]) == category_id), None)
    if row is None:
        raise NotFound("No such category")
    typed = {"position": str(row["position"]), "parent": str(row["parent_id"] or ""),
             **{f"name-{loc}": row["names"].get(loc, "") for loc in LOCALES}}
    return _category_page(request, session, staff, row, typed, {})


def _category_page(request: Request, session: Session, staff: Principal | None, row: dict[str, Any],
                   form: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    inside = _category_options(session, locale_for(request))
    return render(request, "backoffice/catalog/category.html", {
        "staff": staff, "row": row, "form": form, "errors": errors, "locales": LOCALES, "options": inside,
        "can_write": staff is not None and staff.can(Permission.CATALOG_WRITE)}, status=status)


@router.post("/admin/catalog/categories/{category_id}")
def edit_category(category_id: str, request: Request, session: SessionDep, staff: OptionalStaff,
                  form: FormDep) -> Response:
    """Rename, reorder or move a category."""
    if (gate := _gate(staff, "/admin/catalog/categories", Permission.CATALOG_WRITE)) is not None:
        return gate
    row = next((r for r in _category_rows(session) if str(r["id"]) == category_id), None)
    if row is None:
        raise NotFound("No such category")
    typed = {k: _text(form, k, 200) for k in ("position", "parent", *(f"name-{loc}" for loc in LOCALES))}
    errors: dict[str, str] = {}
    if not typed["position"].isdigit():
        errors["position"] = WHOLE_NUMBER
    if not errors:
        with _all_or_nothing(session, errors):
            try:
                catalog_categories.update_category(
                    session=session, actor=staff, category_id=row["id"], position=int(typed["position"]),
                    names={loc: typed[f"name-{loc}"] for loc in LOCALES if typed[f"name-{loc}"]},
                    parent_id=_uuid(typed["parent"]), move=_uuid(typed["parent"]) != row["parent_id"])
            except DomainError as error:
                errors.update(_category_errors(error) if error.errors else {"parent": error.detail})
    if errors:
        return _category_page(request, session, staff, row, typed, errors, status=422)
    return RedirectResponse(f"/admin/catalog/categories/{category_id}?saved=1", status_code=303)


# --- collections ----------------------------------------------------------------------------------------

def _collection_form(session: Session, collection: Any | None) -> dict[str, str]:
    if collection is None:
        return {"rule": CollectionRule.MANUAL, "size": "12", "position": "0"}
    codes = catalog_service.product_codes(session=session, product_ids=collections_service.item_ids(
        session=session, collection_id=collection.id))
    ids = collections_service.item_ids(session=session, collection_id=collection.id)
    return {"code": collection.code, "rule": collection.rule, "size": str(collection.size),
            "position": str(collection.position), "category": str(collection.category_id or ""),
            "products": "\n".join(codes[i] for i in ids if i in codes),
            **{f"title-{loc}": str(collection.titles.get(loc, "")) for loc in LOCALES}}


def _save_collection(session: Session, staff: Principal | None, typed: dict[str, str],
                     collection_id: uuid.UUID | None, locale: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in ("size", "position"):
        if not typed.get(name, "").isdigit():
            errors[name] = WHOLE_NUMBER
    codes = _codes(typed.get("products", ""))
    ids = catalog_service.product_ids_by_code(session=session, codes=codes)
    if missing := [c for c in codes if c not in ids]:
        errors["products"] = _unknown_codes(locale, missing)
    if collection_id is None and not typed.get("code"):
        errors["code"] = REQUIRED
    if errors:
        return errors
    titles = {loc: typed[f"title-{loc}"] for loc in LOCALES if typed.get(f"title-{loc}")}

    def place(loc: tuple[str | int, ...]) -> str:
        return f"title-{loc[2]}" if len(loc) >= 3 and loc[1] == "titles" else str(loc[1] if len(loc) > 1 else "_form")
    with _all_or_nothing(session, errors):
        try:
            product_ids = [ids[c] for c in codes]
            if collection_id is None:
                collections_service.create_collection(
                    session=session, actor=staff, code=typed["code"], titles=titles, rule=typed["rule"],
                    category_id=_uuid(typed.get("category")), size=int(typed["size"]),
                    position=int(typed["position"]), product_ids=product_ids)
            else:
                collections_service.update_collection(
                    session=session, actor=staff, collection_id=collection_id, titles=titles, rule=typed["rule"],
                    size=int(typed["size"]), position=int(typed["position"]), product_ids=product_ids)
        except DomainError as error:
            errors.update({"code": error.detail} if isinstance(error, CodeTaken)
                          else _domain_errors(error, place))
    return errors


def _collections_page(request: Request, session: Session, staff: Principal | None, form: dict[str, str],
                      errors: dict[str, str], status: int = 200) -> Response:
    locale = locale_for(request)
    options = _category_options(session, locale)
    names = {o["id"]: o["name"] for o in options}
    rows = [{"id": c.id, "code": c.code, "title": pick({k: str(v) for k, v in c.titles.items()}, locale),
             "rule": c.rule, "size": c.size, "position": c.position,
             "place": names.get(str(c.category_id), "") if c.category_id else None,
             "count": len(collections_service.item_ids(session=session, collection_id=c.id))}
            for c in collections_service.list_collections(session=session)]
    return render(request, "backoffice/catalog/collections.html", {
        "staff": staff, "rows": rows, "form": form, "errors": errors, "locales": LOCALES, "options": options,
        "rules": list(CollectionRule), "can_write": staff is not None and staff.can(Permission.CATALOG_WRITE)},
        status=status)


COLLECTION_FIELDS = ("code", "rule", "size", "position", "category", "products", *(f"title-{x}" for x in LOCALES))


@router.get("/admin/catalog/collections")
def collections(request: Request, session: SessionDep, staff: OptionalStaff, format: Text = None) -> Response:
    """Featured collections (home page and category shelves), by position (or CSV); add one."""
    if (gate := _gate(staff, "/admin/catalog/collections", Permission.CATALOG_READ)) is not None:
        return gate
    if format == "csv":
        found = collections_service.list_collections(session=session)
        return csv_response("collections.csv", ["position", "code", "rule", "size", "category_id", "products",
                                                *(f"title_{x}" for x in LOCALES)], [
            [c.position, c.code, c.rule, c.size, c.category_id or "",
             " ".join(catalog_service.product_codes(session=session, product_ids=ids).get(i, "") for i in ids)
             if (ids := collections_service.item_ids(session=session, collection_id=c.id)) else "",
             *(c.titles.get(x, "") for x in LOCALES)] for c in found])
    return _collections_page(request, session, staff, _collection_form(session, None), {})


@router.post("/admin/catalog/collections")
def add_collection(request: Request, session: SessionDep, staff: OptionalStaff, form: FormDep) -> Response:
    """Add a featured collection: hand-picked products in order, or a rule."""
    if (gate := _gate(staff, "/admin/catalog/collections", Permission.CATALOG_WRITE)) is not None:
        return gate
    typed = {k: _text(form, k, 5000) for k in COLLECTION_FIELDS}
    if errors := _save_collection(session, staff, typed, None, locale_for(request)):
        return _collections_page(request, session, staff, typed, errors, status=422)
    return RedirectResponse("/admin/catalog/collections?saved=1", status_code=303)


@router.get("/admin/catalog/collections/{collection_id}")
def collection(collection_id: str, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """One collection: titles, rule, size, position and its products in order."""
    if (gate := _gate(staff, "/admin/catalog/collections", Permission.CATALOG_READ)) is not None:
        return gate
    found = collections_service.get_collection(session=session, collection_id=_uuid(collection_id) or uuid.UUID(int=0))
    return _collection_page(request, session, staff, found, _collection_form(session, found), {})


def _collection_page(request: Request, session: Session, staff: Principal | None, found: Any,
                     form: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    return render(request, "backoffice/catalog/collection.html", {
        "staff": staff, "collection": found, "form": form, "errors": errors, "locales": LOCALES,
        "rules": list(CollectionRule), "can_write": staff is not None and staff.can(Permission.CATALOG_WRITE)},
        status=status)


@router.post("/admin/catalog/collections/{collection_id}")
def edit_collection(collection_id: str, request: Request, session: SessionDep, staff: OptionalStaff,
                    form: FormDep) -> Response:
    """Change a collection, or delete it (``action=delete``)."""
    if (gate := _gate(staff, "/admin/catalog/collections", Permission.CATALOG_WRITE)) is not None:
        return gate
    found = collections_service.get_collection(session=session, collection_id=_uuid(collection_id) or uuid.UUID(int=0))
    if _text(form, "action") == "delete":
        collections_service.delete_collection(session=session, actor=staff, collection_id=found.id)
        return RedirectResponse("/admin/catalog/collections", status_code=303)
    typed = {k: _text(form, k, 5000) for k in COLLECTION_FIELDS}
    if errors := _save_collection(session, staff, typed, found.id, locale_for(request)):
        return _collection_page(request, session, staff, found, typed, errors, status=422)
    return RedirectResponse(f"/admin/catalog/collections/{collection_id}?saved=1", status_code=303)


# --- one product ----------------------------------------------------------------------------------------

@dataclass
class VariantRow:
    id: str = ""
    sku: str = ""
    barcode: str = ""
    attributes: str = ""
    status: str = "active"
    sizes: dict[str, str] = field(default_factory=lambda: dict.fromkeys(DIMENSIONS, "0"))

    @property
    def blank(self) -> bool:
        return not (self.id or self.sku or self.barcode or self.attributes)


@dataclass
class ProductForm:
    """What the product form shows: from the database on GET, as typed on a POST that had errors."""

    code: str = ""
    brand: str = ""
    status: str = ProductStatus.DRAFT
    description_format: str = "html"
    texts: dict[str, dict[str, str]] = field(
        default_factory=lambda: {loc: {"name": "", "slug": "", "description": ""} for loc in LOCALES})
    category_ids: list[str] = field(default_factory=list)
    publications: dict[str, dict[str, str]] = field(default_factory=dict)
    related: str = ""
    variants: list[VariantRow] = field(default_factory=list)


def _from_product(session: Session, product: Any) -> ProductForm:
    form = ProductForm(code=product.code, brand=product.brand, status=product.status)
    for t in product.translations:
        form.texts[t.locale] = {"name": t.name, "slug": t.slug, "description": t.description_html}
    form.category_ids = [str(c) for c in catalog_service.category_ids_of(session=session, product_id=product.id)]
    form.publications = {str(p.channel_id): {"on": "1", "starts": _local(p.starts_at), "ends": _local(p.ends_at)}
                         for p in catalog_service.publications(session=session, product_id=product.id)}
    related = catalog_service.related(session=session, product_id=product.id, kind="related")
    codes = catalog_service.product_codes(session=session, product_ids=related)
    form.related = ", ".join(codes[r] for r in related if r in codes)
    form.variants = [VariantRow(id=str(v.id), sku=v.sku, barcode=v.barcode or "", status=v.status,
                                attributes="; ".join(f"{k}={val}" for k, val in v.attributes.items()),
                                sizes={d: str(getattr(v, d)) for d in DIMENSIONS}) for v in product.variants]
    form.variants.append(VariantRow())
    return form


def _from_post(form: FormData, channel_ids: list[str]) -> ProductForm:
    typed = ProductForm(code=_text(form, "code", 80), brand=_text(form, "brand", 120),
                        status=_text(form, "status", 12), description_format=_text(form, "description_format", 10),
                        related=_text(form, "related", 2000))
    for loc in LOCALES:
        typed.texts[loc] = {"name": _text(form, f"name-{loc}", 300), "slug": _text(form, f"slug-{loc}", 300),
                            "description": _text(form, f"description-{loc}", 20_000)}
    typed.category_ids = [v for v in form.getlist("category") if isinstance(v, str)]
    typed.publications = {cid: {"on": _text(form, f"pub-{cid}"), "starts": _text(form, f"starts-{cid}"),
                                "ends": _text(form, f"ends-{cid}")} for cid in channel_ids}
    count = int(rows) if (rows := _text(form, "variant_rows")).isdigit() else 0
    for i in range(min(count, 200)):
        typed.variants.append(VariantRow(
            id=_text(form, f"variant-{i}-id"), sku=_text(form, f"variant-{i}-sku", 64),
            barcode=_text(form, f"variant-{i}-barcode", 20), attributes=_text(form, f"variant-{i}-attributes"),
            status=_text(form, f"variant-{i}-status", 12) or "active",
            sizes={d: _text(form, f"variant-{i}-{d}", 9) or "0" for d in DIMENSIONS}))
    return typed


def _attributes(raw: str) -> dict[str, str] | None:
    pairs: dict[str, str] = {}
    for part in (p.strip() for p in raw.split(";")):
        if not part:
            continue
        code, sep, value = part.partition("=")
        if not sep or not code.strip():
            return None
        pairs[code.strip()] = value.strip()
    return pairs


def _check_variant(i: int, row: VariantRow, errors: dict[str, str]) -> catalog_service.VariantInput | None:
    prefix = f"variant-{i}-"
    if (problem := sku_problem(row.sku)) is not None:
        errors[prefix + "sku"] = problem
    if row.barcode and (problem := barcode_problem(row.barcode)) is not None:
        errors[prefix + "barcode"] = problem
    sizes = {}
    for name in DIMENSIONS:
        if not row.sizes[name].isdigit():
            errors[prefix + name] = WHOLE_NUMBER
        else:
            sizes[name] = int(row.sizes[name])
    attributes = _attributes(row.attributes)
    if attributes is None:
        errors[prefix + "attributes"] = BAD_ATTRIBUTES
    if any(k.startswith(prefix) for k in errors):
        return None
    return catalog_service.VariantInput(sku=row.sku, barcode=row.barcode or None, attributes=attributes or {},
                                        position=i, **sizes)


def _product_place(rows: dict[int, int]) -> Callable[[tuple[str | int, ...]], str]:
    """Where a service field error belongs on the form (``rows``: the service's variant index -> form row)."""
    def place(loc: tuple[str | int, ...]) -> str:
        parts = list(loc[1:])
        if parts[:1] == ["texts"] and len(parts) > 1:
            return f"name-{parts[1]}"
        if parts[:1] == ["variants"] and len(parts) > 2 and isinstance(parts[1], int):
            return f"variant-{rows.get(parts[1], parts[1])}-{parts[2]}"
        if parts[:1] in (["category_ids"], ["related_ids"]):
            return "category" if parts[0] == "category_ids" else "related"
        if len(rows) == 1 and parts and parts[0] in ("sku", "barcode", "attributes", "status", *DIMENSIONS):
            return f"variant-{next(iter(rows.values()))}-{parts[0]}"
        return str(parts[0]) if parts else "_form"
    return place


def _save_product(session: Session, staff: Principal | None, typed: ProductForm, product_id: uuid.UUID | None,
                  channels: list[Any], locale: str) -> tuple[uuid.UUID | None, dict[str, str]]:
    """Write the form in one savepoint; nothing stays when any field is wrong."""
    errors: dict[str, str] = {}
    if product_id is None and not typed.code:
        errors["code"] = REQUIRED
    if not typed.texts["en"]["name"]:
        errors["name-en"] = REQUIRED
    specs: dict[int, catalog_service.VariantInput] = {}
    for i, row in enumerate(typed.variants):
        if not row.blank and (spec := _check_variant(i, row, errors)) is not None:
            specs[i] = spec
    windows: dict[str, tuple[datetime | None, datetime | None]] = {}
    for cid, pub in typed.publications.items():
        try:
            windows[cid] = (_when(pub["starts"]), _when(pub["ends"]))
        except ValueError:
            errors[f"starts-{cid}"] = BAD_DATE
    codes = _codes(typed.related)
    related_ids = catalog_service.product_ids_by_code(session=session, codes=codes)
    if missing := [c for c in codes if c not in related_ids]:
        errors["related"] = _unknown_codes(locale, missing)
    if errors:
        return product_id, errors
    texts = {loc: catalog_service.ProductText(name=t["name"], slug=t["slug"] or None, description=t["description"],
                                              description_format=typed.description_format)
             for loc, t in typed.texts.items() if t["name"]}
    category_ids = [u for c in typed.category_ids if (u := _uuid(c)) is not None]
    with _all_or_nothing(session, errors):
        saved = _write_product(session, staff, typed, product_id, texts, category_ids, specs, errors)
        if saved is not None and not errors:
            _write_links(session, staff, saved, typed, windows, [related_ids[c] for c in codes], channels, errors)
    return (product_id if errors else saved), errors


def _write_product(session: Session, staff: Principal | None, typed: ProductForm, product_id: uuid.UUID | None,
                   texts: dict[str, catalog_service.ProductText], category_ids: list[uuid.UUID],
                   specs: dict[int, catalog_service.VariantInput], errors: dict[str, str]) -> uuid.UUID | None:
    def taken(error: DomainError, rows: dict[int, int]) -> dict[str, str]:
        if isinstance(error, SkuTaken):
            row = next((i for i, s in specs.items() if s.sku == error.extra.get("sku")), next(iter(rows.values()), 0))
            return {f"variant-{row}-sku": error.detail}
        if isinstance(error, CodeTaken):
            return {f"slug-{error.extra['locale']}" if "locale" in error.extra else "code": error.detail}
        return _domain_errors(error, _product_place(rows))

    new_rows = [i for i in specs if not typed.variants[i].id]
    try:
        if product_id is None:
            product = catalog_service.create_product(
                session=session, actor=staff, code=typed.code, brand=typed.brand, status=typed.status,
                texts=texts, variants=[specs[i] for i in new_rows], category_ids=category_ids)
            return product.id
        catalog_service.update_product(session=session, actor=staff, product_id=product_id, brand=typed.brand,
                                       status=typed.status, texts=texts, category_ids=category_ids)
    except DomainError as error:
        errors.update(taken(error, dict(enumerate(new_rows))))
        return None
    owned = {str(v.id) for v in catalog_service.get_product(session=session, product_id=product_id).variants}
    for i, spec in specs.items():
        try:
            row = typed.variants[i]
            if row.id and row.id not in owned:
                errors[f"variant-{i}-sku"] = "not a variant of this product"
            elif row.id:
                changes = {k: getattr(spec, k) for k in ("sku", "barcode", "attributes", "position", *DIMENSIONS)}
                catalog_service.update_variant(session=session, actor=staff, variant_id=_uuid(row.id) or uuid.UUID(
                    int=0), changes={**changes, "status": row.status})
            else:
                catalog_service.add_variant(session=session, actor=staff, product_id=product_id, spec=spec)
        except DomainError as error:
            errors.update(taken(error, {0: i}))
    return product_id


def _write_links(session: Session, staff: Principal | None, product_id: uuid.UUID, typed: ProductForm,
                 windows: dict[str, tuple[datetime | None, datetime | None]], related_ids: list[uuid.UUID],
                 channels: list[Any], errors: dict[str, str]) -> None:
    current = {str(p.channel_id): p for p in catalog_service.publications(session=session, product_id=product_id)}
    for channel in channels:
        cid = str(channel.id)
        starts, ends = windows.get(cid, (None, None))
        try:
            if typed.publications.get(cid, {}).get("on"):
                was = current.get(cid)
                if was is None or (was.starts_at, was.ends_at) != (starts, ends):
                    catalog_service.publish(session=session, actor=staff, product_id=product_id,
                                            channel_id=channel.id, starts_at=starts, ends_at=ends)
            elif cid in current:
                catalog_service.unpublish(session=session, actor=staff, product_id=product_id, channel_id=channel.id)
        except DomainError as error:
            errors[f"ends-{cid}"] = error.errors[0].msg if error.errors else error.detail
    try:
        catalog_service.set_relations(session=session, actor=staff, product_id=product_id, kind="related",
                                      related_ids=related_ids)
    except DomainError as error:
        errors["related"] = error.errors[0].msg if error.errors else error.detail


def _product_page(request: Request, session: Session, staff: Principal, product: Any | None, typed: ProductForm,
                  errors: dict[str, str], status: int = 200) -> Response:
    locale = locale_for(request)
    media = catalog_service.product_media(session=session, product_id=product.id) if product is not None else []
    return render(request, "backoffice/catalog/product.html", {
        "staff": staff, "product": product, "form": typed, "errors": errors, "locales": LOCALES,
        "statuses": list(ProductStatus), "categories": _category_options(session, locale),
        "channels": channels_service.list_channels(session=session), "dimensions": DIMENSIONS,
        "attributes": catalog_service.list_attributes(session=session),
        "images": [{"id": m.id, "thumb": f"/media/{m.thumbnail_path}", "alt": dict(m.alt or {})} for m in media],
        "can_write": staff.can(Permission.CATALOG_WRITE), "saved": request.query_params.get("saved") == "1"},
        status=status)


@router.get("/admin/catalog/new")
def new_product(request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """An empty product form."""
    if (gate := _gate(staff, "/admin/catalog/new", Permission.CATALOG_WRITE)) is not None or staff is None:
        return gate or _login("/admin/catalog/new")
    return _product_page(request, session, staff, None, ProductForm(variants=[VariantRow()]), {})


@router.post("/admin/catalog/new")
def create_product(request: Request, session: SessionDep, staff: OptionalStaff, form: FormDep) -> Response:
    """Add a product with its texts, categories, publication and variants."""
    if (gate := _gate(staff, "/admin/catalog/new", Permission.CATALOG_WRITE)) is not None or staff is None:
        return gate or _login("/admin/catalog/new")
    channels = channels_service.list_channels(session=session)
    typed = _from_post(form, [str(c.id) for c in channels])
    saved, errors = _save_product(session, staff, typed, None, channels, locale_for(request))
    if errors or saved is None:
        return _product_page(request, session, staff, None, typed, errors, status=422)
    return RedirectResponse(f"/admin/catalog/{saved}?saved=1", status_code=303)


def _product(session: Session, product_id: str) -> Any:
    parsed = _uuid(product_id)
    if parsed is None:
        raise NotFound("No such product")
    return catalog_service.get_product(session=session, product_id=parsed)


@router.get("/admin/catalog/{product_id}")
def product(product_id: str, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """A product's form (read-only without ``catalog.write``)."""
    if (gate := _gate(staff, "/admin/catalog", Permission.CATALOG_READ)) is not None or staff is None:
        return gate or _login("/admin/catalog")
    found = _product(session, product_id)
    return _product_page(request, session, staff, found, _from_product(session, found), {})


@router.post("/admin/catalog/{product_id}")
def edit_product(product_id: str, request: Request, session: SessionDep, staff: OptionalStaff,
                 form: FormDep) -> Response:
    """Save a product's form: texts, status, categories, publication windows, related products, variants."""
    if (gate := _gate(staff, "/admin/catalog", Permission.CATALOG_WRITE)) is not None or staff is None:
        return gate or _login("/admin/catalog")
    found = _product(session, product_id)
    channels = channels_service.list_channels(session=session)
    typed = _from_post(form, [str(c.id) for c in channels])
    typed.code = found.code
    _, errors = _save_product(session, staff, typed, found.id, channels, locale_for(request))
    if errors:
        return _product_page(request, session, staff, found, typed, errors, status=422)
    return RedirectResponse(f"/admin/catalog/{found.id}?saved=1", status_code=303)


@router.post("/admin/catalog/{product_id}/images")
def upload_image(product_id: str, request: Request, session: SessionDep, settings: SettingsDep,
                 staff: OptionalStaff, form: FormDep) -> Response:
    """Add an image (JPEG, PNG or WebP) with alt text per language; or change/remove one (``media``)."""
    if (gate := _gate(staff, "/admin/catalog", Permission.CATALOG_WRITE)) is not None or staff is None:
        return gate or _login("/admin/catalog")
    found = _product(session, product_id)
    alt = {loc: _text(form, f"alt-{loc}", 300) for loc in LOCALES}
    errors: dict[str, str] = {}
    with _all_or_nothing(session, errors):
        try:
            media_id = _uuid(_text(form, "media"))
            if media_id is not None and _text(form, "action") == "remove":
                catalog_service.remove_image(session=session, actor=staff, media_id=media_id)
            elif media_id is not None:
                catalog_service.set_image_alt(session=session, actor=staff, media_id=media_id, alt=alt)
            else:
                upload = form.get("image")
                data = upload.file.read(catalog_service.IMAGE_MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
                catalog_service.add_product_image(session=session, actor=staff, product_id=found.id, data=data,
                                                  media_dir=settings.data_dir / "media", alt=alt)
        except DomainError as error:
            errors["image"] = error.errors[0].msg if error.errors else error.detail
    if errors:
        return _product_page(request, session, staff, found, _from_product(session, found), errors, status=422)
    return RedirectResponse(f"/admin/catalog/{found.id}?saved=1#images", status_code=303)


# --- prices ---------------------------------------------------------------------------------------------

PRICE_COLUMNS = ["sku", "name", "regular", "current", "currency", "updated"]
CONSISTENCY_COLUMNS = ["rule", "sku", "name", "channel", "price", "currency"]


def _may_price(staff: Principal, price_list: Any, channels: list[Any]) -> bool:
    """Prices may change where the staff member's ``prices.write`` covers every store selling at the list."""
    if not staff.can(Permission.PRICES_WRITE):
        return False
    allowed = staff.locations_for(Permission.PRICES_WRITE)
    if allowed is None:
        return True
    selling = [c for c in channels if c.price_list_id == price_list.id]
    return bool(selling) and all(c.location_ids and set(c.location_ids) <= allowed for c in selling)


@router.get("/admin/prices")
def price_lists(request: Request, session: SessionDep, staff: OptionalStaff, format: Text = None) -> Response:
    """Price lists with their currency, country and the channels that sell at them (or CSV)."""
    if (gate := _gate(staff, "/admin/prices", Permission.CATALOG_READ, Permission.PRICES_WRITE)) is not None:
        return gate
    channels = channels_service.list_channels(session=session)
    rows: list[dict[str, Any]] = [
        {"list": pl, "channels": [c.name for c in channels if c.price_list_id == pl.id],
         "count": pricing_service.page_prices(session=session, price_list_id=pl.id, limit=0)[1]}
        for pl in pricing_service.list_price_lists(session=session)]
    if format == "csv":
        return csv_response("price-lists.csv", ["code", "name", "currency", "country", "tax_inclusive", "channels",
                                                "prices"],
                            [[r["list"].code, r["list"].name, r["list"].currency, r["list"].country,
                              r["list"].tax_inclusive, " ".join(r["channels"]), r["count"]] for r in rows])
    return render(request, "backoffice/prices/lists.html", {"staff": staff, "rows": rows})


@router.get("/admin/prices/consistency")
def consistency(request: Request, session: SessionDep, staff: OptionalStaff, rule: Text = None,
                format: Text = None) -> Response:
    """Variants whose price differs between channels beyond the merchant's rules."""
    if (gate := _gate(staff, "/admin/prices/consistency", Permission.CATALOG_READ,
                      Permission.PRICES_WRITE)) is not None:
        return gate
    locale = locale_for(request)
    rules = pricing_service.list_rules(session=session)
    chosen = rule if rule in {r.code for r in rules} else None
    found = pricing_service.consistency_report(session=session, rule_code=chosen)
    refs = {r.id: r for r in catalog_service.variant_refs(
        session=session, variant_ids=list({f.variant_id for f in found}))} if found else {}
    if format == "csv":
        return csv_response(f"price-consistency-{clock.now():%Y%m%d-%H%M}.csv", CONSISTENCY_COLUMNS, [
            [f.rule_code, refs[f.variant_id].sku if f.variant_id in refs else str(f.variant_id),
             refs[f.variant_id].name if f.variant_id in refs else "", channel,
             price.to_decimal() if price else "", price.currency if price else ""]
            for f in found for channel, price in f.prices.items()])
    return render(request, "backoffice/prices/consistency.html", {
        "staff": staff, "rules": rules, "params": {"rule": chosen},
        "csv": link("/admin/prices/consistency", {"rule": chosen}, format="csv"),
        "rows": [{"rule": f.rule_code, "sku": refs[f.variant_id].sku if f.variant_id in refs else f.variant_id,
                  "name": refs[f.variant_id].name if f.variant_id in refs else "",
                  "prices": {c: p.format(locale) if p else None for c, p in f.prices.items()}} for f in found]})


def _price_list(session: Session, list_id: str) -> Any:
    parsed = _uuid(list_id)
    if parsed is None:
        raise NotFound("No such price list")
    return pricing_service.get_price_list(session=session, price_list_id=parsed)


@router.get("/admin/prices/{list_id}")
def prices(list_id: str, request: Request, session: SessionDep, staff: OptionalStaff, q: Text = None,
           sort: Text = None, page: Text = None, format: Text = None) -> Response:
    """A price list's prices: find by SKU or barcode, sort, page, export."""
    if (gate := _gate(staff, "/admin/prices", Permission.CATALOG_READ, Permission.PRICES_WRITE)) is not None:
        return gate
    price_list = _price_list(session, list_id)
    locale = locale_for(request)
    variant_ids = None
    if q:
        found_variant = catalog_service.variant_by_code(session=session, code=q)
        variant_ids = [found_variant.id] if found_variant else []
    sort_key = sort if sort in pricing_service.PRICE_SORTS else "variant"
    params = {"q": q, "sort": sort_key}
    paging = Paging(page_number(page), PAGE_SIZE, 0)
    rows, total = pricing_service.page_prices(
        session=session, price_list_id=price_list.id, variant_ids=variant_ids, sort=sort_key,
        offset=0 if format == "csv" else paging.offset, limit=None if format == "csv" else paging.size)
    refs = {r.id: r for r in catalog_service.variant_refs(session=session, variant_ids=[r.variant_id for r in rows])}
    currency = price_list.currency

    def money(minor: int) -> Money:
        return Money(minor, currency)
    if format == "csv":
        return csv_response(f"prices-{price_list.code}-{clock.now():%Y%m%d-%H%M}.csv", PRICE_COLUMNS, [
            [refs[r.variant_id].sku if r.variant_id in refs else str(r.variant_id),
             refs[r.variant_id].name if r.variant_id in refs else "", money(r.amount_minor).to_decimal(),
             money(r.current_minor).to_decimal(), currency, r.updated_at.isoformat()] for r in rows])
    return render(request, "backoffice/prices/prices.html", {
        "staff": staff, "price_list": price_list, "params": params, "paging": Paging(paging.page, paging.size, total),
        "link": lambda **kw: link(f"/admin/prices/{price_list.id}", params, **kw),
        "rows": [{"variant_id": r.variant_id, "sku": refs[r.variant_id].sku if r.variant_id in refs else "?",
                  "name": refs[r.variant_id].name if r.variant_id in refs else "",
                  "regular": money(r.amount_minor).format(locale),
                  "current": money(r.current_minor).format(locale) if r.current_minor != r.amount_minor else "",
                  "updated": r.updated_at.strftime("%Y-%m-%d %H:%M")} for r in rows]})


def _price_page(request: Request, session: Session, staff: Principal, price_list: Any, variant: Any,
                form: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    locale = locale_for(request)
    regular = pricing_service.list_prices(session=session, price_list_id=price_list.id,
                                          variant_ids=[variant.id]).get(variant.id)
    sales = pricing_service.sales_of(session=session, price_list_id=price_list.id, variant_id=variant.id)
    channels = channels_service.list_channels(session=session)
    return render(request, "backoffice/prices/price.html", {
        "staff": staff, "price_list": price_list, "variant": variant, "form": form, "errors": errors,
        "regular": Money(regular, price_list.currency).format(locale) if regular is not None else None,
        "sales": [{"amount": Money(s.amount_minor, price_list.currency).format(locale),
                   "starts": s.starts_at.strftime("%Y-%m-%d %H:%M"),
                   "ends": s.ends_at.strftime("%Y-%m-%d %H:%M") if s.ends_at else ""} for s in sales],
        "can_write": _may_price(staff, price_list, channels), "saved": request.query_params.get("saved") == "1"},
        status=status)


def _variant(session: Session, variant_id: str) -> Any:
    parsed = _uuid(variant_id)
    if parsed is None:
        raise NotFound("No such variant")
    return catalog_service.get_variant(session=session, variant_id=parsed)


@router.get("/admin/prices/{list_id}/{variant_id}")
def price(list_id: str, variant_id: str, request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """One variant's regular price and sale prices in a list."""
    if (gate := _gate(staff, "/admin/prices", Permission.CATALOG_READ, Permission.PRICES_WRITE)) is not None \
            or staff is None:
        return gate or _login("/admin/prices")
    price_list, variant = _price_list(session, list_id), _variant(session, variant_id)
    regular = pricing_service.list_prices(session=session, price_list_id=price_list.id,
                                          variant_ids=[variant.id]).get(variant.id)
    form = {"amount": str(Money(regular, price_list.currency).to_decimal()) if regular is not None else ""}
    return _price_page(request, session, staff, price_list, variant, form, {})


@router.post("/admin/prices/{list_id}/{variant_id}")
def edit_price(list_id: str, variant_id: str, request: Request, session: SessionDep, staff: OptionalStaff,
               form: FormDep) -> Response:
    """Set the regular price (``action=price``) or schedule a sale price (``action=sale``)."""
    if (gate := _gate(staff, "/admin/prices", Permission.PRICES_WRITE)) is not None or staff is None:
        return gate or _login("/admin/prices")
    price_list, variant = _price_list(session, list_id), _variant(session, variant_id)
    if not _may_price(staff, price_list, channels_service.list_channels(session=session)):
        raise PermissionDenied("This price list is sold in stores your roles do not cover")
    typed = {k: _text(form, k, 40) for k in ("action", "amount", "sale_amount", "starts", "ends")}
    errors: dict[str, str] = {}
    sale = typed["action"] == "sale"
    try:
        amount = Money.parse(typed["sale_amount" if sale else "amount"].replace(",", "."), price_list.currency)
        if amount.amount_minor < 0:
            raise ValueError("negative")
    except ValueError:
        errors["sale_amount" if sale else "amount"] = BAD_AMOUNT
    try:
        starts, ends = _when(typed["starts"]), _when(typed["ends"])
    except ValueError:
        errors["starts"] = BAD_DATE
    if sale and not typed["starts"] and "starts" not in errors:
        errors["starts"] = REQUIRED
    if not errors:
        with _all_or_nothing(session, errors):
            try:
                if sale:
                    pricing_service.schedule_sale(session=session, actor=staff, price_list_id=price_list.id,
                                                  variant_id=variant.id, amount_minor=amount.amount_minor,
                                                  starts_at=starts or clock.now(), ends_at=ends)
                else:
                    pricing_service.set_prices(session=session, actor=staff, price_list_id=price_list.id,
                                               amounts={variant.id: amount.amount_minor})
            except DomainError as error:
                errors["ends" if sale else "amount"] = error.errors[0].msg if error.errors else error.detail
    if errors:
        return _price_page(request, session, staff, price_list, variant, typed, errors, status=422)
    return RedirectResponse(f"/admin/prices/{price_list.id}/{variant.id}?saved=1", status_code=303)
