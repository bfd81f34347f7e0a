"""Customers CSV import and export. An import checks every line first and writes nothing if any line is bad; the
report names each bad line and field. Columns (header row required, any order; only ``given_name`` is required):
``given_name, family_name, email, phone, country, street, postal_code, city, language, home_store, tags,
consent_email, consent_sms, consent_push, card_number``. ``tags`` are separated by ``;``; consents are yes/no
(empty: not asked); ``home_store`` is a location code; ``country`` reads phones typed without ``+``."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.customers import normalize, rules, service
from omniretail.customers.models import Address, Consent, Profile
from omniretail.inventory import service as inventory_service
from omniretail.kernel.i18n import LOCALES

COLUMNS = ("given_name", "family_name", "email", "phone", "country", "street", "postal_code", "city", "language",
           "home_store", "tags", "consent_email", "consent_sms", "consent_push", "card_number")
YES, NO = frozenset({"yes", "y", "true", "1"}), frozenset({"no", "n", "false", "0"})
MAX_LENGTHS = {"given_name": 100, "family_name": 100, "street": 200, "postal_code": 20, "city": 100}


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ImportReport:
    rows: int = 0
    written: int = 0
    errors: list[LineError] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    values: dict[str, Any]


def _consent(value: str) -> bool | None:
    text = value.strip().lower()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise normalize.NotNormal("expected yes or no")


def _check(line: int, raw: Mapping[str, str], stores: Mapping[str, Any], errors: list[LineError]) -> _Row | None:
    values: dict[str, Any] = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    before = len(errors)

    def bad(name: str, message: str) -> None:
        errors.append(LineError(line, name, message))

    if not values["given_name"]:
        bad("given_name", "required")
    for name, most in MAX_LENGTHS.items():
        if len(values[name]) > most:
            bad(name, f"at most {most} characters")
    country = values["country"].upper()
    if country and (len(country) != 2 or not country.isalpha()):
        bad("country", "a two-letter country code")
    for name, parse in (("email", normalize.email),
                        ("phone", lambda v: normalize.phone(v, region=country or None))):
        if values[name]:
            try:
                values[name] = parse(values[name])
            except normalize.NotNormal as exc:
                bad(name, str(exc))
    if values["language"] and values["language"] not in LOCALES:
        bad("language", f"one of {', '.join(LOCALES)}")
    if values["home_store"] and values["home_store"] not in stores:
        bad("home_store", "no store with this code")
    if values["card_number"] and not rules.is_card_number(values["card_number"]):
        bad("card_number", "not a valid card number")
    for channel in rules.CONSENT_CHANNELS:
        try:
            values[f"consent_{channel}"] = _consent(values[f"consent_{channel}"])
        except normalize.NotNormal as exc:
            bad(f"consent_{channel}", str(exc))
    values["tags"] = [t.strip() for t in values["tags"].split(";") if t.strip()]
    if any(len(t) > 40 for t in values["tags"]):
        bad("tags", "a tag has at most 40 characters")
    values["country"] = country
    return _Row(line, values) if len(errors) == before else None


def import_csv(*, session: Session, data: bytes, actor: str) -> ImportReport:
    """Check every line, then open a profile per line, or write nothing and report every bad line."""
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(LineError(1, "file", "not UTF-8 text"))
        return report
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    unknown = [h for h in header if h not in COLUMNS]
    if not header or "given_name" not in header or unknown:
        message = f"unknown columns: {', '.join(unknown)}" if unknown else "a header row with given_name is needed"
        report.errors.append(LineError(1, "header", message))
        return report
    stores = {loc.code: loc for loc in inventory_service.list_locations(session=session)}
    rows = []
    for raw in reader:
        report.rows += 1
        if None in raw:
            report.errors.append(LineError(reader.line_num, "line", "more values than columns"))
            continue
        row = _check(reader.line_num, raw, stores, report.errors)
        if row is not None:
            rows.append(row)
    if report.errors:
        return report
    for row in rows:
        _write(session, row.values, stores, actor)
        report.written += 1
    return report


def _write(session: Session, v: dict[str, Any], stores: Mapping[str, Any], actor: str) -> None:
    store = stores.get(v["home_store"])
    addresses = []
    if v["street"] or v["postal_code"] or v["city"]:
        addresses.append(service.NewAddress(label="home", recipient=f"{v['given_name']} {v['family_name']}".strip(),
                                            street=v["street"], postal_code=v["postal_code"], city=v["city"],
                                            country=v["country"] or (store.country if store else "")))
    extras: dict[str, Any] = {}
    if store is not None:
        extras.update(home_location_id=store.id, home_latitude=store.latitude, home_longitude=store.longitude)
    profile = service.create_profile(
        session=session, actor=actor, source="import", given_name=v["given_name"], family_name=v["family_name"],
        email=v["email"] or None, phone=v["phone"] or None, region=v["country"] or None, addresses=addresses,
        consents={c: v[f"consent_{c}"] for c in rules.CONSENT_CHANNELS if v[f"consent_{c}"] is not None},
        language=v["language"] or None, tags=v["tags"], **extras)
    if v["card_number"]:
        service.add_identity(session=session, profile=profile, kind="card", value=v["card_number"], source="import")


def export_csv(*, session: Session) -> str:
    """Every active profile as CSV in the import's columns (current consents, primary contact details)."""
    codes = {loc.id: loc.code for loc in inventory_service.list_locations(session=session)}
    latest: dict[Any, dict[str, bool]] = {}
    for profile_id, channel, granted in session.execute(select(Consent.profile_id, Consent.channel, Consent.granted)
                                                        .order_by(Consent.at, Consent.id)):
        latest.setdefault(profile_id, {})[channel] = granted
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    homes = {a.profile_id: a for a in session.scalars(select(Address).where(Address.is_default.is_(True)))}
    for profile in session.scalars(select(Profile).where(Profile.status == service.ACTIVE).order_by(Profile.id)
                                   .execution_options(yield_per=2000)):
        consents = latest.get(profile.id, {})
        yes_no = {c: "" if c not in consents else "yes" if consents[c] else "no" for c in rules.CONSENT_CHANNELS}
        home = homes.get(profile.id)
        store = codes.get(profile.home_location_id, "") if profile.home_location_id else ""
        writer.writerow([profile.given_name, profile.family_name, profile.email or "", profile.phone or "",
                         home.country if home else "", home.street if home else "", home.postal_code if home else "",
                         home.city if home else "", profile.language or "", store, ";".join(profile.tags),
                         yes_no["email"], yes_no["sms"], yes_no["push"], profile.card_number or ""])
    return out.getvalue()
