"""Accuracy of ``sentiment.score`` on the labelled samples the project keeps in ``tests/data/sentiment``.

Each ``<locale>.tsv`` holds ``label<TAB>text`` lines (``positive`` or ``negative``; ``#`` starts a comment). A
text counts as right when the scorer's label equals the sample's; a neutral answer counts as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from omniretail.reviews import sentiment

SAMPLE_DIR = Path(__file__).resolve().parents[3] / "tests" / "data" / "sentiment"


@dataclass(frozen=True)
class LanguageResult:
    """How the scorer did on one language's sample."""

    locale: str
    total: int
    positives: int
    negatives: int
    correct: int
    neutral: int
    misses: tuple[tuple[str, str, float], ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def read_sample(path: Path) -> list[tuple[str, str]]:
    """The (label, text) pairs of one sample file."""
    pairs: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        if label not in ("positive", "negative") or not text.strip():
            raise ValueError(f"{path.name}: bad line {line[:60]!r}")
        pairs.append((label, text.strip()))
    return pairs


def evaluate(locale: str, *, sample_dir: Path = SAMPLE_DIR) -> LanguageResult:
    """Score every text of ``locale``'s sample and count the right labels."""
    pairs = read_sample(sample_dir / f"{locale}.tsv")
    correct = neutral = 0
    misses: list[tuple[str, str, float]] = []
    for label, text in pairs:
        found = sentiment.score(text, locale)
        if found.label == label:
            correct += 1
        else:
            neutral += found.label == "neutral"
            misses.append((label, text, found.score))
    return LanguageResult(locale, len(pairs), sum(1 for label, _ in pairs if label == "positive"),
                          sum(1 for label, _ in pairs if label == "negative"), correct, neutral, tuple(misses))


def evaluate_all(*, sample_dir: Path = SAMPLE_DIR) -> list[LanguageResult]:
    """One result per language that has a sample file."""
    return [evaluate(locale, sample_dir=sample_dir) for locale in sentiment.LANGUAGES
            if (sample_dir / f"{locale}.tsv").exists()]
