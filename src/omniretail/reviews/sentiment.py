"""Sentiment of shop texts (reviews, ticket messages, social mentions) in en, ru, pl, lv and zh, fully offline.

``score(text, locale)`` returns a :class:`Sentiment` with a value in [-1, 1] and a label. How each language is read:

- en: the AFINN-165 word list shipped inside the ``afinn`` package, plus a short list of shop words
  (``lexicons/en.txt``), with our negation and intensifier handling.
- ru, pl, lv: word lists written for this project (``lexicons/<locale>.txt``, stems for inflected words), with
  negation ("не", "nie", "ne"/"nav"), intensifiers and a contrast rule ("но", "ale", "bet": the clause after
  weighs more). No packaged model for these languages runs offline without a download.
- zh: SnowNLP (trained on Chinese product reviews, shipped in the package) blended with a Chinese word list read
  by longest match, so a clear word ("过敏", "失望") is not lost on a short text. ``model=False`` skips SnowNLP,
  which takes seconds to load, for bulk work such as the demo.

Pure Python; the lists are read once and cached. ``docs/reviews.md`` says how the lists were built and how
accurate each language is on the labelled samples in ``tests/data/sentiment``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

LEXICON_DIR = Path(__file__).with_name("lexicons")
LANGUAGES = ("en", "ru", "pl", "lv", "zh")
NEUTRAL_BAND = 0.05
NEGATION_FACTOR = -0.9
NEGATION_WINDOW = 3
INTENSIFIER_FACTOR = 1.4
UNLISTED_NEGATED = -0.5
CONTRAST = {"en": ("but", "however", "though"), "ru": ("но", "однако", "зато"), "pl": ("ale", "jednak", "lecz"),
            "lv": ("bet", "tomēr", "taču"), "zh": ("但是", "但", "可是", "不过")}
Label = Literal["positive", "negative", "neutral"]
_WORD = re.compile(r"[\w'\u2019-]+", re.UNICODE)
_SENTENCE = re.compile(r"[.!?;\u2026\u3002\uff01\uff1f\uff1b\uff0c,\n]+")


@dataclass(frozen=True)
class Sentiment:
    """A text's polarity: ``score`` in [-1, 1] (below -0.05 negative, above 0.05 positive)."""

    score: float
    label: Label


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, float]
    stems: dict[str, float]
    negators: frozenset[str]
    intensifiers: frozenset[str]

    def weight(self, token: str) -> float | None:
        if token in self.words:
            return self.words[token]
        for end in range(len(token), 2, -1):
            found = self.stems.get(token[:end])
            if found is not None:
                return found
        return None


def _lines(name: str) -> list[str]:
    path = LEXICON_DIR / name
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@cache
def lexicon(locale: str) -> Lexicon:
    """The word list of ``locale`` (en: AFINN-165 plus our shop words)."""
    words: dict[str, float] = {}
    stems: dict[str, float] = {}
    if locale == "en":
        words.update({w: float(v) for w, v in _afinn_words().items()})
    for line in _lines(f"{locale}.txt"):
        entry, _, weight = line.partition("\t")
        target = stems if entry.endswith("*") else words
        target[entry.rstrip("*").lower()] = float(weight)
    return Lexicon(words, stems, frozenset(_lines(f"{locale}.negators.txt")),
                   frozenset(_lines(f"{locale}.intensifiers.txt")))


def _afinn_words() -> dict[str, int]:
    """AFINN-165 as shipped in the ``afinn`` package, read directly (its class compiles a slow regex)."""
    import afinn  # type: ignore[import-untyped]

    path = Path(afinn.__file__).with_name("data") / "AFINN-en-165.txt"
    words: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, weight = line.rpartition("\t")
        if word and " " not in word:
            words[word] = int(weight)
    return words


def _normalize(total: float) -> float:
    return total / math.sqrt(total * total + 15.0) if total else 0.0


def label_of(value: float) -> Label:
    """Positive, negative or neutral, from a score."""
    if value > NEUTRAL_BAND:
        return "positive"
    if value < -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def _clause_total(tokens: list[str], lex: Lexicon) -> float:
    total = 0.0
    negated_at = -100
    boost = 1.0
    for i, token in enumerate(tokens):
        if token in lex.negators:
            negated_at = i
            continue
        if token in lex.intensifiers:
            boost = INTENSIFIER_FACTOR
            continue
        weight = lex.weight(token)
        in_scope = i - negated_at <= NEGATION_WINDOW
        if weight is None:
            if in_scope and i - negated_at == 1 and len(token) > 2:
                total += UNLISTED_NEGATED
                negated_at = -100
            continue
        value = weight * boost
        if in_scope:
            value *= NEGATION_FACTOR
            negated_at = -100
        total += value
        boost = 1.0
    return total


def _tokens(text: str, locale: str) -> list[str]:
    if locale == "zh":
        return _zh_tokens(text, lexicon("zh"))
    return [t.replace("\u2019", "'").strip("'-") for t in _WORD.findall(text.lower())]


def _zh_tokens(text: str, lex: Lexicon) -> list[str]:
    """Longest-match split on the word list, negators and contrast words; other characters pass singly."""
    known = set(lex.words) | lex.negators | lex.intensifiers | set(CONTRAST["zh"])
    longest = max((len(w) for w in known), default=1)
    tokens: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            piece = text[i:i + size]
            if piece in known:
                tokens.append(piece)
                i += size
                break
        else:
            if not text[i].isspace():
                tokens.append(text[i])
            i += 1
    return tokens


def lexicon_total(text: str, locale: str) -> float:
    """The raw sum of word weights, sentence by sentence, the clause after a contrast word counting more."""
    lex = lexicon(locale)
    total = 0.0
    for sentence in _SENTENCE.split(text):
        tokens = _tokens(sentence, locale)
        cut = max((i for i, t in enumerate(tokens) if t in CONTRAST.get(locale, ())), default=None)
        if cut is None:
            total += _clause_total(tokens, lex)
        else:
            total += 0.5 * _clause_total(tokens[:cut], lex) + 1.5 * _clause_total(tokens[cut + 1:], lex)
    return total


@cache
def _snownlp_ready() -> bool:
    from snownlp import SnowNLP  # type: ignore[import-untyped]

    SnowNLP("好").sentiments  # noqa: B018 - loads the model once
    return True


def _snownlp(text: str) -> float:
    from snownlp import SnowNLP

    _snownlp_ready()
    return 2.0 * float(SnowNLP(text).sentiments) - 1.0


def score(text: str, locale: str, *, model: bool = True) -> Sentiment:
    """How positive or negative ``text`` is, in [-1, 1], read in ``locale`` (en, ru, pl, lv or zh)."""
    locale = locale if locale in LANGUAGES else "en"
    if not text.strip():
        return Sentiment(0.0, "neutral")
    value = _normalize(lexicon_total(text, locale))
    if locale == "zh" and model:
        value = 0.7 * value + 0.3 * _snownlp(text) if value else _snownlp(text)
    value = max(-1.0, min(1.0, round(value, 4)))
    return Sentiment(value, label_of(value))
