"""`omniretail cart ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Cart.", no_args_is_help=True)
