"""`omniretail reviews ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Reviews.", no_args_is_help=True)
