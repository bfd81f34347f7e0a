"""`omniretail support ...` commands: the queue, the SLA watch and callback reminders run by hand."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.support import queries as support_queries
from omniretail.support import service as support_service
from omniretail.support import sla

app = typer.Typer(help="Support: tickets, SLA clocks and callbacks.", no_args_is_help=True)
console = Console()


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


@app.command("tickets")
def tickets(status: Annotated[str | None, typer.Option(help="open, waiting_customer, resolved or closed")] = None,
            breaching: Annotated[bool, typer.Option(help="only tickets at or past their SLA warning")] = False,
            limit: int = 50) -> None:
    """Print the queue with its SLA clocks."""
    with _database().transaction(read_only=True) as session:
        page = support_queries.list_tickets(session=session, status=status, breaching=breaching, limit=limit)
        table = Table("number", "status", "priority", "level", "subject", "resolution due", "sla")
        for ticket in page.items:
            clocks = sla.clock_view(ticket)["resolution"]
            due = clocks["due_at"].strftime("%Y-%m-%d %H:%M") if clocks["due_at"] else ""
            table.add_row(ticket.number, ticket.status, ticket.priority, str(ticket.level), ticket.subject[:50], due,
                          clocks["state"])
    console.print(table)


@app.command("sla-watch")
def sla_watch() -> None:
    """Warn before SLA breaches and escalate breached tickets now (the worker does this every minute)."""
    counts = sla.watch(_database())
    console.print(f"warned {counts['warned']}, escalated {counts['escalated']}")


@app.command("remind")
def remind() -> None:
    """Log reminders for callbacks due within 15 minutes."""
    with _database().transaction() as session:
        count = support_service.remind_callbacks(session=session)
    console.print(f"{count} callback reminders")
