"""CSV import and export of stock levels and count sheets, with the catalog import's validation rules.

Stock levels: columns ``location_code``, ``sku`` (or ``variant_id``), ``on_hand`` and optionally
``safety_stock``. Importing sets on hand to the file's figure through a count-correction ledger line (so the
ledger stays the truth). Counts: ``sku`` (or ``variant_id``) and ``counted``, entered on an open count sheet.
Every bad row is reported with its line and field; nothing is written unless the whole file is valid, or
``partial`` is asked for, in which case the bad rows are skipped and the rest written.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import rules
from omniretail.inventory import service as stock_service
from omniretail.inventory.counts import service as counts_service
from omniretail.inventory.models import Location, StockLevel
from omniretail.inventory.rules import MovementKind

STOCK_COLUMNS = ("location_code", "sku", "variant_id", "on_hand", "safety_stock")
COUNT_COLUMNS = ("sku", "variant_id", "counted", "expected", "name")
MAX_QUANTITY = 10_000_000


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ImportResult:
    rows: int
    errors: list[RowError] = field(default_factory=list)
    changed: int = 0
    written: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors


def _rows(data: bytes | str) -> Iterator[tuple[int, dict[str, str]]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    reader = csv.DictReader(io.StringIO(text))
    start = 2
    for record in reader:
        yield start, {k.strip(): (v or "").strip() for k, v in record.items() if k is not None}
        start = reader.line_num + 1


def _header(data: bytes | str, known: tuple[str, ...], required: tuple[str, ...]) -> list[RowError]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    first = next(csv.reader(io.StringIO(text)), [])
    columns = {c.strip() for c in first}
    errors = [RowError(1, c, "unknown column") for c in sorted(columns - set(known))]
    errors += [RowError(1, c, "missing column") for c in required if c not in columns]
    if "sku" not in columns and "variant_id" not in columns:
        errors.append(RowError(1, "sku", "missing column (sku or variant_id)"))
    return errors


def _quantity(values: dict[str, str], column: str, line: int, errors: list[RowError],
              required: bool = True) -> int | None:
    raw = values.get(column, "")
    if not raw:
        if required:
            errors.append(RowError(line, column, "required"))
        return None
    try:
        number = int(raw)
    except ValueError:
        errors.append(RowError(line, column, "not a whole number"))
        return None
    if not 0 <= number <= MAX_QUANTITY:
        errors.append(RowError(line, column, f"must be between 0 and {MAX_QUANTITY}"))
        return None
    return number


def _variant(values: dict[str, str], line: int, skus: dict[str, uuid.UUID], errors: list[RowError]) -> uuid.UUID | None:
    if values.get("variant_id"):
        try:
            return uuid.UUID(values["variant_id"])
        except ValueError:
            errors.append(RowError(line, "variant_id", "not a valid id"))
            return None
    sku = values.get("sku", "")
    if not sku:
        errors.append(RowError(line, "sku", "required"))
        return None
    if sku not in skus:
        errors.append(RowError(line, "sku", f"unknown SKU {sku}"))
        return None
    return skus[sku]


def _skus(session: Session) -> dict[str, uuid.UUID]:
    return {ref.sku: ref.id for ref in catalog_service.variant_refs(session=session)}


def import_stock_levels(*, session: Session, actor: Principal | None, data: bytes | str,
                        partial: bool = False) -> ImportResult:
    """Set on hand (and safety stock) per location and item from a CSV file."""
    header = _header(data, STOCK_COLUMNS, ("location_code", "on_hand"))
    if header:
        return ImportResult(rows=0, errors=header)
    skus = _skus(session)
    places = {loc.code: loc.id for loc in session.scalars(select(Location))}
    good: list[tuple[uuid.UUID, uuid.UUID, int, int | None]] = []
    result = ImportResult(rows=0)
    seen: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for line, values in _rows(data):
        result.rows += 1
        errors: list[RowError] = []
        location_id = places.get(values.get("location_code", ""))
        if location_id is None:
            errors.append(RowError(line, "location_code", "unknown location" if values.get("location_code")
                                   else "required"))
        elif actor is not None and not actor.can(Permission.STOCK_WRITE, location_id):
            errors.append(RowError(line, "location_code", "you may not change stock at this location"))
        variant_id = _variant(values, line, skus, errors)
        on_hand = _quantity(values, "on_hand", line, errors)
        safety = _quantity(values, "safety_stock", line, errors, required=False)
        if location_id and variant_id and (variant_id, location_id) in seen:
            errors.append(RowError(line, "sku", f"same item and location as line {seen[(variant_id, location_id)]}"))
        if errors or location_id is None or variant_id is None or on_hand is None:
            result.errors.extend(errors)
            continue
        seen[(variant_id, location_id)] = line
        good.append((variant_id, location_id, on_hand, safety))
    if result.errors and not partial:
        return result
    for variant_id, location_id, on_hand, safety in sorted(good, key=lambda g: (g[0], g[1])):
        current = session.scalar(select(StockLevel.on_hand).where(StockLevel.variant_id == variant_id,
                                                                  StockLevel.location_id == location_id)) or 0
        delta = rules.count_correction(counted=on_hand, on_hand=current)
        if delta:
            stock_service.apply_movement(session=session, actor=actor, variant_id=variant_id, location_id=location_id,
                                         kind=MovementKind.COUNT_CORRECTION, quantity=delta, reason="stock import",
                                         document_type=rules.DocumentType.IMPORT, document_id="csv")
            result.changed += 1
        if safety is not None:
            stock_service.set_safety_stock(session=session, actor=actor, variant_id=variant_id,
                                           location_id=location_id, safety_stock=safety)
    result.written = True
    return result


def import_counts(*, session: Session, actor: Principal | None, count_id: uuid.UUID, data: bytes | str,
                  partial: bool = False) -> ImportResult:
    """Enter counted quantities on an open count sheet from a CSV file."""
    count = counts_service.get_count(session=session, actor=actor, count_id=count_id)
    header = _header(data, COUNT_COLUMNS, ("counted",))
    if header:
        return ImportResult(rows=0, errors=header)
    skus = _skus(session)
    counted: dict[uuid.UUID, int] = {}
    result = ImportResult(rows=0)
    for line, values in _rows(data):
        result.rows += 1
        errors: list[RowError] = []
        variant_id = _variant(values, line, skus, errors)
        quantity = _quantity(values, "counted", line, errors)
        if variant_id is not None and variant_id in counted:
            errors.append(RowError(line, "sku", "listed twice"))
        if errors or variant_id is None or quantity is None:
            result.errors.extend(errors)
            continue
        counted[variant_id] = quantity
    if result.errors and not partial:
        return result
    if counted:
        counts_service.record_counts(session=session, actor=actor, count_id=count.id, counted=counted)
    result.changed, result.written = len(counted), True
    return result


def _write(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export_stock_levels(*, session: Session, actor: Principal | None,
                        location_ids: list[uuid.UUID] | None = None) -> str:
    """Stock levels as CSV (the import's columns plus reserved and available), by location and SKU."""
    allowed = actor.locations_for(Permission.STOCK_READ) if actor is not None else None
    locations = {loc.id: loc.code for loc in session.scalars(select(Location))
                 if (allowed is None or loc.id in allowed) and (location_ids is None or loc.id in location_ids)}
    stmt = select(StockLevel).where(StockLevel.location_id.in_(list(locations)))
    levels = list(session.scalars(stmt))
    skus = {ref.id: ref.sku for ref in catalog_service.variant_refs(session=session,
                                                                    variant_ids=list({lv.variant_id for lv in levels}))}
    rows = [{"location_code": locations[lv.location_id], "sku": skus.get(lv.variant_id, ""),
             "variant_id": str(lv.variant_id), "on_hand": lv.on_hand, "safety_stock": lv.safety_stock,
             "reserved": lv.reserved, "available": rules.StockSnapshot(lv.variant_id, lv.location_id, lv.on_hand,
                                                                        lv.reserved, lv.safety_stock).available}
            for lv in levels]
    rows.sort(key=lambda r: (r["location_code"], r["sku"], r["variant_id"]))
    return _write(rows, (*STOCK_COLUMNS, "reserved", "available"))


def export_count_sheet(*, session: Session, actor: Principal | None, count_id: uuid.UUID) -> str:
    """A count sheet to fill in: one row per item, ``counted`` blank until counted."""
    count = counts_service.get_count(session=session, actor=actor, count_id=count_id)
    refs = {ref.id: ref for ref in catalog_service.variant_refs(session=session,
                                                                variant_ids=[ln.variant_id for ln in count.lines])}
    rows = [{"sku": refs[ln.variant_id].sku if ln.variant_id in refs else "", "variant_id": str(ln.variant_id),
             "name": refs[ln.variant_id].name if ln.variant_id in refs else "", "expected": ln.expected,
             "counted": "" if ln.counted is None else ln.counted} for ln in count.lines]
    rows.sort(key=lambda r: (str(r["sku"]), str(r["variant_id"])))
    return _write(rows, ("sku", "variant_id", "name", "expected", "counted"))
