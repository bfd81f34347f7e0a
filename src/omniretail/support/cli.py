"""`omniretail support ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Support.", no_args_is_help=True)
