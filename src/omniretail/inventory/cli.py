"""`omniretail inventory ...` commands: CSV import and export, the expiry job, reorder suggestions."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.inventory import service as inventory_service
from omniretail.inventory.imports import service as imports_service
from omniretail.inventory.purchasing import service as purchasing_service
from omniretail.kernel.db import Database

app = typer.Typer(help="Inventory: stock levels, counts, holds and reorder suggestions.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
Partial = Annotated[bool, typer.Option(help="Write the valid rows and skip the bad ones")]


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


def _report(result: imports_service.ImportResult, as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps({"rows": result.rows, "changed": result.changed, "written": result.written,
                                       "errors": [e.as_dict() for e in result.errors]}))
    else:
        for error in result.errors:
            err.print(f"line {error.line}, {error.field}: {error.message}")
        console.print(f"{result.rows} rows, {result.changed} changed, "
                      f"{'written' if result.written else 'nothing written'}")
    if result.errors and not result.written:
        raise typer.Exit(code=1)


@app.command("import-stock")
def import_stock(file: Path, partial: Partial = False,
                 as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Set on hand per location and SKU from a CSV file (location_code, sku, on_hand[, safety_stock])."""
    db = _database()
    with db.transaction() as session:
        result = imports_service.import_stock_levels(session=session, actor=None, data=file.read_bytes(),
                                                     partial=partial)
    _report(result, as_json)


@app.command("export-stock")
def export_stock(file: Annotated[Path | None, typer.Argument()] = None) -> None:
    """Write every stock level as CSV (to a file, or to standard output)."""
    db = _database()
    with db.transaction(read_only=True) as session:
        text = imports_service.export_stock_levels(session=session, actor=None)
    if file is None:
        typer.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")


@app.command("import-counts")
def import_counts(count_id: uuid.UUID, file: Path, partial: Partial = False,
                  as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Enter counted quantities on an open count sheet from a CSV file (sku, counted)."""
    db = _database()
    with db.transaction() as session:
        result = imports_service.import_counts(session=session, actor=None, count_id=count_id,
                                               data=file.read_bytes(), partial=partial)
    _report(result, as_json)


@app.command("export-count")
def export_count(count_id: uuid.UUID, file: Annotated[Path | None, typer.Argument()] = None) -> None:
    """Write a count sheet as CSV to fill in."""
    db = _database()
    with db.transaction(read_only=True) as session:
        text = imports_service.export_count_sheet(session=session, actor=None, count_id=count_id)
    if file is None:
        typer.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")


@app.command("release-expired")
def release_expired() -> None:
    """Give the stock of expired cart holds back now (the worker does this every 30 seconds)."""
    db = _database()
    with db.transaction() as session:
        units = inventory_service.release_expired_holds(session=session)
    console.print(f"{units} units released")


@app.command("suggest-orders")
def suggest_orders() -> None:
    """List what to order per location and item (reorder points at or under their minimum)."""
    db = _database()
    with db.transaction(read_only=True) as session:
        codes = {loc.id: loc.code for loc in inventory_service.list_locations(session=session)}
        rows = purchasing_service.suggested_orders(session=session)
    table = Table("location", "variant", "available", "on order", "min", "max", "order")
    for row in rows:
        table.add_row(codes.get(row.location_id, str(row.location_id)), str(row.variant_id), str(row.available),
                      str(row.on_order), str(row.min_quantity), str(row.max_quantity), str(row.quantity))
    console.print(table)
