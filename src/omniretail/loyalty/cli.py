"""`omniretail loyalty ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Loyalty.", no_args_is_help=True)
