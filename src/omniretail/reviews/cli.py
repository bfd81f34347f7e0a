"""`omniretail reviews ...` commands: sentiment accuracy on the kept samples, keyword themes, word clouds."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from omniretail.config import get_settings
from omniretail.kernel.db import Database
from omniretail.reviews import evaluation, themes
from omniretail.reviews import service as reviews_service

app = typer.Typer(help="Reviews: sentiment accuracy, keyword themes and word clouds.", no_args_is_help=True)
console = Console()
TARGET = 0.8


@app.command("evaluate")
def evaluate(sample_dir: Annotated[Path, typer.Option(help="Folder of <locale>.tsv labelled samples")] =
             evaluation.SAMPLE_DIR,
             show_misses: Annotated[bool, typer.Option("--misses", help="List the texts read wrongly")] = False,
             as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print the sentiment scorer's positive/negative accuracy per language on the labelled samples."""
    results = evaluation.evaluate_all(sample_dir=sample_dir)
    if not results:
        console.print(f"No samples in {sample_dir}")
        raise typer.Exit(code=1)
    if as_json:
        console.print_json(json.dumps([{"locale": r.locale, "texts": r.total, "positive": r.positives,
                                        "negative": r.negatives, "correct": r.correct, "neutral": r.neutral,
                                        "accuracy": round(r.accuracy, 4)} for r in results]))
    else:
        table = Table("language", "texts", "positive", "negative", "correct", "neutral", "accuracy",
                      title="Sentiment accuracy (positive/negative)")
        for r in results:
            table.add_row(r.locale, str(r.total), str(r.positives), str(r.negatives), str(r.correct),
                          str(r.neutral), f"{r.accuracy:.1%}")
        console.print(table)
        if show_misses:
            for r in results:
                for label, text, found in r.misses:
                    console.print(f"[{r.locale}] expected {label}, scored {found:+.3f}: {text}")
    if any(r.accuracy < TARGET for r in results):
        raise typer.Exit(code=1)


@app.command("themes")
def show_themes(product: Annotated[str | None, typer.Option(help="Product id")] = None,
                locale: Annotated[str | None, typer.Option(help="en, ru, pl, lv or zh")] = None,
                top: Annotated[int, typer.Option(min=1, max=200)] = 20,
                cloud: Annotated[Path | None, typer.Option(help="Also write a word-cloud PNG here")] = None) -> None:
    """Print the most frequent keywords of published reviews, with their mean sentiment."""
    db = Database(get_settings().effective_database_url, pool_size=2)
    product_ids = [uuid.UUID(product)] if product else None
    with db.transaction(read_only=True) as session:
        texts = reviews_service.texts_for_themes(session=session, product_ids=product_ids, locale=locale)
    found = themes.themes(((loc, text, mood) for _, loc, text, mood in texts), top=top)
    table = Table("keyword", "reviews", "sentiment", title=f"Themes of {len(texts)} reviews")
    for theme in found:
        table.add_row(theme.word, str(theme.count), f"{theme.sentiment:+.2f}")
    console.print(table)
    if cloud is not None:
        cloud.write_bytes(themes.word_cloud_png(found))
        console.print(f"Word cloud written to {cloud}")
