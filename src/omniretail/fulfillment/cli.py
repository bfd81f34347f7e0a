"""`omniretail fulfillment ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Fulfilment.", no_args_is_help=True)
