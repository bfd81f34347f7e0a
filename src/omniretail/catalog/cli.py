"""`omniretail catalog ...` commands: import and export of the catalog as CSV or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from omniretail.catalog.importing import service as importing_service
from omniretail.config import get_settings
from omniretail.kernel.db import Database

app = typer.Typer(help="Catalog: import and export products, variants, texts and prices.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
Format = Annotated[Literal["csv", "json"] | None,
                   typer.Option("--format", help="csv or json (default: from the file name)")]


def _database() -> Database:
    return Database(get_settings().effective_database_url, pool_size=2)


def _format(file: Path, fmt: str | None) -> str:
    return fmt or ("json" if file.suffix.lower() == ".json" else "csv")


@app.command("import")
def import_catalog(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
                   fmt: Format = None,
                   partial: Annotated[bool, typer.Option(help="Write the valid products, skip the bad ones")] = False,
                   ) -> None:
    """Create or update products, variants, texts and prices from a file (rows matched by SKU)."""
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("import", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        with _database().transaction() as session:
            result = importing_service.import_catalog(session=session, actor=None, data=file.read_bytes(),
                                                      fmt=_format(file, fmt), partial=partial, progress=advance)
    for error in result.errors:
        err.print(f"line {error.line}, field {error.field}: {error.message}", markup=False, highlight=False)
    console.print(f"{result.rows} rows: {result.created} variants created, {result.updated} updated, "
                  f"{len(result.errors)} errors; {'written' if result.written else 'nothing written'}")
    if result.errors and not result.written:
        raise typer.Exit(code=1)


@app.command("export")
def export_catalog(file: Annotated[Path, typer.Argument(dir_okay=False)], fmt: Format = None) -> None:
    """Write every variant with its product's texts, categories, attributes and prices to a file."""
    with _database().transaction(read_only=True) as session:
        text = importing_service.export_catalog(session=session, fmt=_format(file, fmt))
    file.write_text(text, encoding="utf-8")
    console.print(f"catalog written to {file}")
