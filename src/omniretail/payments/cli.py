"""`omniretail payments ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Payments.", no_args_is_help=True)
