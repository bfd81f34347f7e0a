"""`omniretail inventory ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Inventory.", no_args_is_help=True)
