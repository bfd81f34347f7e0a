"""Customers use cases: one profile per person with identities, addresses, preferences and consents; look-ups;
the calls other contexts make (``resolve``, ``segment_codes_of``, ``ensure_profile``, ``set_tier``,
``consents_of``). Flush, never commit.

Merging lives in ``customers.merging``, export and erasure in ``customers.privacy``, segments in
``customers.segments``; other contexts only import this module.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from omniretail.customers import normalize, rules
from omniretail.customers.exceptions import CustomerErasedError, CustomerNotFound, InvalidCustomerData
from omniretail.customers.models import Address, Consent, Identity, Profile, Segment, SegmentMember
from omniretail.kernel import clock
from omniretail.kernel.db import affected, conflict_insert
from omniretail.kernel.errors import FieldError
from omniretail.kernel.ids import new_id
from omniretail.kernel.numbers import DocumentCounter
from omniretail.kernel.paging import Page, paginate

ACTIVE, MERGED, ERASED = "active", "merged", "erased"
CARD_COUNTER = "CARD"
PROFILE_FIELDS = frozenset({"given_name", "family_name", "email", "phone", "birth_date", "language",
                            "favourite_location_id", "home_location_id", "home_latitude", "home_longitude",
                            "sizes", "shades", "tags"})
MAX_MERGE_HOPS = 32


# --- reads other contexts use --------------------------------------------------------------------------------------

def resolve(*, session: Session, customer_id: uuid.UUID) -> uuid.UUID:
    """The surviving profile id for ``customer_id`` (follows merges); an unknown id comes back unchanged."""
    current = customer_id
    for _ in range(MAX_MERGE_HOPS):
        survivor = session.scalar(select(Profile.merged_into_id).where(Profile.id == current))
        if survivor is None:
            return current
        current = survivor
    return current


def segment_codes_of(*, session: Session, customer_id: uuid.UUID) -> frozenset[str]:
    """The codes of the segments the customer (after merges) belonged to at the last recompute."""
    profile_id = resolve(session=session, customer_id=customer_id)
    return frozenset(session.scalars(select(Segment.code).join(SegmentMember, SegmentMember.segment_id == Segment.id)
                                     .where(SegmentMember.profile_id == profile_id)))


def segment_member_ids(*, session: Session, code: str) -> list[uuid.UUID]:
    """The profile ids in a segment (empty for an unknown code), e.g. for a campaign's audience."""
    return list(session.scalars(select(SegmentMember.profile_id).join(Segment, Segment.id == SegmentMember.segment_id)
                                .where(Segment.code == code).order_by(SegmentMember.profile_id)))


@dataclass(frozen=True)
class ConsentState:
    channel: str
    granted: bool
    at: Any
    source: str | None


def consents_of(*, session: Session, customer_id: uuid.UUID) -> dict[str, ConsentState]:
    """The current consent per channel (e-mail, SMS, push); never asked counts as not granted."""
    profile_id = resolve(session=session, customer_id=customer_id)
    history = [rules.ConsentEntry(c.channel, c.granted, c.at, c.source) for c in consent_history(
        session=session, profile_id=profile_id)]
    return {channel: ConsentState(channel, bool(entry and entry.granted), entry.at if entry else None,
                                  entry.source if entry else None)
            for channel, entry in rules.current_consents(history).items()}


@dataclass(frozen=True)
class Contact:
    customer_id: uuid.UUID
    name: str
    email: str | None
    phone: str | None
    language: str | None
    tier: str | None
    home_location_id: uuid.UUID | None
    home: tuple[float, float] | None


def contact_of(*, session: Session, customer_id: uuid.UUID) -> Contact | None:
    """Name, e-mail, phone, language, tier and home of a customer (after merges); None if there is no profile."""
    profile = session.get(Profile, resolve(session=session, customer_id=customer_id))
    if profile is None or profile.status == ERASED:
        return None
    home = (profile.home_latitude, profile.home_longitude) if profile.home_latitude is not None \
        and profile.home_longitude is not None else None
    return Contact(profile.id, display_name(profile), profile.email, profile.phone, profile.language, profile.tier,
                   profile.home_location_id, home)


def set_tier(*, session: Session, customer_id: uuid.UUID, tier: str | None) -> None:
    """Record the loyalty tier on the profile (loyalty calls this; segments can select by tier)."""
    profile_id = resolve(session=session, customer_id=customer_id)
    stmt = update(Profile).where(Profile.id == profile_id).values(tier=tier, updated_at=clock.now())
    if not affected(session.execute(stmt)):
        ensure_profile(session=session, customer_id=profile_id)
        session.execute(stmt)


# --- profiles ------------------------------------------------------------------------------------------------------

def display_name(profile: Profile) -> str:
    return f"{profile.given_name} {profile.family_name}".strip()


def split_name(name: str) -> tuple[str, str]:
    """``Anna Bērziņa`` -> (``Anna``, ``Bērziņa``); a single word is a given name."""
    parts = name.strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


def ensure_profile(*, session: Session, customer_id: uuid.UUID, email: str | None = None, name: str | None = None,
                   language: str | None = None, source: str = "web") -> Profile:
    """The profile with this id, created when missing (an account's profile id is the account id). Safe to call
    twice, also concurrently: the insert does nothing when the row exists."""
    existing = session.get(Profile, customer_id)
    if existing is not None:
        return existing
    given, family = split_name(name or "")
    clean_email = _trusted_email(email)
    now = clock.now()
    serial = _reserve_card_serials(session, 1)
    card = rules.card_number(serial)
    insert = conflict_insert(session)
    session.execute(insert(Profile).values(
        id=customer_id, account_id=customer_id if source == "account" else None, given_name=given[:100],
        family_name=family[:100], name_key=normalize.name_key(given, family), family_key=normalize.fold(family)[:100],
        email=clean_email, card_number=card, language=language, sizes={}, shades=[], tags=[], source=source,
        status=ACTIVE, created_at=now, updated_at=now).on_conflict_do_nothing(index_elements=["id"]))
    profile = session.get(Profile, customer_id, populate_existing=True)
    if profile is None:  # pragma: no cover - the insert above guarantees a row
        raise CustomerNotFound()
    if profile.card_number == card:
        _add_identity(session, profile.id, "card", card, source, primary=True)
        if clean_email:
            _add_identity(session, profile.id, "email", clean_email, source, primary=True)
    return profile


def _trusted_email(email: str | None) -> str | None:
    """An address another context already accepted: normalized when we can, else kept as it is, lower case."""
    if not email:
        return None
    try:
        return normalize.email(email)
    except normalize.NotNormal:
        return email.strip().lower()[:254]


def profile_for_account(*, session: Session, account_id: uuid.UUID, email: str, name: str,
                        language: str | None) -> Profile:
    """The signed-in shopper's own profile, made on first use (fills an empty name from the account)."""
    profile = ensure_profile(session=session, customer_id=account_id, email=email, name=name, language=language,
                             source="account")
    if profile.status == MERGED:
        return get_profile(session=session, customer_id=profile.id)
    if profile.status == ACTIVE and not profile.given_name and not profile.family_name and name:
        profile.given_name, profile.family_name = (part[:100] for part in split_name(name))
        rekey(profile)
    return profile


def get_profile(*, session: Session, customer_id: uuid.UUID, follow: bool = True) -> Profile:
    """A profile by id (following merges unless ``follow`` is false), or ``CustomerNotFound``."""
    profile_id = resolve(session=session, customer_id=customer_id) if follow else customer_id
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise CustomerNotFound()
    return profile


def find_profile(*, session: Session, customer_id: uuid.UUID) -> Profile | None:
    """The surviving profile for ``customer_id``, or None if there is none yet."""
    return session.get(Profile, resolve(session=session, customer_id=customer_id))


@dataclass(frozen=True)
class NewAddress:
    label: str = ""
    recipient: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    phone: str | None = None
    is_default: bool = False


def create_profile(*, session: Session, actor: str, source: str, given_name: str, family_name: str = "",
                   email: str | None = None, phone: str | None = None, consents: Mapping[str, bool] | None = None,
                   addresses: Sequence[NewAddress] = (), region: str | None = None,
                   **preferences: Any) -> Profile:
    """Open a profile for someone without an account (at the POS, by import or by staff), with a new card."""
    clean = _clean({"given_name": given_name, "family_name": family_name, "email": email, "phone": phone,
                    **preferences}, region=region)
    profile_id = new_id()
    profile = ensure_profile(session=session, customer_id=profile_id, source=source)
    _apply(session, profile, clean, source=source)
    for address in addresses:
        add_address(session=session, profile=profile, address=address, region=region)
    for channel, granted in (consents or {}).items():
        record_consent(session=session, profile=profile, channel=channel, granted=granted, source=source,
                       actor=actor)
    session.flush()
    return profile


def update_profile(*, session: Session, profile: Profile, changes: Mapping[str, Any], source: str,
                   region: str | None = None) -> Profile:
    """Change names, contact details and preferences; a new e-mail or phone also becomes an identity."""
    _require_active(profile)
    unknown = sorted(set(changes) - PROFILE_FIELDS)
    if unknown:
        raise InvalidCustomerData(errors=[FieldError(("body", k), "unknown field", "extra_forbidden")
                                          for k in unknown])
    _apply(session, profile, _clean(changes, region=region), source=source)
    session.flush()
    return profile


def _clean(values: Mapping[str, Any], *, region: str | None) -> dict[str, Any]:
    """Normalize e-mail and phone, collecting every field error before refusing."""
    clean = dict(values)
    errors: list[FieldError] = []
    if clean.get("email"):
        try:
            clean["email"] = normalize.email(str(clean["email"]))
        except normalize.NotNormal as exc:
            errors.append(FieldError(("body", "email"), str(exc), "value_error"))
    if clean.get("phone"):
        try:
            clean["phone"] = normalize.phone(str(clean["phone"]), region=region)
        except normalize.NotNormal as exc:
            errors.append(FieldError(("body", "phone"), str(exc), "value_error"))
    if errors:
        raise InvalidCustomerData(errors=errors)
    return clean


NOT_NULL = {"family_name": "", "sizes": {}, "shades": [], "tags": []}


def _apply(session: Session, profile: Profile, clean: Mapping[str, Any], *, source: str) -> None:
    for key, value in clean.items():
        if key in ("email", "phone"):
            value = value or None
        if value is None and key == "given_name":
            continue
        if value is None and key in NOT_NULL:
            value = type(NOT_NULL[key])()
        if key == "tags":
            value = sorted({str(t).strip().lower() for t in value or [] if str(t).strip()})
        setattr(profile, key, value)
    if clean.get("email"):
        _add_identity(session, profile.id, "email", clean["email"], source, primary=True)
    if clean.get("phone"):
        _add_identity(session, profile.id, "phone", clean["phone"], source, primary=True)
    rekey(profile)
    profile.updated_at = clock.now()


def rekey(profile: Profile) -> None:
    profile.name_key = normalize.name_key(profile.given_name, profile.family_name)
    profile.family_key = normalize.fold(profile.family_name)[:100]


def _require_active(profile: Profile) -> None:
    if profile.status == ERASED:
        raise CustomerErasedError()
    if profile.status == MERGED:
        raise CustomerNotFound("This profile was merged into another")


def _reserve_card_serials(session: Session, count: int) -> int:
    """Take ``count`` consecutive card serials; returns the first."""
    insert = conflict_insert(session)
    session.execute(insert(DocumentCounter).values(prefix=CARD_COUNTER, last_value=0)
                    .on_conflict_do_nothing(index_elements=["prefix"]))
    last = session.execute(update(DocumentCounter).where(DocumentCounter.prefix == CARD_COUNTER)
                           .values(last_value=DocumentCounter.last_value + count)
                           .returning(DocumentCounter.last_value)
                           .execution_options(synchronize_session=False)).scalar_one()
    return int(last) - count + 1


def reserve_card_numbers(*, session: Session, count: int) -> list[str]:
    """``count`` new loyalty card numbers (for bulk loads)."""
    first = _reserve_card_serials(session, count)
    return [rules.card_number(first + i) for i in range(count)]


# --- identities ----------------------------------------------------------------------------------------------------

def _add_identity(session: Session, profile_id: uuid.UUID, kind: str, value: str, source: str, *,
                  primary: bool = False) -> None:
    if primary:
        session.execute(update(Identity).where(Identity.profile_id == profile_id, Identity.kind == kind)
                        .values(is_primary=False).execution_options(synchronize_session=False))
    insert = conflict_insert(session)
    session.execute(insert(Identity).values(id=new_id(), profile_id=profile_id, kind=kind, value=value,
                                            is_primary=primary, source=source, created_at=clock.now())
                    .on_conflict_do_nothing(index_elements=["profile_id", "kind", "value"]))
    if primary:
        session.execute(update(Identity).where(Identity.profile_id == profile_id, Identity.kind == kind,
                                               Identity.value == value)
                        .values(is_primary=True).execution_options(synchronize_session=False))


def add_identity(*, session: Session, profile: Profile, kind: str, value: str, source: str,
                 region: str | None = None) -> Identity:
    """Attach another e-mail, phone or card number to the profile (normalized)."""
    _require_active(profile)
    if kind not in rules.IDENTITY_KINDS:
        raise InvalidCustomerData(errors=[FieldError(("body", "kind"), "one of email, phone, card")])
    try:
        clean = (normalize.email(value) if kind == "email" else normalize.phone(value, region=region)
                 if kind == "phone" else value.strip())
    except normalize.NotNormal as exc:
        raise InvalidCustomerData(errors=[FieldError(("body", "value"), str(exc), "value_error")]) from exc
    if kind == "card" and not rules.is_card_number(clean):
        raise InvalidCustomerData(errors=[FieldError(("body", "value"), "not a valid card number", "value_error")])
    _add_identity(session, profile.id, kind, clean, source)
    session.flush()
    found = session.scalar(select(Identity).where(Identity.profile_id == profile.id, Identity.kind == kind,
                                                  Identity.value == clean))
    if found is None:  # pragma: no cover
        raise CustomerNotFound()
    return found


def identities_of(*, session: Session, profile_id: uuid.UUID) -> list[Identity]:
    return list(session.scalars(select(Identity).where(Identity.profile_id == profile_id)
                                .order_by(Identity.kind, Identity.id)))


# --- addresses -----------------------------------------------------------------------------------------------------

def add_address(*, session: Session, profile: Profile, address: NewAddress, region: str | None = None) -> Address:
    """Add a delivery address (the first one, or one marked default, becomes the default)."""
    _require_active(profile)
    phone = _address_phone(address.phone, region or address.country or None)
    existing = addresses_of(session=session, profile_id=profile.id)
    row = Address(id=new_id(), profile_id=profile.id, label=address.label, recipient=address.recipient,
                  street=address.street, postal_code=address.postal_code,
                  postal_key=normalize.postal_key(address.postal_code), city=address.city,
                  country=address.country.upper(), phone=phone, is_default=address.is_default or not existing,
                  created_at=clock.now())
    if row.is_default:
        for other in existing:
            other.is_default = False
    session.add(row)
    session.flush()
    return row


def update_address(*, session: Session, profile: Profile, address_id: uuid.UUID, changes: Mapping[str, Any]
                   ) -> Address:
    """Change one of the profile's addresses."""
    _require_active(profile)
    row = _own_address(session, profile, address_id)
    if "phone" in changes:
        row.phone = _address_phone(changes["phone"], changes.get("country") or row.country or None)
    for key, value in changes.items():
        if key in ("phone", "is_default"):
            continue
        setattr(row, key, value.upper() if key == "country" else value)
    row.postal_key = normalize.postal_key(row.postal_code)
    if changes.get("is_default"):
        for other in addresses_of(session=session, profile_id=profile.id):
            other.is_default = other.id == row.id
    session.flush()
    return row


def delete_address(*, session: Session, profile: Profile, address_id: uuid.UUID) -> None:
    """Remove one of the profile's addresses."""
    _require_active(profile)
    session.delete(_own_address(session, profile, address_id))
    session.flush()


def _own_address(session: Session, profile: Profile, address_id: uuid.UUID) -> Address:
    row = session.get(Address, address_id)
    if row is None or row.profile_id != profile.id:
        raise CustomerNotFound("No such address")
    return row


def _address_phone(raw: str | None, region: str | None) -> str | None:
    if not raw:
        return None
    try:
        return normalize.phone(raw, region=region)
    except normalize.NotNormal as exc:
        raise InvalidCustomerData(errors=[FieldError(("body", "phone"), str(exc), "value_error")]) from exc


def addresses_of(*, session: Session, profile_id: uuid.UUID) -> list[Address]:
    return list(session.scalars(select(Address).where(Address.profile_id == profile_id).order_by(Address.id)))


# --- consents ------------------------------------------------------------------------------------------------------

def record_consent(*, session: Session, profile: Profile, channel: str, granted: bool, source: str,
                   actor: str) -> Consent:
    """Append a consent decision for one channel (e-mail, SMS, push); the latest one counts."""
    _require_active(profile)
    if channel not in rules.CONSENT_CHANNELS:
        raise InvalidCustomerData(errors=[FieldError(("body", "channel"), "one of email, sms, push")])
    entry = Consent(id=new_id(), profile_id=profile.id, channel=channel, granted=granted, at=clock.now(),
                    source=source[:20], actor=actor[:254])
    session.add(entry)
    session.flush()
    return entry


def consent_history(*, session: Session, profile_id: uuid.UUID) -> list[Consent]:
    """Every consent decision, oldest first."""
    return list(session.scalars(select(Consent).where(Consent.profile_id == profile_id)
                                .order_by(Consent.at, Consent.id)))


# --- listing and look-up -------------------------------------------------------------------------------------------

def list_profiles(*, session: Session, cursor: str | None, limit: int, status: str | None = ACTIVE,
                  segment: str | None = None) -> Page[Profile]:
    """Profiles, oldest first (active ones unless another status is asked for)."""
    stmt = select(Profile)
    if status:
        stmt = stmt.where(Profile.status == status)
    if segment:
        stmt = stmt.join(SegmentMember, SegmentMember.profile_id == Profile.id).join(
            Segment, Segment.id == SegmentMember.segment_id).where(Segment.code == segment)
    return paginate(session, stmt, Profile.id, cursor=cursor, limit=limit)


def lookup(*, session: Session, q: str, limit: int = 20, region: str | None = None) -> list[Profile]:
    """Find active profiles at the till by phone, e-mail, card number or the start of a name (indexed)."""
    text = q.strip()
    if not text:
        return []
    keys: list[tuple[str, str]] = []
    if "@" in text:
        keys.append(("email", text.lower()))
    digits = "".join(c for c in text if c.isdigit())
    if rules.is_card_number(digits) and len(digits) == len(text.replace(" ", "")):
        keys.append(("card", digits))
    phone = normalize.maybe_phone(text, region=region) if sum(c.isdigit() for c in text) >= 6 else None
    if phone:
        keys.append(("phone", phone))
    if keys:
        # Merges move identities to the survivor and erasure deletes them, so a match is already the live profile.
        matched = select(Identity.profile_id).where(or_(*[(Identity.kind == k) & (Identity.value == v)
                                                          for k, v in keys]))
        found = list(session.scalars(select(Profile).where(Profile.id.in_(matched), Profile.status == ACTIVE)
                                     .order_by(Profile.id).limit(limit)))
        if found:
            return found
    if keys and not any(c.isalpha() for c in text):
        return []
    prefix = normalize.fold(text)
    if len(prefix) < 2:
        return []
    stmt = (select(Profile).where(Profile.status == ACTIVE, _starts_with(session, prefix))
            .order_by(Profile.family_key, Profile.name_key, Profile.id).limit(limit))
    return list(session.scalars(stmt))


def _starts_with(session: Session, prefix: str) -> Any:
    """Name or family name starts with ``prefix``, in a form each database answers from its index: a key range on
    SQLite (its LIKE is case-blind, so it only uses NOCASE indexes; the keys are lower case already), LIKE on
    PostgreSQL (the indexes use pattern operators)."""
    last = ord(prefix[-1])
    if session.get_bind().dialect.name == "sqlite" and last < 0xD7FF:
        after = prefix[:-1] + chr(last + 1)
        return or_((Profile.name_key >= prefix) & (Profile.name_key < after),
                   (Profile.family_key >= prefix) & (Profile.family_key < after))
    pattern = _like_prefix(prefix)
    return or_(Profile.name_key.like(pattern, escape="\\"), Profile.family_key.like(pattern, escape="\\"))


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def count_profiles(*, session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Profile).where(Profile.status == ACTIVE)) or 0)


def profiles_by_ids(*, session: Session, ids: Iterable[uuid.UUID]) -> list[Profile]:
    wanted = list(ids)
    return list(session.scalars(select(Profile).where(Profile.id.in_(wanted)))) if wanted else []


# --- the back office's customer pages (web/backoffice/people.py) ---------------------------------------------------

def search_profiles(*, session: Session, q: str | None = None, segment: str | None = None, tier: str | None = None,
                    offset: int = 0, limit: int = 50) -> tuple[list[Profile], int]:
    """Active profiles found by phone, e-mail, card or name start, in a segment or tier, one page and the total."""
    stmt = select(Profile).where(Profile.status == ACTIVE)
    if q and q.strip():
        stmt = stmt.where(Profile.id.in_([p.id for p in lookup(session=session, q=q, limit=500)]))
    if segment:
        stmt = stmt.where(Profile.id.in_(select(SegmentMember.profile_id).join(
            Segment, Segment.id == SegmentMember.segment_id).where(Segment.code == segment)))
    if tier:
        stmt = stmt.where(Profile.tier == tier)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = session.scalars(stmt.order_by(Profile.family_key, Profile.name_key, Profile.id)
                           .offset(offset).limit(limit))
    return list(rows), total


def segment_choices(*, session: Session) -> list[tuple[str, str]]:
    """Every segment's code and name, for filters."""
    return [(code, name) for code, name in session.execute(select(Segment.code, Segment.name).order_by(Segment.code))]


def tier_codes_in_use(*, session: Session) -> list[str]:
    """The loyalty tiers recorded on active profiles, for filters."""
    return [t for t in session.scalars(select(Profile.tier).where(Profile.status == ACTIVE, Profile.tier.is_not(None))
                                       .distinct().order_by(Profile.tier)) if t]


def overview_of(*, session: Session, customer_id: uuid.UUID) -> Any:
    """The 360 view of ``customers.overview`` (profile, identities, addresses, consents, segments, orders)."""
    from omniretail.customers import overview

    return overview.overview(session=session, customer_id=customer_id, order_limit=50)


def duplicate_pairs(*, session: Session, limit: int = 100) -> list[Any]:
    """Pairs of active profiles that look like one person, with the reasons (``customers.merging``)."""
    from omniretail.customers import merging

    return merging.find_duplicates(session=session, limit=limit)


def merge_profiles(*, session: Session, survivor_id: uuid.UUID, merged_id: uuid.UUID, actor: str,
                   reason: str = "") -> Any:
    """Fold ``merged_id`` into ``survivor_id`` (``customers.merging.merge``; records ``CustomersMerged``)."""
    from omniretail.customers import merging

    return merging.merge(session=session, survivor_id=survivor_id, merged_id=merged_id, actor=actor, reason=reason)


def export_profile(*, session: Session, customer_id: uuid.UUID) -> dict[str, Any]:
    """Everything held about the customer as JSON-ready data (GDPR access request)."""
    from omniretail.customers import privacy

    return privacy.export(session=session, customer_id=customer_id)


def erase_profile(*, session: Session, customer_id: uuid.UUID, actor: str) -> Profile:
    """Anonymize the customer's personal data on request (``customers.privacy.erase``)."""
    from omniretail.customers import privacy

    return privacy.erase(session=session, customer_id=customer_id, actor=actor)
