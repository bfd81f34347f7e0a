"""Catalog rules: barcodes, slugs, typed attribute values, locale fallback, publication windows. Pure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

LOCALES = ("en", "ru", "pl", "lv", "zh")
DEFAULT_LOCALE = "en"


class ProductStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class AttributeKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    BOOLEAN = "boolean"
    COLOR = "color"


class RelationKind(StrEnum):
    RELATED = "related"
    CROSS_SELL = "cross_sell"


class CollectionRule(StrEnum):
    MANUAL = "manual"
    NEWEST = "newest"
    BEST_SELLING = "best_selling"
    ON_SALE = "on_sale"


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def barcode_problem(code: str) -> str | None:
    """Why a barcode is not a valid EAN-13, EAN-8 or UPC-A, or None when it is."""
    if not code.isdigit() or not code.isascii():
        return "a barcode has digits only"
    if len(code) not in (8, 12, 13):
        return "a barcode has 8 (EAN-8), 12 (UPC-A) or 13 (EAN-13) digits"
    if gtin_check_digit(code[:-1]) != int(code[-1]):
        return f"check digit should be {gtin_check_digit(code[:-1])}"
    return None


_TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
                      "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def fold(text: str) -> str:
    """Lowercase and strip accents (ą→a, ē→e, ł→l); Cyrillic and Chinese letters stay as they are."""
    text = text.translate(_TRANSLIT).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    # The short i and yo fold to their base letters, as Russian shoppers often type them anyway.
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def slugify(text: str) -> str:
    """A URL slug: Latin letters folded, Cyrillic transliterated, Chinese kept, words joined by hyphens."""
    folded = "".join(_CYRILLIC.get(c, c) for c in fold(text))
    slug = re.sub(r"[^\w]+", "-", folded).strip("-_")
    return re.sub(r"-{2,}", "-", slug)[:200] or "item"


def pick(values: Mapping[str, str], locale: str, default: str = DEFAULT_LOCALE) -> str:
    """The text in ``locale``, else in the default locale, else in any locale: never empty if any exists."""
    for candidate in (locale, default, *LOCALES):
        value = values.get(candidate)
        if value:
            return value
    return next((v for v in values.values() if v), "")


def coerce_attribute(kind: str, value: object) -> tuple[object, str | None]:
    """The value in its attribute type, and why not when it does not fit."""
    if kind == AttributeKind.NUMBER:
        if isinstance(value, bool):
            return value, "a number is expected"
        if isinstance(value, (int, float)):
            return value, None
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            return value, "a number is expected"
        return (int(number) if number.is_integer() else number), None
    if kind == AttributeKind.BOOLEAN:
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in {"true", "yes", "1"}:
            return True, None
        if text in {"false", "no", "0"}:
            return False, None
        return value, "yes or no is expected"
    if kind == AttributeKind.COLOR:
        text = str(value).strip()
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", text):
            return value, "a colour like #AA3344 is expected"
        return text.upper(), None
    text = str(value).strip()
    if not text or len(text) > 120:
        return value, "text of 1 to 120 characters is expected"
    return text, None


@dataclass(frozen=True)
class Window:
    starts_at: datetime | None
    ends_at: datetime | None

    def open_at(self, at: datetime) -> bool:
        """True when a publication is live at ``at`` (start inclusive, end exclusive)."""
        return (self.starts_at is None or self.starts_at <= at) and (self.ends_at is None or at < self.ends_at)


def sku_problem(sku: str) -> str | None:
    """Why a SKU is unusable, or None: 2-64 characters of letters, digits, hyphen, dot or underscore."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{1,63}", sku):
        return "2-64 letters, digits, '.', '_' or '-'"
    return None
