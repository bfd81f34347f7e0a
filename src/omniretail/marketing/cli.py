"""`omniretail marketing ...` commands: send a test notification, read a customer's notification log."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.kernel.errors import DomainError
from omniretail.marketing import service, templating
from omniretail.marketing.handlers import policy_from

app = typer.Typer(help="Marketing: notifications to customers.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


@app.command("send-test")
def send_test(to: Annotated[str, typer.Option("--to", help="An e-mail address or a phone number")],
              template: Annotated[str, typer.Option("--template", help="e.g. back_in_stock")] = "service_message",
              locale: Annotated[str, typer.Option("--locale", help="en, ru, pl, lv or zh")] = "en",
              now: Annotated[bool, typer.Option("--now/--queue", help="Send at once, or leave it to the worker")]
              = True) -> None:
    """Send one template with its example values to an address, to see how it looks."""
    channel: service.ChannelName = "email" if "@" in to else "sms"
    settings = get_settings()
    db = _database()
    try:
        with db.transaction() as session:
            ids = service.notify(session=session, customer_id=None, template=template, locale=locale,
                                 context=templating.SAMPLES.get(template, {}), purpose="service",
                                 channels=(channel,), email=to if channel == "email" else None,
                                 phone=to if channel == "sms" else None, ref=f"cli-test:{uuid.uuid4()}")
    except DomainError as exc:
        err.print(f"{exc.detail}: " + "; ".join(f"{'.'.join(map(str, e.loc))} {e.msg}" for e in exc.errors))
        raise typer.Exit(code=2) from exc
    if now:
        from omniretail import bootstrap  # the composition root builds the mailer and providers

        senders = bootstrap.build_adapters(settings).senders
        with db.transaction() as session:
            status = service.send(session=session, notification_id=ids[0],
                                  sender=senders.for_channel(channel) if senders else None,
                                  policy=policy_from(settings), attempt=settings.notify_max_attempts)
            row = service.get(session=session, notification_id=ids[0])
            reason = row.reason
        console.print(f"{ids[0]} {status.value}" + (f": {reason}" if reason else ""))
        if status.value == "failed":
            raise typer.Exit(code=1)
        return
    console.print(f"{ids[0]} queued")


@app.command("log")
def log(customer: Annotated[uuid.UUID, typer.Option("--customer", help="The customer's id")],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
        limit: Annotated[int, typer.Option(min=1, max=200)] = 100) -> None:
    """Print a customer's notifications with their delivery status."""
    with _database().transaction(read_only=True) as session:
        page = service.log_for_customer(session=session, customer_id=customer, cursor=None, limit=limit)
    rows = [{"id": str(n.id), "created_at": n.created_at.isoformat(), "channel": n.channel, "purpose": n.purpose,
             "template": n.template, "status": n.status, "reason": n.reason, "to": n.recipient}
            for n in page.items]
    if as_json:
        console.print_json(json.dumps(rows))
        return
    table = Table(title=f"Notifications of {customer}")
    for column in ("When", "Channel", "Purpose", "Template", "Status", "Reason"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r["created_at"])[:16], str(r["channel"]), str(r["purpose"]), str(r["template"]),
                      str(r["status"]), str(r["reason"] or ""))
    console.print(table)
