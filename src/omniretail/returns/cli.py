"""`omniretail returns ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Returns.", no_args_is_help=True)
