"""`omniretail checkout ...` commands."""

from __future__ import annotations

import typer
from rich.console import Console

from omniretail.checkout import placement
from omniretail.config import get_settings
from omniretail.kernel.db import Database

app = typer.Typer(help="Checkout.", no_args_is_help=True)
console = Console()


@app.command("reconcile")
def reconcile() -> None:
    """Repair placements a crash interrupted (what the worker's job does every minute)."""
    with Database(get_settings().effective_database_url, pool_size=2).transaction() as session:
        repaired = placement.reconcile(session=session)
    console.print(f"{repaired} placement(s) repaired")
