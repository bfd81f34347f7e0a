"""`omniretail marketing ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Marketing.", no_args_is_help=True)
