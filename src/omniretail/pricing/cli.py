"""`omniretail pricing ...` commands: the price consistency report."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.catalog import service as catalog_service
from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.kernel.errors import DomainError
from omniretail.kernel.money import Money
from omniretail.pricing import service as pricing_service

app = typer.Typer(help="Pricing: price lists, sales, taxes and cross-channel consistency.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _cell(prices: dict[str, Money | None], channel: str) -> str:
    if channel not in prices:
        return ""
    price = prices[channel]
    return "no price" if price is None else str(price.to_decimal())


@app.command("consistency-report")
def consistency_report(rule: Annotated[str | None, typer.Option("--rule", help="Only this rule's code")] = None,
                       ) -> None:
    """List the items whose price differs between channels beyond the merchant's consistency rules."""
    try:
        with Database(get_settings().effective_database_url, pool_size=2).transaction(read_only=True) as session:
            found = pricing_service.consistency_report(session=session, rule_code=rule)
            skus = {r.id: r.sku for r in catalog_service.variant_refs(
                session=session, variant_ids=list({f.variant_id for f in found}))} if found else {}
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(code=1) from None
    if not found:
        console.print("every price is consistent")
        return
    channels = list(dict.fromkeys(code for f in found for code in f.prices))
    table = Table(title=f"{len(found)} inconsistent price(s)")
    table.add_column("rule")
    table.add_column("sku", no_wrap=True)
    for code in channels:
        table.add_column(code, justify="right")
    for item in found:
        table.add_row(item.rule_code, skus.get(item.variant_id, str(item.variant_id)),
                      *[_cell(item.prices, c) for c in channels])
    console.print(table)
