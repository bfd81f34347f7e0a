"""`omniretail pricing ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Pricing.", no_args_is_help=True)
