"""`omniretail channels ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Channels.", no_args_is_help=True)
