"""`omniretail orders ...` commands: list, show and cancel orders."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.kernel.errors import DomainError
from omniretail.kernel.money import Money
from omniretail.ordering import changes
from omniretail.ordering import service as ordering_service
from omniretail.ordering.schemas import OrderRead

app = typer.Typer(help="Orders from every channel.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


def fail(error: DomainError) -> typer.Exit:
    """Print a domain error as a CLI message; exit code 1."""
    details = "; ".join(f"{'.'.join(str(p) for p in e.loc)}: {e.msg}" for e in error.errors)
    err.print(f"[red]error:[/red] {error.detail}" + (f" ({details})" if details else ""))
    return typer.Exit(code=1)


@app.command("list")
def list_orders(status: Annotated[str | None, typer.Option(help="only orders in this status")] = None,
                limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
                as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List orders from every channel, newest last."""
    with _database().transaction(read_only=True) as session:
        page = ordering_service.list_orders(session=session, status=status, cursor=None, limit=limit)
        rows = [OrderRead.model_validate(o) for o in page.items]
    if as_json:
        console.print_json(json.dumps([r.model_dump(mode="json") for r in rows]))
        return
    table = Table("number", "channel", "status", "total", "placed")
    for r in rows:
        table.add_row(r.number, r.channel_code, r.status, Money(r.total_minor, r.currency).format("en"),
                      r.created_at.strftime("%Y-%m-%d %H:%M"))
    console.print(table)


@app.command("show")
def show_order(ref: Annotated[str, typer.Argument(help="order number or id")]) -> None:
    """Show one order with its lines and timeline."""
    try:
        with _database().transaction(read_only=True) as session:
            order = ordering_service.find_order(session=session, ref=ref)
            read = OrderRead.model_validate(order)
            timeline = ordering_service.timeline(session=session, order_id=order.id)
            entries = [(e.at.strftime("%Y-%m-%d %H:%M"), e.kind, e.status or "", e.actor) for e in timeline]
    except DomainError as error:
        raise fail(error) from None
    console.print(f"[bold]{read.number}[/bold] {read.channel_code} {read.status} "
                  f"{Money(read.total_minor, read.currency).format('en')}")
    lines = Table("sku", "name", "qty", "total")
    for ln in read.lines:
        lines.add_row(ln.sku, ln.name, str(ln.quantity), Money(ln.line_total_minor, read.currency).format("en"))
    console.print(lines)
    history = Table("at", "what", "status", "who")
    for entry in entries:
        history.add_row(*entry)
    console.print(history)


@app.command("cancel")
def cancel_order(ref: Annotated[str, typer.Argument(help="order number or id")],
                 reason: Annotated[str, typer.Option(help="why, for the timeline")] = "cancelled from the CLI") -> None:
    """Cancel an order before fulfilment: the stock goes back and every tender is refunded."""
    db = _database()
    try:
        with db.transaction(read_only=True) as session:
            order_id = ordering_service.find_order(session=session, ref=ref).id
        done = changes.cancel_order(db=db, order_id=order_id, actor="cli", reason=reason)
    except DomainError as error:
        raise fail(error) from None
    console.print(f"cancelled {ref}; refunded {sum(d.amount_minor for d in done)} in {len(done)} part(s)")
