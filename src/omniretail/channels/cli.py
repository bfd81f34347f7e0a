"""`omniretail channels ...` commands."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from omniretail.channels import service as channels_service
from omniretail.config import get_settings
from omniretail.kernel.db import Database

app = typer.Typer(help="Channels.", no_args_is_help=True)
console = Console()


@app.command("list")
def list_channels() -> None:
    """Show every sales channel."""
    db = Database(get_settings().effective_database_url)
    with db.transaction(read_only=True) as session:
        table = Table("code", "name", "kind", "currency", "locales", "locations")
        for channel in channels_service.list_channels(session=session):
            table.add_row(channel.code, channel.name, channel.kind, channel.currency, " ".join(channel.locales),
                          str(len(channel.location_ids)))
    console.print(table)
