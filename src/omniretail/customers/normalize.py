"""Turning what people type into the one form we store and search: phones in E.164 (``phonenumbers``), e-mails
in lower case, postcodes without spaces, names folded for prefix search. Pure, no database."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email

DEFAULT_REGION = "LV"
_SPACES = re.compile(r"\s+")


class NotNormal(ValueError):
    """The value cannot be read as a phone number, e-mail address, ...; the message says why."""


def phone(raw: str, *, region: str | None = None) -> str:
    """The E.164 form of a phone number (``+37120000000``); numbers without ``+`` are read in ``region``."""
    text = raw.strip()
    if not text or len(text) > 40:
        raise NotNormal("not a phone number")
    try:
        number = phonenumbers.parse(text, (region or DEFAULT_REGION).upper())
    except phonenumbers.NumberParseException as exc:
        raise NotNormal("not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise NotNormal("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def maybe_phone(raw: str, *, region: str | None = None) -> str | None:
    """The E.164 form, or ``None`` when ``raw`` is not a phone number (for look-ups)."""
    try:
        return phone(raw, region=region)
    except NotNormal:
        return None


def email(raw: str) -> str:
    """A syntactically valid e-mail address, all lower case (no DNS look-up)."""
    text = raw.strip()
    if not text or len(text) > 254:
        raise NotNormal("not an e-mail address")
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise NotNormal("not a valid e-mail address") from exc


def fold(text: str) -> str:
    """Lower case, accents dropped, spaces collapsed: ``Bērziņa`` and ``berzina`` search alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip()


def name_key(given: str, family: str) -> str:
    return fold(f"{given} {family}")[:201]


def postal_key(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw).upper()[:20]
