"""`omniretail cart ...` commands."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console

from omniretail.cart import service as cart_service
from omniretail.config import get_settings
from omniretail.kernel.db import Database

app = typer.Typer(help="Carts.", no_args_is_help=True)
abandoned = typer.Typer(help="Abandoned checkouts.", no_args_is_help=True)
app.add_typer(abandoned, name="abandoned")
console = Console()


@abandoned.command("run")
def run_abandoned(minutes: Annotated[int, typer.Option(min=1, help="left alone at least this long")] = 60) -> None:
    """Raise CheckoutAbandoned for signed-in shoppers' carts left alone (what the worker's job does)."""
    with Database(get_settings().effective_database_url, pool_size=2).transaction() as session:
        raised = cart_service.detect_abandoned(session=session, older_than=timedelta(minutes=minutes))
    console.print(f"{raised} abandoned checkout(s) raised")
