"""`omniretail promotions ...` commands: list promotions, generate batches of coupon codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.promotions import service as promotions_service

app = typer.Typer(help="Promotions: discounts and coupons.", no_args_is_help=True)
coupons = typer.Typer(help="Coupon codes.", no_args_is_help=True)
app.add_typer(coupons, name="coupons")
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


@app.command("list")
def list_promotions() -> None:
    """Print every promotion with its uses."""
    with _database().transaction(read_only=True) as session:
        found = promotions_service.list_promotions(session=session)
        uses = promotions_service.usage(session=session, promotion_ids=[p.id for p in found])
        table = Table("id", "name", "kind", "active", "coupon", "uses")
        for p in found:
            table.add_row(str(p.id), p.name, p.kind, "yes" if p.active else "no", "yes" if p.requires_coupon else "",
                          str(uses.get(p.id, 0)))
    console.print(table)


@coupons.command("generate")
def generate(promotion: Annotated[str, typer.Argument(help="the promotion's id or exact name")],
             count: Annotated[int, typer.Option("--count", min=1, max=100_000)] = 1,
             prefix: Annotated[str, typer.Option(help="put before every code, e.g. BF26-")] = "",
             uses: Annotated[int, typer.Option(help="uses allowed per code", min=1)] = 1,
             out: Annotated[Path | None, typer.Option(help="write the codes to this file")] = None) -> None:
    """Make COUNT unique random codes for a promotion and print them (or write them to --out)."""
    with _database().transaction() as session:
        promotion_id = promotions_service.find_promotion(session=session, ref=promotion)
        if promotion_id is None:
            err.print(f"No promotion {promotion!r}")
            raise typer.Exit(code=1)
        codes = promotions_service.generate_coupons(session=session, promotion_id=promotion_id, count=count,
                                                    prefix=prefix, usage_limit=uses)
    if out is not None:
        out.write_text("\n".join(codes) + "\n", encoding="utf-8")
        console.print(f"{len(codes)} codes written to {out}")
    else:
        console.print("\n".join(codes), highlight=False)
