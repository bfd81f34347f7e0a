"""The ``omniretail`` command. Each context adds its own sub-commands here."""

from __future__ import annotations

import logging
import signal
import threading
import uuid
from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail import bootstrap
from omniretail.branding import cli as branding_cli
from omniretail.branding import demo as branding_demo
from omniretail.cart import cli as cart_cli
from omniretail.catalog import cli as catalog_cli
from omniretail.catalog import demo as catalog_demo
from omniretail.channels import cli as channels_cli
from omniretail.channels import demo as channels_demo
from omniretail.checkout import cli as checkout_cli
from omniretail.config import get_settings
from omniretail.customers import cli as customers_cli
from omniretail.customers import demo as customers_demo
from omniretail.fulfillment import cli as fulfillment_cli
from omniretail.fulfillment import demo as fulfillment_demo
from omniretail.identity import demo as identity_demo
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import cli as inventory_cli
from omniretail.inventory import demo as inventory_demo
from omniretail.inventory import service as inventory_service
from omniretail.kernel import logs, migrate, outbox
from omniretail.kernel.db import Database
from omniretail.kernel.errors import DomainError
from omniretail.loyalty import cli as loyalty_cli
from omniretail.loyalty import demo as loyalty_demo
from omniretail.marketing import cli as marketing_cli
from omniretail.marketing import demo as marketing_demo
from omniretail.ordering import cli as ordering_cli
from omniretail.ordering import demo as ordering_demo
from omniretail.payments import cli as payments_cli
from omniretail.pricing import cli as pricing_cli
from omniretail.pricing import demo as pricing_demo
from omniretail.promotions import cli as promotions_cli
from omniretail.promotions import demo as promotions_demo
from omniretail.returns import cli as returns_cli
from omniretail.returns import demo as returns_demo
from omniretail.reviews import cli as reviews_cli
from omniretail.reviews import demo as reviews_demo
from omniretail.support import cli as support_cli
from omniretail.support import demo as support_demo

app = typer.Typer(help="omniretail: unified commerce platform.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo retailer.", no_args_is_help=True)
staff_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
events_app = typer.Typer(help="The event outbox.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(staff_app, name="staff")
app.add_typer(events_app, name="events")
for _name, _sub in (("catalog", catalog_cli.app), ("channels", channels_cli.app), ("pricing", pricing_cli.app),
                    ("inventory", inventory_cli.app), ("cart", cart_cli.app), ("checkout", checkout_cli.app),
                    ("payments", payments_cli.app), ("orders", ordering_cli.app),
                    ("brand", branding_cli.app), ("customers", customers_cli.app), ("loyalty", loyalty_cli.app),
                    ("promotions", promotions_cli.app), ("fulfillment", fulfillment_cli.app),
                    ("returns", returns_cli.app), ("support", support_cli.app), ("reviews", reviews_cli.app),
                    ("marketing", marketing_cli.app)):
    app.add_typer(_sub, name=_name)
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Apply the database migrations."""
    migrate.upgrade(get_settings().effective_database_url, revision)
    console.print(f"database at [bold]{revision}[/bold]")


@demo_app.command("load")
def demo_load(force: Annotated[bool, typer.Option(help="Load even if data exists")] = False) -> None:
    """Load the demo retailer into an empty database."""
    db = _database()
    with db.transaction() as session:
        if identity_demo.is_loaded(session) and not force:
            console.print("demo data already present; nothing to do")
            return
        # Order matters: stores exist before channels sell from them, products before prices and stock.
        identity_demo.load(session)
        inventory_demo.load_locations(session)
        stores = inventory_service.list_locations(session=session, kinds={"store"})
        franchise = inventory_service.list_locations(session=session, kinds={"franchise_store"})
        partner = franchise[0].franchise_partner if franchise else None
        identity_demo.assign_stores(session, own_store=stores[0].id,
                                    franchise_stores=[f.id for f in franchise if f.franchise_partner == partner])
        for part in (branding_demo, channels_demo, catalog_demo, pricing_demo, inventory_demo, fulfillment_demo,
                     customers_demo, loyalty_demo, promotions_demo, ordering_demo, returns_demo, marketing_demo,
                     reviews_demo, support_demo):
            part.load(session)
    console.print("demo retailer loaded")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          upgrade: Annotated[bool, typer.Option(help="Migrate an embedded database first")] = True) -> None:
    """Serve the storefront, POS, back office and API."""
    import uvicorn

    settings = get_settings()
    logs.configure(json_lines=settings.log_json)
    if upgrade and settings.is_sqlite:
        migrate.upgrade(settings.effective_database_url)
    if workers > 1:
        uvicorn.run("omniretail.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_config=None, proxy_headers=True)
        return
    from omniretail.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, proxy_headers=True)


@app.command()
def worker(batch_size: int = 100, lease_seconds: int = 60, poll_seconds: float = 1.0) -> None:
    """Deliver outbox events and run periodic jobs until stopped (run as many as needed)."""
    settings = get_settings()
    logs.configure(json_lines=settings.log_json)
    db = Database(settings.effective_database_url, pool_size=2)
    dispatcher = outbox.Dispatcher(db, bootstrap.build_handlers(), adapters=bootstrap.build_adapters(settings),
                                   jobs=bootstrap.build_jobs(), batch_size=batch_size,
                                   lease=timedelta(seconds=lease_seconds), max_attempts=settings.event_max_attempts)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    dispatcher.run_forever(stop, poll_seconds=poll_seconds)


@events_app.command("dead-letters")
def dead_letters(replay: Annotated[list[str] | None, typer.Option(help="Event id to put back; repeatable")] = None,
                 replay_all: bool = False, limit: int = 100) -> None:
    """List the events that ran out of attempts, or put them back in the queue."""
    db = _database()
    with db.transaction() as session:
        if replay_all or replay:
            ids = None if replay_all else [uuid.UUID(v) for v in replay or []]
            count = outbox.replay(session, event_ids=ids)
            console.print(f"{count} event(s) back in the queue")
            return
        rows = outbox.dead_letters(session, limit=limit)
    table = Table()
    table.add_column("id", no_wrap=True, min_width=36)
    table.add_column("type", no_wrap=True)
    for name in ("attempts", "occurred", "last error"):
        table.add_column(name)
    for row in rows:
        table.add_row(str(row.id), row.event_type, str(row.attempts), row.occurred_at.isoformat(timespec="seconds"),
                      (row.last_error or "").strip().splitlines()[-1][:80] if row.last_error else "")
    console.print(table if rows else "no dead letters")


@staff_app.command("create")
def staff_create(email: str, name: str,
                 role: Annotated[list[Role], typer.Option(help="Role; repeatable")],
                 location: Annotated[list[str] | None, typer.Option(help="Location id for every role")] = None,
                 password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
                 ) -> None:
    """Create a staff member (the first owner is made this way)."""
    locations: list[uuid.UUID | None] = [uuid.UUID(v) for v in location] if location else [None]
    grants = [Grant(r, loc) for r in role for loc in locations]
    db = _database()
    try:
        with db.transaction() as session:
            user = identity_service.create_staff(session=session, actor=None, email=email, name=name,
                                                 password=password, grants=grants)
    except DomainError as exc:
        raise _fail(f"{exc.detail} {' '.join(e.msg for e in exc.errors)}") from None
    console.print(f"staff member {user.email} created ({', '.join(r.value for r in role)})")


@staff_app.command("set-password")
def staff_set_password(email: str, password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                                                          confirmation_prompt=True)] = "") -> None:
    """Set a staff member's password and end their sessions."""
    try:
        with _database().transaction() as session:
            identity_service.set_staff_password(session=session, email=email, password=password)
    except DomainError as exc:
        raise _fail(exc.detail) from None
    console.print("password changed")


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    app()


if __name__ == "__main__":
    main()
