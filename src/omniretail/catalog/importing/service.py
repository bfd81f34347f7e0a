"""Import and export of the catalog as CSV or JSON: one row per variant, re-import upserts by SKU.

Columns (CSV header or JSON keys): ``sku``, ``product_code``, ``brand``, ``status``, ``categories``
(category codes separated by ``|``), ``barcode``, ``weight_grams``, ``length_mm``, ``width_mm``,
``height_mm``, ``attr.<code>``, ``name.<locale>``, ``description.<locale>`` (Markdown) and
``price.<price list code>`` (major units, "12.50"). Product-level columns are read from the first row of
each product code. The whole file is validated first; every bad row is reported with its line (CSV) or
item number (JSON) and field, and nothing is written unless every row is valid, or ``partial`` is asked
for, in which case the products with a bad row are skipped and the rest written.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.catalog.events import ProductsImported
from omniretail.catalog.models import Category, Product, ProductCategory, Variant
from omniretail.catalog.rules import LOCALES, ProductStatus, barcode_problem, coerce_attribute, sku_problem
from omniretail.catalog.search import index as search_index
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import record
from omniretail.pricing import service as pricing_service

PRODUCT_FIELDS = ("product_code", "brand", "status", "categories")
VARIANT_FIELDS = ("sku", "barcode", "weight_grams", "length_mm", "width_mm", "height_mm")
NUMBERS = ("weight_grams", "length_mm", "width_mm", "height_mm")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str
    sku: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message, "sku": self.sku}


@dataclass
class Row:
    line: int
    values: dict[str, str]


@dataclass
class ImportResult:
    rows: int
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    written: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors


def read_rows(data: bytes | str, fmt: str) -> Iterator[Row]:
    """Rows of a CSV (line numbers as an editor shows them) or a JSON array (item numbers from 1)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    if fmt == "json":
        items = json.loads(text)
        if not isinstance(items, list):
            raise ValueError("a JSON import is an array of objects")
        for number, item in enumerate(items, 1):
            values = {str(k): "" if v is None else str(v) for k, v in item.items()} if isinstance(item, dict) else {}
            yield Row(number, values)
        return
    reader = csv.DictReader(io.StringIO(text))
    start = 2
    for record_ in reader:
        yield Row(start, {k.strip(): (v or "").strip() for k, v in record_.items() if k is not None})
        start = reader.line_num + 1


def _check_header(session: Session, columns: set[str], line: int) -> tuple[list[RowError], dict[str, str],
                                                                          dict[str, tuple[uuid.UUID, str]]]:
    errors: list[RowError] = []
    kinds = catalog_service.attribute_kinds(session)
    lists = {pl.code: (pl.id, pl.currency) for pl in pricing_service.list_price_lists(session=session)}
    known = set(PRODUCT_FIELDS) | set(VARIANT_FIELDS)
    for column in sorted(columns):
        prefix, _, rest = column.partition(".")
        if column in known or (prefix in ("name", "description") and rest in LOCALES) or (
                prefix == "attr" and rest in kinds) or (prefix == "price" and rest in lists):
            continue
        errors.append(RowError(line, column, "unknown column"))
    for required in ("sku", "product_code"):
        if required not in columns:
            errors.append(RowError(line, required, "missing column"))
    return errors, kinds, lists


def _validate_row(row: Row, kinds: dict[str, str], lists: dict[str, tuple[uuid.UUID, str]],
                  categories: dict[str, uuid.UUID]) -> list[RowError]:
    v, line, sku = row.values, row.line, row.values.get("sku") or None
    errors = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(line, column, message, sku))

    if not v.get("sku"):
        bad("sku", "required")
    elif (problem := sku_problem(v["sku"])) is not None:
        bad("sku", problem)
    if not v.get("product_code"):
        bad("product_code", "required")
    if v.get("barcode") and (problem := barcode_problem(v["barcode"])) is not None:
        bad("barcode", problem)
    if v.get("status") and v["status"] not in set(ProductStatus):
        bad("status", "draft, active or archived")
    for column in NUMBERS:
        if v.get(column) and (not v[column].isdigit()):
            bad(column, "a whole non-negative number")
    for code in filter(None, v.get("categories", "").split("|")):
        if code.strip() not in categories:
            bad("categories", f"unknown category {code.strip()!r}")
    for column, value in v.items():
        prefix, _, rest = column.partition(".")
        if prefix == "attr" and value and rest in kinds and (problem := coerce_attribute(kinds[rest], value)[1]):
            bad(column, problem)
        if prefix == "price" and value and rest in lists:
            try:
                if Money.parse(value, lists[rest][1]).amount_minor < 0:
                    bad(column, "cannot be negative")
            except ValueError as exc:
                bad(column, str(exc))
        if prefix == "name" and len(value) > 300:
            bad(column, "at most 300 characters")
    return errors


def import_catalog(*, session: Session, actor: Principal | None, data: bytes | str, fmt: str,
                   partial: bool = False, progress: Progress | None = None) -> ImportResult:
    """Validate a whole file, then upsert its products, variants, prices and texts by SKU."""
    if actor is not None:
        identity_service.require(actor, Permission.CATALOG_WRITE)
    try:
        rows = list(read_rows(data, fmt))
    except (ValueError, csv.Error, UnicodeDecodeError) as exc:
        return ImportResult(rows=0, errors=[RowError(1, "file", f"cannot read the file: {exc}")])
    result = ImportResult(rows=len(rows))
    columns = set().union(*(r.values for r in rows)) if rows else set()
    header_errors, kinds, lists = _check_header(session, columns, 1)
    if header_errors:
        result.errors = header_errors
        return result
    categories = dict(session.execute(select(Category.code, Category.id)).all())
    existing = catalog_service.variants_by_sku(session=session, skus=[r.values.get("sku", "") for r in rows])
    product_codes = dict(session.execute(select(Product.id, Product.code).where(
        Product.id.in_({v.product_id for v in existing.values()}))).all()) if existing else {}
    codes_in_db = set(session.scalars(select(Product.code).where(
        Product.code.in_({r.values.get("product_code", "") for r in rows}))))
    seen_sku: dict[str, int] = {}
    seen_barcode: dict[str, str] = {}
    bad_products: set[str] = set()
    named: set[str] = set()
    for row in rows:
        errors = _validate_row(row, kinds, lists, categories)
        sku, code, barcode = row.values.get("sku", ""), row.values.get("product_code", ""), row.values.get("barcode")
        if sku in seen_sku:
            errors.append(RowError(row.line, "sku", f"repeats line {seen_sku[sku]}", sku))
        seen_sku.setdefault(sku, row.line)
        if barcode:
            if barcode in seen_barcode and seen_barcode[barcode] != sku:
                errors.append(RowError(row.line, "barcode", f"also given to {seen_barcode[barcode]}", sku))
            seen_barcode.setdefault(barcode, sku)
        if sku in existing and product_codes.get(existing[sku].product_id) not in (None, code):
            errors.append(RowError(row.line, "product_code",
                                   f"this SKU belongs to product {product_codes[existing[sku].product_id]}", sku))
        if row.values.get("name.en"):
            named.add(code)
        if errors:
            bad_products.add(code)
        result.errors += errors
    for row in rows:
        code = row.values.get("product_code", "")
        if code and code not in named and code not in codes_in_db and code not in bad_products:
            result.errors.append(RowError(row.line, "name.en", "a new product needs an English name",
                                          row.values.get("sku")))
            bad_products.add(code)
    _check_barcodes_in_db(session, rows, result, bad_products)
    result.errors.sort(key=lambda e: e.line)
    if result.errors and not partial:
        return result
    _write(session, actor, [r for r in rows if r.values.get("product_code") not in bad_products], result,
           existing, categories, lists, progress)
    return result


def _check_barcodes_in_db(session: Session, rows: list[Row], result: ImportResult, bad: set[str]) -> None:
    barcodes = {r.values["barcode"]: r for r in rows if r.values.get("barcode")}
    if not barcodes:
        return
    for barcode, sku in session.execute(select(Variant.barcode, Variant.sku).where(
            Variant.barcode.in_(list(barcodes)))):
        row = barcodes[str(barcode)]
        if sku != row.values.get("sku"):
            result.errors.append(RowError(row.line, "barcode", f"already used by {sku}", row.values.get("sku")))
            bad.add(row.values.get("product_code", ""))


def _write(session: Session, actor: Principal | None, rows: list[Row], result: ImportResult,
           existing: dict[str, Variant], categories: dict[str, uuid.UUID],
           lists: dict[str, tuple[uuid.UUID, str]], progress: Progress | None) -> None:
    by_product: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_product[row.values["product_code"]].append(row)
    products = {p.code: p for p in session.scalars(select(Product).where(Product.code.in_(list(by_product))))}
    prices: dict[uuid.UUID, dict[uuid.UUID, int]] = defaultdict(dict)
    touched: list[uuid.UUID] = []
    kinds = catalog_service.attribute_kinds(session)
    for done, (code, group) in enumerate(by_product.items(), 1):
        first = group[0].values
        texts = {loc: ProductText(name=first[f"name.{loc}"], description=first.get(f"description.{loc}", ""),
                                  description_format="markdown")
                 for loc in LOCALES if first.get(f"name.{loc}")}
        category_ids = [categories[c.strip()] for c in first.get("categories", "").split("|") if c.strip()]
        product = products.get(code)
        if product is None:
            product = catalog_service.create_product(
                session=session, actor=None, code=code, brand=first.get("brand") or "-",
                texts=texts, status=first.get("status") or ProductStatus.DRAFT, category_ids=category_ids,
                reindex=False)
        else:
            catalog_service.update_product(session=session, actor=None, product_id=product.id,
                                           brand=first.get("brand") or None, status=first.get("status") or None,
                                           texts=texts or None, category_ids=category_ids or None, reindex=False)
        for row in group:
            v = row.values
            attributes = {k[5:]: coerce_attribute(kinds[k[5:]], val)[0] for k, val in v.items()
                          if k.startswith("attr.") and val}
            numbers = {n: int(v[n]) for n in NUMBERS if v.get(n)}
            variant = existing.get(v["sku"])
            if variant is None:
                spec = VariantInput(sku=v["sku"], barcode=v.get("barcode") or None, attributes=attributes,
                                    **numbers)
                variant = Variant(product_id=product.id, sku=spec.sku, barcode=spec.barcode, attributes=attributes,
                                  status="active", position=len(product.variants), **numbers)
                product.variants.append(variant)
                result.created += 1
            else:
                variant.attributes = {**variant.attributes, **attributes}
                if v.get("barcode"):
                    variant.barcode = v["barcode"]
                for name, number in numbers.items():
                    setattr(variant, name, number)
                result.updated += 1
            session.flush()
            for column, value in v.items():
                if column.startswith("price.") and value:
                    list_id, currency = lists[column[6:]]
                    prices[list_id][variant.id] = Money.parse(value, currency).amount_minor
        touched.append(product.id)
        if progress:
            progress(done, len(by_product))
    for list_id, amounts in prices.items():
        pricing_service.set_prices(session=session, actor=None, price_list_id=list_id, amounts=amounts)
    search_index.reindex(session=session, product_ids=touched)
    result.written = bool(touched)
    skus = tuple(sorted(r.values["sku"] for r in rows))[:1000]
    record(session, ProductsImported(result.created, result.updated, skus))
    if actor is not None:
        identity_service.audit(session=session, actor=actor, action="catalog.import", target_type="catalog",
                               details={"created": result.created, "updated": result.updated,
                                        "errors": len(result.errors)})


def export_catalog(*, session: Session, fmt: str) -> str:
    """Every variant as one row with its product's texts, categories, attributes and prices."""
    lists = pricing_service.list_price_lists(session=session)
    category_codes = dict(session.execute(select(Category.id, Category.code)).all())
    memberships: dict[uuid.UUID, list[str]] = defaultdict(list)
    for product_id, category_id in session.execute(select(ProductCategory.product_id, ProductCategory.category_id)):
        memberships[product_id].append(category_codes[category_id])
    prices = {pl.code: (pl.currency, pricing_service.list_prices(session=session, price_list_id=pl.id)) for pl in lists}
    rows: list[dict[str, str]] = []
    for product in session.scalars(select(Product).order_by(Product.code)):
        texts = {t.locale: t for t in product.translations}
        for variant in product.variants:
            row = {"sku": variant.sku, "product_code": product.code, "brand": product.brand,
                   "status": product.status, "categories": "|".join(sorted(memberships[product.id])),
                   "barcode": variant.barcode or ""}
            row |= {n: str(getattr(variant, n)) for n in NUMBERS}
            row |= {f"attr.{k}": str(val) for k, val in variant.attributes.items()}
            row |= {f"name.{loc}": t.name for loc, t in texts.items()}
            for code, (currency, amounts) in prices.items():
                if variant.id in amounts:
                    row[f"price.{code}"] = str(Money(amounts[variant.id], currency).to_decimal())
            rows.append(row)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1)
    columns = list(dict.fromkeys(c for r in rows for c in r)) or ["sku", "product_code"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


