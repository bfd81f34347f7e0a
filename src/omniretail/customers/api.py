"""Customers API: profiles for staff (look-up at the till, 360 view, merge, GDPR export and erasure), segments,
and the signed-in shopper's own profile, addresses, consents and export under ``/me``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from omniretail.customers import merging, overview, privacy, segments, service
from omniretail.customers.dependencies import (
    CustomerManager,
    CustomerReader,
    Enroller,
    KnownCustomer,
    SegmentManager,
)
from omniretail.customers.models import Profile
from omniretail.customers.schemas import (
    PRINTABLE,
    AddressIn,
    AddressRead,
    AddressUpdate,
    ConsentEntryRead,
    ConsentIn,
    ConsentRead,
    ConsentsIn,
    ConsentsRead,
    DuplicateRead,
    IdentityIn,
    IdentityRead,
    LookupRead,
    MergeIn,
    MergePair,
    MergeRead,
    OrderSummary,
    Preferences,
    Profile360Read,
    ProfileBrief,
    ProfileCreate,
    ProfilePage,
    ProfileRead,
    ProfileUpdate,
    RecomputeRead,
    SegmentCreate,
    SegmentRead,
    SegmentUpdate,
    TotalsRead,
)
from omniretail.identity.dependencies import CurrentCustomer
from omniretail.identity.rules import Principal
from omniretail.kernel.db import Database
from omniretail.kernel.deps import DatabaseDep, SessionDep
from omniretail.kernel.schemas import Limit

router = APIRouter(tags=["customers"])
Region = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")]
Code = Annotated[str, Path(max_length=60, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


def _actor(staff: Principal) -> str:
    return f"staff:{staff.email}"


def _changes(body: Preferences) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if changes.get("birth_date") is not None:
        changes["birth_date"] = changes["birth_date"].isoformat()
    return changes


def _address(body: AddressIn) -> service.NewAddress:
    return service.NewAddress(**body.model_dump())


def _consents(session: Session, profile: Profile) -> ConsentsRead:
    current = service.consents_of(session=session, customer_id=profile.id)
    return ConsentsRead(current=[ConsentRead(channel=c.channel, granted=c.granted, at=c.at, source=c.source)
                                 for c in current.values()],
                        history=[ConsentEntryRead.model_validate(c)
                                 for c in service.consent_history(session=session, profile_id=profile.id)])


def _export(session: Session, profile: Profile) -> JSONResponse:
    data = privacy.export(session=session, customer_id=profile.id)
    return JSONResponse(data, headers={"content-disposition": f'attachment; filename="customer-{profile.id}.json"'})


# --- staff ---------------------------------------------------------------------------------------------------------

@router.get("/customers")
def list_customers(session: SessionDep, staff: CustomerReader, cursor: str | None = None, limit: Limit = 50,
                   segment: Annotated[str | None, Query(max_length=60, pattern=PRINTABLE)] = None) -> ProfilePage:
    """Active customer profiles, oldest first (optionally the members of one segment)."""
    page = service.list_profiles(session=session, cursor=cursor, limit=limit, segment=segment)
    return ProfilePage(items=[ProfileRead.model_validate(p) for p in page.items], next_cursor=page.next_cursor)


@router.post("/customers", status_code=201)
def create_customer(body: ProfileCreate, session: SessionDep, staff: Enroller) -> ProfileRead:
    """Enrol a customer at the till or from the back office: a profile with a new loyalty card."""
    data = _changes(body)
    consents = {k: v for k, v in (data.pop("consents", None) or {}).items() if v is not None}
    addresses = [service.NewAddress(**a) for a in data.pop("addresses", [])]
    profile = service.create_profile(session=session, actor=_actor(staff), source="staff", consents=consents,
                                     addresses=addresses, region=data.pop("region", None), **data)
    return ProfileRead.model_validate(profile)


@router.get("/customers/lookup")
def lookup_customers(session: SessionDep, staff: CustomerReader,
                     q: Annotated[str, Query(min_length=1, max_length=100, pattern=PRINTABLE)], region: Region = None,
                     limit: Annotated[int, Query(ge=1, le=50)] = 20) -> LookupRead:
    """Find a member by phone, e-mail, loyalty card number or the start of their name."""
    found = service.lookup(session=session, q=q, limit=limit, region=region)
    return LookupRead(items=[ProfileBrief.model_validate(p) for p in found])


@router.get("/customers/duplicates")
def list_duplicates(session: SessionDep, staff: CustomerReader, limit: Limit = 50,
                    customer_id: uuid.UUID | None = None) -> list[DuplicateRead]:
    """Pairs of profiles that look like one person (same phone or e-mail, or same name and postcode)."""
    pairs = merging.find_duplicates(session=session, limit=limit, customer_id=customer_id)
    ids = {i for pair in pairs for i in (pair.first_id, pair.second_id)}
    people = {p.id: p for p in service.profiles_by_ids(session=session, ids=ids)}
    return [DuplicateRead(first=ProfileBrief.model_validate(people[p.first_id]),
                          second=ProfileBrief.model_validate(people[p.second_id]), reasons=list(p.reasons))
            for p in pairs]


@router.post("/customers/merge", status_code=201)
def merge_pair(body: MergePair, session: SessionDep, staff: CustomerManager) -> MergeRead:
    """Fold ``merged_id`` into ``survivor_id``: identities, addresses, consents and orders of both are kept."""
    return MergeRead.model_validate(merging.merge(session=session, survivor_id=body.survivor_id,
                                                  merged_id=body.merged_id, actor=_actor(staff), reason=body.reason))


@router.get("/customers/{customer_id}")
def get_customer(profile: KnownCustomer) -> ProfileRead:
    """One customer's profile (a merged profile's id leads to the survivor)."""
    return ProfileRead.model_validate(profile)


@router.patch("/customers/{customer_id}")
def update_customer(customer_id: uuid.UUID, body: ProfileUpdate, session: SessionDep, staff: CustomerManager,
                    region: Region = None) -> ProfileRead:
    """Change a customer's names, contact details, preferences, home store or tags."""
    profile = service.get_profile(session=session, customer_id=customer_id)
    return ProfileRead.model_validate(service.update_profile(session=session, profile=profile,
                                                             changes=_changes(body), source="staff", region=region))


@router.get("/customers/{customer_id}/profile")
def customer_360(profile: KnownCustomer, session: SessionDep) -> Profile360Read:
    """The 360 view: profile, identities, addresses, consents, segments, and orders from every channel with total
    spend and the number of orders per channel."""
    view = overview.overview(session=session, customer_id=profile.id)
    return Profile360Read(
        profile=ProfileRead.model_validate(view.profile),
        identities=[IdentityRead.model_validate(i) for i in view.identities],
        addresses=[AddressRead.model_validate(a) for a in view.addresses],
        consents=[ConsentRead(channel=c.channel, granted=c.granted, at=c.at, source=c.source)
                  for c in view.consents.values()],
        segments=view.segments, merged_ids=view.merged_ids,
        totals=TotalsRead(orders=view.totals.orders, spend_by_currency=view.totals.spend_by_currency,
                          orders_by_channel=view.totals.orders_by_channel, last_order_at=view.totals.last_order_at),
        orders=[OrderSummary.model_validate(o) for o in view.orders])


@router.get("/customers/{customer_id}/identities")
def list_identities(profile: KnownCustomer, session: SessionDep) -> list[IdentityRead]:
    """The customer's e-mails, phones and loyalty cards."""
    return [IdentityRead.model_validate(i) for i in service.identities_of(session=session, profile_id=profile.id)]


@router.post("/customers/{customer_id}/identities", status_code=201)
def add_identity(customer_id: uuid.UUID, body: IdentityIn, session: SessionDep,
                 staff: CustomerManager) -> IdentityRead:
    """Attach another e-mail, phone number or loyalty card to the customer."""
    profile = service.get_profile(session=session, customer_id=customer_id)
    return IdentityRead.model_validate(service.add_identity(session=session, profile=profile, kind=body.kind,
                                                            value=body.value, source="staff", region=body.region))


@router.get("/customers/{customer_id}/addresses")
def list_addresses(profile: KnownCustomer, session: SessionDep) -> list[AddressRead]:
    """The customer's addresses."""
    return [AddressRead.model_validate(a) for a in service.addresses_of(session=session, profile_id=profile.id)]


@router.post("/customers/{customer_id}/addresses", status_code=201)
def add_address(customer_id: uuid.UUID, body: AddressIn, session: SessionDep, staff: CustomerManager) -> AddressRead:
    """Add an address to the customer's profile."""
    profile = service.get_profile(session=session, customer_id=customer_id)
    return AddressRead.model_validate(service.add_address(session=session, profile=profile, address=_address(body)))


@router.get("/customers/{customer_id}/consents")
def list_consents(profile: KnownCustomer, session: SessionDep) -> ConsentsRead:
    """Current consent per channel and the full history with time and source."""
    return _consents(session, profile)


@router.post("/customers/{customer_id}/consents", status_code=201)
def record_consent(customer_id: uuid.UUID, body: ConsentIn, session: SessionDep, staff: Enroller) -> ConsentsRead:
    """Record what the customer agreed to for one channel (at the till, on the phone, on paper)."""
    profile = service.get_profile(session=session, customer_id=customer_id)
    service.record_consent(session=session, profile=profile, channel=body.channel, granted=body.granted,
                           source=body.source, actor=_actor(staff))
    return _consents(session, profile)


@router.get("/customers/{customer_id}/export", response_class=JSONResponse)
def export_customer(customer_id: uuid.UUID, session: SessionDep, staff: CustomerManager) -> JSONResponse:
    """Everything held about the customer as one JSON document (GDPR access request)."""
    return _export(session, service.get_profile(session=session, customer_id=customer_id))


@router.post("/customers/{customer_id}/erase")
def erase_customer(customer_id: uuid.UUID, session: SessionDep, staff: CustomerManager) -> ProfileRead:
    """Anonymize the customer's personal data on their request; orders and payments stay as financial records."""
    return ProfileRead.model_validate(privacy.erase(session=session, customer_id=customer_id, actor=_actor(staff)))


@router.post("/customers/{customer_id}/merge", status_code=201)
def merge_into(customer_id: uuid.UUID, body: MergeIn, session: SessionDep, staff: CustomerManager) -> MergeRead:
    """Fold another profile into this one: identities, addresses, consents and orders of both are kept."""
    return MergeRead.model_validate(merging.merge(session=session, survivor_id=customer_id,
                                                  merged_id=body.merged_id, actor=_actor(staff), reason=body.reason))


@router.get("/customers/{customer_id}/merges")
def list_merges(customer_id: uuid.UUID, session: SessionDep, staff: CustomerReader) -> list[MergeRead]:
    """The profiles merged into this customer, with when, by whom and what came over."""
    return [MergeRead.model_validate(m) for m in merging.merges_of(session=session, customer_id=customer_id)]


# --- segments ------------------------------------------------------------------------------------------------------

@router.get("/segments")
def list_segments(session: SessionDep, staff: CustomerReader) -> list[SegmentRead]:
    """Every segment with its rule and member count at the last recompute."""
    return [SegmentRead.model_validate(s) for s in segments.list_segments(session=session)]


@router.post("/segments", status_code=201)
def create_segment(body: SegmentCreate, session: SessionDep, staff: SegmentManager) -> SegmentRead:
    """Define a segment by a rule (see docs/customers.md for the rule language)."""
    return SegmentRead.model_validate(segments.create_segment(session=session, code=body.code, name=body.name,
                                                              rule=body.rule))


@router.get("/segments/{code}")
def get_segment(code: Code, session: SessionDep, staff: CustomerReader) -> SegmentRead:
    """One segment."""
    return SegmentRead.model_validate(segments.get_segment(session=session, code=code))


@router.patch("/segments/{code}")
def update_segment(code: Code, body: SegmentUpdate, session: SessionDep, staff: SegmentManager) -> SegmentRead:
    """Rename a segment or change its rule (members change at the next recompute)."""
    return SegmentRead.model_validate(segments.update_segment(session=session, code=code,
                                                              changes=body.model_dump(exclude_unset=True)))


@router.delete("/segments/{code}", status_code=204)
def delete_segment(code: Code, session: SessionDep, staff: SegmentManager) -> Response:
    """Remove a segment and its memberships."""
    segments.delete_segment(session=session, code=code)
    return Response(status_code=204)


@router.post("/segments/{code}/recompute")
def recompute_segment(code: Code, session: SessionDep, staff: SegmentManager) -> RecomputeRead:
    """Re-evaluate the segment's rule over every customer now."""
    done = segments.recompute(session=session, codes=[code])
    return RecomputeRead.model_validate(done[0])


@router.get("/segments/{code}/members")
def segment_members(code: Code, session: SessionDep, staff: CustomerReader, cursor: str | None = None,
                    limit: Limit = 50) -> ProfilePage:
    """The segment's customers as of the last recompute."""
    page = segments.members(session=session, code=code, cursor=cursor, limit=limit)
    return ProfilePage(items=[ProfileRead.model_validate(p) for p in page.items], next_cursor=page.next_cursor)


# --- the signed-in shopper -----------------------------------------------------------------------------------------

def _mine(session: Session, account: Any) -> Profile:
    return service.profile_for_account(session=session, account_id=account.id, email=account.email,
                                       name=account.name, language=account.locale)


@contextmanager
def _mine_to_read(db: Database, session: Session, account: Any) -> Iterator[tuple[Session, Profile]]:
    """The shopper's profile for a GET: read in the request's read-only session, or made first (once) in a short
    writing transaction that then serves the read."""
    profile = service.find_profile(session=session, customer_id=account.id)
    if profile is not None:
        yield session, profile
        return
    with db.transaction() as writer:
        yield writer, _mine(writer, account)


@router.get("/me/profile")
def my_profile(session: SessionDep, db: DatabaseDep, account: CurrentCustomer) -> ProfileRead:
    """Your own profile: names, contact details, loyalty card and preferences."""
    with _mine_to_read(db, session, account) as (_, profile):
        return ProfileRead.model_validate(profile)


@router.patch("/me/profile")
def update_my_profile(body: Preferences, session: SessionDep, account: CurrentCustomer) -> ProfileRead:
    """Change your names, phone, language, favourite store, sizes and shades."""
    profile = _mine(session, account)
    return ProfileRead.model_validate(service.update_profile(session=session, profile=profile,
                                                             changes=_changes(body), source="web"))


@router.get("/me/addresses")
def my_addresses(session: SessionDep, db: DatabaseDep, account: CurrentCustomer) -> list[AddressRead]:
    """Your addresses."""
    with _mine_to_read(db, session, account) as (reader, profile):
        return [AddressRead.model_validate(a) for a in service.addresses_of(session=reader, profile_id=profile.id)]


@router.post("/me/addresses", status_code=201)
def add_my_address(body: AddressIn, session: SessionDep, account: CurrentCustomer) -> AddressRead:
    """Add an address."""
    return AddressRead.model_validate(service.add_address(session=session, profile=_mine(session, account),
                                                          address=_address(body)))


@router.patch("/me/addresses/{address_id}")
def update_my_address(address_id: uuid.UUID, body: AddressUpdate, session: SessionDep,
                      account: CurrentCustomer) -> AddressRead:
    """Change one of your addresses."""
    return AddressRead.model_validate(service.update_address(
        session=session, profile=_mine(session, account), address_id=address_id,
        changes=body.model_dump(exclude_unset=True)))


@router.delete("/me/addresses/{address_id}", status_code=204)
def delete_my_address(address_id: uuid.UUID, session: SessionDep, account: CurrentCustomer) -> Response:
    """Remove one of your addresses."""
    service.delete_address(session=session, profile=_mine(session, account), address_id=address_id)
    return Response(status_code=204)


@router.get("/me/consents")
def my_consents(session: SessionDep, db: DatabaseDep, account: CurrentCustomer) -> ConsentsRead:
    """What you agreed to receive by e-mail, SMS and push, and when."""
    with _mine_to_read(db, session, account) as (reader, profile):
        return _consents(reader, profile)


@router.patch("/me/consents")
def update_my_consents(body: ConsentsIn, session: SessionDep, account: CurrentCustomer) -> ConsentsRead:
    """Say yes or no to messages by e-mail, SMS or push (channels left out stay as they are)."""
    profile = _mine(session, account)
    for channel, granted in body.model_dump(exclude_none=True).items():
        service.record_consent(session=session, profile=profile, channel=channel, granted=granted, source="web",
                               actor=f"customer:{account.id}")
    return _consents(session, profile)


@router.get("/me/export", response_class=JSONResponse)
def export_mine(session: SessionDep, db: DatabaseDep, account: CurrentCustomer) -> JSONResponse:
    """Download everything we hold about you as JSON."""
    with _mine_to_read(db, session, account) as (reader, profile):
        return _export(reader, profile)
