"""`omniretail returns ...` commands: the policy, return reasons, one return."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select

from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.returns import service as returns_service
from omniretail.returns.models import ReturnRequest

app = typer.Typer(help="Returns: policy, reasons and return requests.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


@app.command("policy")
def policy() -> None:
    """Print the return policy in force as JSON."""
    with _database().transaction(read_only=True) as session:
        console.print_json(json.dumps(returns_service.current_policy(session=session).as_dict()))


@app.command("reasons")
def reasons() -> None:
    """Units returned per reason."""
    with _database().transaction(read_only=True) as session:
        counts = returns_service.reason_counts(session=session)
    for reason, units in sorted(counts.items(), key=lambda kv: -kv[1]):
        console.print(f"{reason}: {units}")


@app.command("show")
def show(rma: Annotated[str, typer.Argument(help="RMA number, e.g. RMA-000001")]) -> None:
    """Print one return by its RMA number."""
    with _database().transaction(read_only=True) as session:
        ret = session.scalar(select(ReturnRequest).where(ReturnRequest.rma == rma))
        if ret is None:
            err.print(f"No return {rma}")
            raise typer.Exit(code=1)
        console.print(f"{ret.rma} order {ret.order_number} via {ret.via}: {ret.status}, refund {ret.refund_minor} "
                      f"{ret.currency}")
        for line in ret.lines:
            console.print(f"  {line.quantity} x {line.sku} ({line.reason}) {line.condition or '-'} "
                          f"-> {line.outcome or '-'}: {line.refund_minor}")
