"""Pure rules of reviews and surveys: moderation checks, rating summaries, the callback rule, NPS and tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicons")
MAX_PHOTOS = 4
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
PHOTO_MAX_PIXELS = 6000
PHOTO_SIZE = 1200
THUMB_SIZE = 240
CALLBACK_RATING = 2
CALLBACK_SENTIMENT = -0.05
MAX_LINKS = 0
SURVEY_DAYS = 30


class ReviewStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class SurveyKind(StrEnum):
    NPS = "nps"
    CSAT = "csat"


@dataclass(frozen=True)
class Moderation:
    """Why a review waits for a person: empty ``flags`` means it may be published at once."""

    flags: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not self.flags


_LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|ru|pl|lv|cn|net|org|info|biz|xyz|top)\b)", re.IGNORECASE)
_CONTACT = re.compile(r"(\+?\d[\d\s-]{8,}\d|[\w.+-]+@[\w-]+\.[\w.]+|telegram|whatsapp|t\.me|微信|vx|加v)",
                      re.IGNORECASE)
_REPEAT = re.compile(r"(.)\1{6,}")
_WORD = re.compile(r"[\w*]+", re.UNICODE)


@cache
def profanity_list(locale: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Our swear words of ``locale``: whole words and stems (``lexicons/profanity.<locale>.txt``)."""
    path = LEXICON_DIR / f"profanity.{locale}.txt"
    entries = [line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")] if path.exists() else []
    return (frozenset(e for e in entries if not e.endswith("*")),
            tuple(e.rstrip("*") for e in entries if e.endswith("*")))


def has_profanity(text: str, locale: str, *, english_words: Iterable[str] = ()) -> bool:
    """Whether ``text`` holds a swear word of its language (English words come from a package, passed in)."""
    lowered = text.lower()
    if locale == "zh":
        words, stems = profanity_list("zh")
        return any(w in lowered for w in (*words, *stems))
    tokens = set(_WORD.findall(lowered))
    if tokens & set(english_words):
        return True
    words, stems = profanity_list(locale)
    return bool(tokens & words) or any(t.startswith(stems) for t in tokens if stems)


def spam_signals(title: str, body: str) -> list[str]:
    """Signs of spam: links, contact details, long character runs, shouting, one word over and over."""
    text = f"{title}\n{body}"
    found: list[str] = []
    if _LINK.search(text):
        found.append("link")
    if _CONTACT.search(text):
        found.append("contact")
    if _REPEAT.search(text):
        found.append("repeated-characters")
    letters = [c for c in text if c.isalpha() and c.lower() != c.upper()]
    if len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        found.append("shouting")
    words = _WORD.findall(text.lower())
    if len(words) >= 8 and len(set(words)) / len(words) < 0.35:
        found.append("repetitive")
    return found


def moderate(*, title: str, body: str, locale: str, english_words: Iterable[str] = ()) -> Moderation:
    """Decide whether a new review is published at once or queued for a moderator, and why."""
    flags = spam_signals(title, body)
    if has_profanity(f"{title} {body}", locale, english_words=english_words):
        flags.append("profanity")
    return Moderation(tuple(flags))


def needs_callback(*, rating: int, sentiment: float) -> bool:
    """A review rated 2 or less, or read as negative, must lead to a call back to the shopper."""
    return rating <= CALLBACK_RATING or sentiment < CALLBACK_SENTIMENT


@dataclass(frozen=True)
class RatingSummary:
    """Published ratings of one product: count, average (one decimal) and how many of each star."""

    count: int
    average: float
    histogram: dict[int, int]


def summarize(ratings: Sequence[int]) -> RatingSummary:
    """The summary of a list of 1-5 star ratings."""
    histogram = {star: 0 for star in range(5, 0, -1)}
    for rating in ratings:
        histogram[rating] += 1
    count = len(ratings)
    return RatingSummary(count, round(sum(ratings) / count, 1) if count else 0.0, histogram)


def summary_from_counts(counts: dict[int, int]) -> RatingSummary:
    """The summary from a star → count table (what a grouped query returns)."""
    histogram = {star: int(counts.get(star, 0)) for star in range(5, 0, -1)}
    count = sum(histogram.values())
    total = sum(star * n for star, n in histogram.items())
    return RatingSummary(count, round(total / count, 1) if count else 0.0, histogram)


@dataclass(frozen=True)
class NpsReport:
    """Net promoter score: promoters (9-10) less detractors (0-6), in percent of answers."""

    answers: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> int:
        if not self.answers:
            return 0
        return round(100 * (self.promoters - self.detractors) / self.answers)


def nps(scores: Iterable[int]) -> NpsReport:
    """Count promoters, passives and detractors among 0-10 answers."""
    values = list(scores)
    return NpsReport(len(values), sum(1 for s in values if s >= 9), sum(1 for s in values if 7 <= s <= 8),
                     sum(1 for s in values if s <= 6))


def survey_token(survey_id: uuid.UUID, secret: str) -> str:
    """A token that proves the holder was invited to answer this survey: the id and its HMAC."""
    mac = hmac.new(secret.encode(), f"survey:{survey_id}".encode(), hashlib.sha256).digest()[:18]
    return f"{survey_id.hex}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def read_survey_token(token: str, secret: str) -> uuid.UUID | None:
    """The survey id a token was issued for, or None if it is forged or malformed."""
    head, _, _ = token.partition(".")
    try:
        survey_id = uuid.UUID(hex=head)
    except ValueError:
        return None
    return survey_id if hmac.compare_digest(survey_token(survey_id, secret), token) else None
