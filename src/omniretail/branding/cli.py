"""`omniretail branding ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Brand settings.", no_args_is_help=True)
