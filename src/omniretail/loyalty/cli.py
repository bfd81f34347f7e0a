"""`omniretail loyalty ...` commands: a member's balance, and the settle job (expiry and tiers) run by hand."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.identity import service as identity_service
from omniretail.kernel.db import Database
from omniretail.loyalty import service as loyalty_service

app = typer.Typer(help="Loyalty: points, tiers and settlement.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


@app.command("balance")
def balance(member: Annotated[str, typer.Argument(help="the customer's e-mail or id")]) -> None:
    """Print a member's tier, available and pending points and latest ledger entries."""
    with _database().transaction(read_only=True) as session:
        try:
            customer_id = uuid.UUID(member)
        except ValueError:
            found = identity_service.customer_account_id(session=session, email=member)
            if found is None:
                err.print(f"No customer with the e-mail {member}")
                raise typer.Exit(code=1) from None
            customer_id = found
        summary = loyalty_service.summary_for(session=session, customer_id=customer_id)
        entries = loyalty_service.history(session=session, customer_id=customer_id, limit=10)
    console.print(f"{customer_id}  tier {summary.tier_name or '-'}  available {summary.available}  "
                  f"pending {summary.pending}  lifetime {summary.lifetime}")
    table = Table("when", "kind", "points", "available from", "order")
    for e in entries:
        table.add_row(e.created_at.strftime("%Y-%m-%d %H:%M"), e.kind, str(e.points),
                      e.available_at.strftime("%Y-%m-%d"), str(e.order_id or ""))
    console.print(table)


@app.command("settle")
def settle() -> None:
    """Expire unused points first-in first-out and bring tiers up to date (the hourly job, run now)."""
    with _database().transaction() as session:
        done = loyalty_service.settle(session=session)
    console.print(f"{done.expired_points} points expired for {done.members_expired} members; "
                  f"{done.tiers_changed} tiers changed")
