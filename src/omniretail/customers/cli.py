"""`omniretail customers ...` commands: CSV import and export, merge, segment recompute, look-up."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.customers import importing, merging, segments, service
from omniretail.kernel.db import Database
from omniretail.kernel.errors import DomainError

app = typer.Typer(help="Customers: import, export, merge, segments.", no_args_is_help=True)
segments_app = typer.Typer(help="Rule-based customer segments.", no_args_is_help=True)
app.add_typer(segments_app, name="segments")
console = Console()
err = Console(stderr=True)


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


@app.command("import")
def import_customers(file: Path, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Open a profile per line of a CSV file; if any line is bad, write nothing and name every bad line."""
    db = _database()
    with db.transaction() as session:
        report = importing.import_csv(session=session, data=file.read_bytes(), actor="cli")
    if as_json:
        console.print_json(json.dumps({"rows": report.rows, "written": report.written,
                                       "errors": [e.as_dict() for e in report.errors]}))
    else:
        for error in report.errors:
            err.print(f"line {error.line}, {error.field}: {error.message}")
        console.print(f"{report.rows} rows, {report.written} customers written"
                      if not report.errors else f"{report.rows} rows, nothing written")
    if report.errors:
        raise typer.Exit(code=1)


@app.command("export")
def export_customers(file: Annotated[Path | None, typer.Argument()] = None) -> None:
    """Write every active customer as CSV (to a file, or to standard output)."""
    db = _database()
    with db.transaction(read_only=True) as session:
        text = importing.export_csv(session=session)
    if file is None:
        typer.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")
        err.print(f"{text.count(chr(10)) - 1} customers written to {file}")


@app.command("merge")
def merge_customers(survivor: uuid.UUID, merged: uuid.UUID,
                    reason: Annotated[str, typer.Option(help="Why they are one person")] = "") -> None:
    """Fold customer MERGED into SURVIVOR, keeping every identity, address, consent and order of both."""
    db = _database()
    try:
        with db.transaction() as session:
            done = merging.merge(session=session, survivor_id=survivor, merged_id=merged, actor="cli",
                                 reason=reason)
            moved = dict(done.moved)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(code=1) from exc
    console.print(f"merged {merged} into {survivor}: " + ", ".join(f"{v} {k}" for k, v in moved.items()))


@app.command("lookup")
def lookup(q: str) -> None:
    """Find customers by phone, e-mail, card number or the start of a name."""
    db = _database()
    with db.transaction(read_only=True) as session:
        found = service.lookup(session=session, q=q)
        table = Table("id", "name", "phone", "e-mail", "card")
        for p in found:
            table.add_row(str(p.id), service.display_name(p), p.phone or "", p.email or "", p.card_number or "")
    console.print(table)


@segments_app.command("recompute")
def recompute(codes: Annotated[list[str] | None, typer.Argument(help="Segment codes (default: all)")] = None
              ) -> None:
    """Re-evaluate segment rules over every customer now."""
    db = _database()
    try:
        with db.transaction() as session:
            done = segments.recompute(session=session, codes=codes or None)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(code=1) from exc
    table = Table("segment", "members", "added", "removed")
    for r in done:
        table.add_row(r.code, str(r.members), str(r.added), str(r.removed))
    console.print(table)


@segments_app.command("list")
def list_segments() -> None:
    """Every segment with its rule and member count."""
    db = _database()
    with db.transaction(read_only=True) as session:
        table = Table("code", "name", "members", "recomputed", "rule")
        for s in segments.list_segments(session=session):
            table.add_row(s.code, s.name, str(s.member_count),
                          s.recomputed_at.strftime("%Y-%m-%d %H:%M") if s.recomputed_at else "never",
                          json.dumps(s.rule, ensure_ascii=False))
    console.print(table)
