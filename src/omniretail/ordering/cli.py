"""`omniretail ordering ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Ordering.", no_args_is_help=True)
