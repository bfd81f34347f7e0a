"""`omniretail checkout ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Checkout.", no_args_is_help=True)
