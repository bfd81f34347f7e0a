"""Turning product texts and queries into search terms, identically for both.

Text is lowercased and accent-folded (``kremas`` finds ``krēms``), split into words; runs of Chinese
characters are segmented by jieba (search mode, which also yields the shorter words inside longer ones)
and, so that a phrase segmented differently still matches, indexed as character bigrams too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import cache

import jieba  # type: ignore[import-untyped]

from omniretail.catalog.rules import fold

MAX_TERM = 64
_WORD = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+|[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")


@cache
def _jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def is_cjk(word: str) -> bool:
    return bool(_CJK.match(word))


def cjk_bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)] or [run]


def words(text: str) -> Iterator[str]:
    """The words of ``text``, folded, in order; Chinese runs as jieba words."""
    for match in _WORD.finditer(fold(text)):
        word = match.group()
        if is_cjk(word):
            for piece in _jieba().cut_for_search(word):
                if piece.strip():
                    yield piece[:MAX_TERM]
        else:
            yield word[:MAX_TERM]


def query_words(text: str) -> Iterator[tuple[str, bool]]:
    """The words of a query, each with whether it is a whole Chinese run (to segment by the vocabulary)."""
    for match in _WORD.finditer(fold(text)):
        word = match.group()
        yield word[:MAX_TERM], is_cjk(word)


def segment(run: str) -> list[str]:
    """jieba's best segmentation of a Chinese run, without overlaps."""
    return [p for p in _jieba().cut(run) if p.strip()]


def index_terms(text: str) -> Iterator[str]:
    """The terms a document is indexed under: its words, plus character bigrams of Chinese runs."""
    for match in _WORD.finditer(fold(text)):
        word = match.group()
        if is_cjk(word):
            yield from (p[:MAX_TERM] for p in _jieba().cut_for_search(word) if p.strip())
            yield from cjk_bigrams(word)
            if len(word) == 1:
                yield word
        else:
            yield word[:MAX_TERM]


def deletes(term: str) -> set[str]:
    """The term with any one character removed: the keys under which a misspelling finds it."""
    return {term[:i] + term[i + 1:] for i in range(len(term))}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(term: str) -> int:
    """Short words must be spelled right; 4-7 letters forgive one mistake, longer words two."""
    if is_cjk(term) or len(term) < 4:
        return 0
    return 1 if len(term) < 8 else 2
