"""`omniretail branding ...` commands: show and change the brand, upload a logo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from omniretail.branding import service as branding_service
from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.kernel.errors import DomainError

app = typer.Typer(help="Brand settings.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


def _show(brand: branding_service.Brand) -> None:
    console.print(f"{brand.shop_name}: accent {brand.accent}, ink {brand.ink}, background {brand.background}, "
                  f"font {brand.font}, logo {brand.logo_url or '-'}")


@app.command("show")
def show() -> None:
    """Print the brand every channel shows."""
    with _database().transaction(read_only=True) as session:
        _show(branding_service.current(session=session))


@app.command("set")
def set_brand(name: Annotated[str | None, typer.Option(help="Shop name")] = None,
              accent: Annotated[str | None, typer.Option(help="Button and link colour, #rrggbb")] = None,
              ink: Annotated[str | None, typer.Option(help="Text colour, #rrggbb")] = None,
              background: Annotated[str | None, typer.Option(help="Page colour, #rrggbb")] = None,
              font: Annotated[str | None, typer.Option(help="system, humanist, rounded, serif or mono")] = None,
              logo: Annotated[Path | None, typer.Option(help="A PNG, JPEG, WebP or GIF file")] = None) -> None:
    """Change the shop name, colours, font or logo."""
    try:
        with _database().transaction() as session:
            brand = branding_service.update(session=session, actor="cli", shop_name=name, accent=accent, ink=ink,
                                            background=background, font=font)
            if logo is not None:
                brand = branding_service.set_logo(session=session, actor="cli", data=logo.read_bytes(),
                                                  media_dir=get_settings().data_dir / "media")
    except DomainError as error:
        err.print(f"[red]{error.detail}[/red]: " + "; ".join(f"{e.loc[-1]}: {e.msg}" for e in error.errors))
        raise typer.Exit(1) from error
    _show(brand)
