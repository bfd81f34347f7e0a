"""Languages: Babel message catalogs for en, ru, pl, lv and zh, and choosing one per request.

Catalogs live as ``.po`` files under ``omniretail/locale`` and are compiled in memory on first use, so
there is no build step to forget. The current locale is a context variable set per request (or per
e-mail being rendered); ``gettext`` reads it.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("en", "ru", "pl", "lv", "zh")
DEFAULT_LOCALE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "pl": "Polski", "lv": "Latviešu", "zh": "中文"}

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog for ``locale`` (English strings are the msgids themselves): ``messages.po`` plus
    any other ``.po`` file beside it (a context may keep its strings in its own file)."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    catalog = read_catalog(locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def read_catalog(locale: str) -> Catalog:
    """Every ``.po`` file of ``locale`` merged into one catalog (``messages.po`` first, then by name)."""
    catalog = Catalog(locale=locale)
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    files = sorted(folder.glob("*.po"), key=lambda f: (f.name != "messages.po", f.name)) if folder.exists() else []
    for path in files:
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and message.id not in catalog:
                    catalog[message.id] = message
    return catalog


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where it is shown."""
    return message


def gettext(message: str) -> str:
    return str(translations(current_locale.get()).ugettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return str(translations(current_locale.get()).ungettext(singular, plural, n))


def negotiate(accept_language: str | None, *, preferred: str | None = None,
              default: str = DEFAULT_LOCALE) -> str:
    """The account's language if it has one we speak, else the best match of Accept-Language."""
    if preferred in LOCALES:
        return preferred
    if not accept_language:
        return default
    ranked: list[tuple[float, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, q = piece.partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        ranked.append((-weight + index * 1e-6, tag.strip().replace("_", "-")))
    for _, tag in sorted(ranked):
        try:
            language = Locale.parse(tag, sep="-").language
        except (ValueError, UnknownLocaleError):
            continue
        if language in LOCALES:
            return language
    return default
