"""`omniretail payments ...` commands: gift cards, the pay-later job, and the POS Z-report."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import typer
from rich.console import Console

from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.kernel.errors import DomainError
from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.payments import installments
from omniretail.payments import service as payments_service
from omniretail.payments.exceptions import CashSessionNotFound
from omniretail.payments.models import CashSession
from omniretail.payments.pos import service as pos_service

app = typer.Typer(help="Payments: gift cards, pay later, cash drawers.", no_args_is_help=True)
gift_cards = typer.Typer(help="Gift cards.", no_args_is_help=True)
installments_app = typer.Typer(help="Pay-later installments.", no_args_is_help=True)
pos = typer.Typer(help="POS cash drawers.", no_args_is_help=True)
app.add_typer(gift_cards, name="gift-cards")
app.add_typer(installments_app, name="installments")
app.add_typer(pos, name="pos")
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


def _fail(error: DomainError) -> typer.Exit:
    details = "; ".join(f"{'.'.join(str(p) for p in e.loc)}: {e.msg}" for e in error.errors)
    err.print(f"[red]error:[/red] {error.detail}" + (f" ({details})" if details else ""))
    return typer.Exit(code=1)


@gift_cards.command("issue")
def issue(amount_minor: Annotated[int, typer.Argument(help="in minor units (1000 = 10.00)")],
          currency: Annotated[str, typer.Option(help="ISO currency")] = "EUR") -> None:
    """Issue a gift card loaded with an amount; prints its code."""
    try:
        with _database().transaction() as session:
            _, code = payments_service.issue_gift_card(session=session, amount=Money(amount_minor, currency.upper()),
                                                       ref=f"issue:{new_id()}")
    except DomainError as error:
        raise _fail(error) from None
    console.print(code)


@gift_cards.command("balance")
def balance(code: str) -> None:
    """A gift card's balance (the sum of its ledger)."""
    try:
        with _database().transaction(read_only=True) as session:
            account = payments_service.gift_card(session=session, code=code)
            left = payments_service.balance(session=session, account_id=account.id)
    except DomainError as error:
        raise _fail(error) from None
    console.print(f"{account.code} {Money(left, account.currency).format('en')}")


@installments_app.command("run")
def run_installments() -> None:
    """Capture the installments that are due now (what the worker's job does every 15 minutes)."""
    result = installments.run(db=_database())
    console.print(f"{result.captured} captured, {result.failed} declined")


@pos.command("z-report")
def z_report(session_id: Annotated[str, typer.Argument(help="the cash drawer session id")],
             as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The drawer's Z-report (an X-report while it is still open): cash by kind, tenders, expected, over/short."""
    try:
        with _database().transaction(read_only=True) as session:
            try:
                drawer = session.get(CashSession, uuid.UUID(session_id))
            except ValueError:
                drawer = None
            if drawer is None:
                raise CashSessionNotFound()
            report = drawer.report or pos_service.report(session=session, drawer=drawer)
    except DomainError as error:
        raise _fail(error) from None
    if as_json:
        console.print_json(json.dumps(report))
        return
    currency = str(report["currency"])

    def money(minor: object) -> str:
        return Money(int(str(minor)), currency).format("en")

    console.print(f"[bold]{'Z' if report['closed_at'] else 'X'}-report[/bold] {report['session_id']}")
    for kind, amount in sorted(report["cash_by_kind"].items()):
        console.print(f"  cash {kind:<10} {money(amount):>14}")
    console.print(f"  expected       {money(report['expected_cash_minor']):>14}")
    if report["counted_cash_minor"] is not None:
        console.print(f"  counted        {money(report['counted_cash_minor']):>14}")
        console.print(f"  over/short     {money(report['over_short_minor']):>14}")
