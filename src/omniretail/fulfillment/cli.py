"""`omniretail fulfillment ...` commands: pick lists, the delay job, uncollected pickups, carriers."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.fulfillment import service as fulfillment_service
from omniretail.inventory import service as inventory_service
from omniretail.kernel.db import Database

app = typer.Typer(help="Fulfilment: pick lists, carriers, delays, pickups.", no_args_is_help=True)
delays_app = typer.Typer(help="The delay queue.", no_args_is_help=True)
app.add_typer(delays_app, name="delays")
console = Console()
err = Console(stderr=True)
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


@app.command("picklist")
def picklist(location: Annotated[str, typer.Argument(help="Location code, e.g. RIGA-DC")], as_json: AsJson = False
             ) -> None:
    """Print what to pick at a location for every open shipment, by bin."""
    db = _database()
    with db.transaction(read_only=True) as session:
        found = inventory_service.location_by_code(session=session, code=location)
        if found is None:
            err.print(f"No location {location}")
            raise typer.Exit(code=1)
        picks = fulfillment_service.pick_list(session=session, actor=None, location_id=found.id)
    if as_json:
        console.print_json(json.dumps({"location": location, "shipments": picks.shipments,
                                       "lines": [{"bin": p.bin, "sku": p.sku, "quantity": p.quantity,
                                                  "orders": list(p.orders)} for p in picks.lines]}))
        return
    table = Table(title=f"Pick list {location}: {picks.shipments} order(s)")
    for column in ("Bin", "SKU", "Qty", "Orders"):
        table.add_column(column)
    for p in picks.lines:
        table.add_row(p.bin or "-", p.sku, str(p.quantity), ", ".join(p.orders))
    console.print(table)


@delays_app.command("run")
def delays_run() -> None:
    """Flag late shipments and orders not dispatched in time now (the job does it every 5 minutes)."""
    db = _database()
    with db.transaction() as session:
        flagged = fulfillment_service.detect_delays(session=session)
    console.print(f"{flagged} new delay(s) flagged")


@delays_app.command("list")
def delays_list(as_json: AsJson = False) -> None:
    """Print the open delay queue."""
    db = _database()
    with db.transaction(read_only=True) as session:
        rows = [(d.kind, d.order_number, d.detected_at.isoformat(), d.reason)
                for d in fulfillment_service.open_delays(session=session)]
    if as_json:
        console.print_json(json.dumps([dict(zip(("kind", "order", "detected_at", "reason"), r, strict=True))
                                       for r in rows]))
        return
    for row in rows:
        console.print(" | ".join(row))


@app.command("pickups-expire")
def pickups_expire() -> None:
    """Cancel, refund and restock pickups left uncollected past the hold days."""
    console.print(f"{fulfillment_service.cancel_uncollected(db=_database())} pickup(s) cancelled")


@app.command("carriers")
def carriers() -> None:
    """List carrier services with their cut-off and transit days."""
    db = _database()
    with db.transaction(read_only=True) as session:
        for c in fulfillment_service.carrier_services(session=session):
            console.print(f"{c.carrier}/{c.code}  {c.name}  {c.transit_days} day(s), cut-off {c.cutoff}")
