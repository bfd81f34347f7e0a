"""Customers: part of the demo retailer. 20,000 customers living around the demo stores, with phones, e-mails,
loyalty cards, an address, consents, preferences and a few tags; two dozen look-alike pairs for the duplicates
list; the demo shopper's own profile; and a handful of segments. Rows go in with bulk Core inserts (a few seconds
for the lot)."""

from __future__ import annotations

import functools
import math
import random
import uuid
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from omniretail.customers import normalize, segments, service
from omniretail.customers.models import Address, Consent, Identity, Profile
from omniretail.identity import service as identity_service
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock

CUSTOMERS = 20_000
LOOK_ALIKES = 24
DEMO_SHOPPER = ("anna@example.com", "Anna Bērziņa", "lv")
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # given (women), given (men), family names
    "LV": (("Anna", "Līga", "Ilze", "Kristīne", "Laura", "Elīna", "Inese", "Dace", "Zane", "Santa"),
           ("Jānis", "Andris", "Mārtiņš", "Kārlis", "Edgars", "Roberts"),
           ("Bērziņa", "Kalniņa", "Ozola", "Liepa", "Krūmiņa", "Zariņa", "Vītola", "Jansone", "Kļaviņa", "Balode")),
    "LT": (("Ieva", "Rūta", "Agnė", "Greta", "Eglė", "Lina"), ("Jonas", "Tomas", "Mantas", "Lukas"),
           ("Kazlauskienė", "Jankauskaitė", "Petrauskienė", "Stankevičiūtė", "Vasiliauskienė")),
    "EE": (("Mari", "Kadri", "Liis", "Kristiina", "Triin", "Anu"), ("Jaan", "Martin", "Andres", "Marko"),
           ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane")),
    "PL": (("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Zofia", "Maja"),
           ("Piotr", "Tomasz", "Paweł", "Jakub"),
           ("Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowska", "Zielińska")),
    "CN": (("静", "丽", "敏", "燕", "婷", "雪"), ("伟", "强", "磊", "洋"), ("王", "李", "张", "刘", "陈", "杨", "黄")),
}
LANGUAGE = {"LV": "lv", "LT": "en", "EE": "en", "PL": "pl", "CN": "zh"}
# Mobile numbers that phonenumbers accepts: country code, first digits, digits after them.
PHONES = {"LV": ("+371", "2", 7), "LT": ("+370", "6", 7), "EE": ("+372", "5", 7), "PL": ("+48", "6", 8),
          "CN": ("+86", "13", 9)}
POSTCODES = {"LV": "LV-{:04d}", "LT": "LT-{:05d}", "EE": "{:05d}", "PL": "{:02d}-{:03d}", "CN": "{:06d}"}
SIZES = ("XS", "S", "M", "L", "XL")
SHADES = ("LIP-VELVET-01", "LIP-VELVET-07", "LIP-VELVET-12", "FOUNDATION-IVORY", "FOUNDATION-SAND",
          "FOUNDATION-HONEY", "NAIL-CORAL", "NAIL-NOIR")
TAGS = (("vip", 0.03), ("makeup-artist", 0.02), ("staff", 0.01), ("wholesale", 0.005), ("newsletter-2026", 0.2))
SEGMENTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("vip", "VIP guests", {"all": [{"tag": "vip"}, {"not": {"tag": "staff"}}]}),
    ("champions", "Champions (RFM)", {"rfm": {"r": [4, 5], "f": [4, 5], "m": [4, 5]}}),
    ("lapsed", "Lapsed buyers", {"all": [{"field": "orders", "op": "ge", "value": 1},
                                         {"field": "recency_days", "op": "gt", "value": 180}]}),
    ("big-spenders", "Spent 300 or more", {"field": "spend_minor", "op": "ge", "value": 30_000}),
    ("store-only", "Buy only in stores", {"all": [{"field": "orders", "op": "ge", "value": 1},
                                                  {"field": "share.store", "op": "eq", "value": 100}]}),
    ("online-first", "Mostly online", {"field": "share.web", "op": "ge", "value": 70}),
    ("gold-tier", "Gold and above", {"field": "tier", "op": "in", "value": ["gold", "platinum"]}),
    ("makeup-artists", "Make-up artists", {"tag": "makeup-artist"}),
)


@functools.cache
def _fold(text: str) -> str:
    return normalize.fold(text)


def _near(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    """A point within ``km`` of (lat, lon), denser towards the centre."""
    distance, bearing = km * rng.random() ** 1.5, rng.uniform(0, 2 * math.pi)
    dlat = distance / 111.32 * math.cos(bearing)
    dlon = distance / (111.32 * max(0.2, math.cos(math.radians(lat)))) * math.sin(bearing)
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _postcode(rng: random.Random, country: str) -> str:
    pattern = POSTCODES[country]
    if country == "PL":
        return pattern.format(rng.randint(0, 99), rng.randint(0, 999))
    return pattern.format(rng.randint(1000, 9999) if country == "LV" else rng.randint(10000, 99999))


class _Ids:
    """UUIDv7s (time-ordered, as ``kernel.ids.new_id`` makes them) at bulk speed: one clock reading, a counter in
    the 12-bit sequence field and random low bits."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ms = int(clock.now().timestamp() * 1000)
        self.seq = 0

    def __call__(self) -> uuid.UUID:
        self.seq += 1
        if self.seq >= 1 << 12:
            self.ms, self.seq = self.ms + 1, 0
        return uuid.UUID(int=(self.ms << 80) | (0x7 << 76) | (self.seq << 64) | (0b10 << 62)
                         | self.rng.getrandbits(62))


class _Rows:
    def __init__(self) -> None:
        self.profiles: list[dict[str, Any]] = []
        self.identities: list[dict[str, Any]] = []
        self.addresses: list[dict[str, Any]] = []
        self.consents: list[dict[str, Any]] = []

    def write(self, session: Session) -> None:
        for table, rows in ((Profile, self.profiles), (Identity, self.identities), (Address, self.addresses),
                            (Consent, self.consents)):
            for start in range(0, len(rows), 5000):
                session.connection().execute(insert(cast(Table, table.__table__)), rows[start:start + 5000])


def _person(rows: _Rows, rng: random.Random, new_id: _Ids, *, store: Any, card: str, serial: int, source: str,
            given: str | None = None, family: str | None = None, phone: str | None = None,
            email: str | None = None, postcode: str | None = None) -> dict[str, Any]:
    country = store.country
    women, men, families = NAMES[country]
    woman = rng.random() < 0.8
    given = given or rng.choice(women if woman else men)
    family = family or rng.choice(families)
    if country == "PL" and not woman and family.endswith("ska"):
        family = family[:-3] + "ski"
    code, lead, digits = PHONES[country]
    phone = phone or f"{code}{lead}{serial:0{digits}d}"
    ascii_name = _fold(f"{given}.{family}").replace(" ", "") if country != "CN" else f"kehu{serial}"
    email = email or f"{ascii_name}.{serial}@inbox.example.com"
    lat, lon = _near(rng, store.latitude, store.longitude, 12)
    now = clock.now()
    created = now - timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1440))
    pid = new_id()
    profile = {"id": pid, "account_id": None, "given_name": given, "family_name": family,
               "name_key": _fold(f"{given} {family}"), "family_key": _fold(family),
               "email": email, "phone": phone, "card_number": card, "birth_date": None,
               "language": LANGUAGE[country], "favourite_location_id": store.id if rng.random() < 0.6 else None,
               "home_location_id": store.id, "home_latitude": lat, "home_longitude": lon,
               "sizes": {"top": rng.choice(SIZES), "shoe": str(rng.randint(35, 44))} if rng.random() < 0.4 else {},
               "shades": rng.sample(SHADES, rng.randint(1, 3)) if rng.random() < 0.5 else [],
               "tags": sorted(t for t, share in TAGS if rng.random() < share), "tier": None, "source": source,
               "status": service.ACTIVE, "merged_into_id": None, "erased_at": None, "created_at": created,
               "updated_at": created}
    rows.profiles.append(profile)
    for kind, value in (("email", email), ("phone", phone), ("card", card)):
        rows.identities.append({"id": new_id(), "profile_id": pid, "kind": kind, "value": value, "is_primary": True,
                                "source": source, "created_at": created})
    rows.addresses.append({"id": new_id(), "profile_id": pid, "label": "home", "recipient": f"{given} {family}",
                           "street": store.street, "postal_code": postcode or _postcode(rng, country),
                           "city": store.city, "country": country, "phone": phone, "is_default": True,
                           "created_at": created})
    rows.addresses[-1]["postal_key"] = normalize.postal_key(rows.addresses[-1]["postal_code"])
    for channel, share in (("email", 0.55), ("sms", 0.3), ("push", 0.2)):
        if rng.random() < 0.7:
            rows.consents.append({"id": new_id(), "profile_id": pid, "channel": channel,
                                  "granted": rng.random() < share / 0.7, "at": created,
                                  "source": "pos" if source == "pos" else "web", "actor": "demo"})
    return profile


def _demo_shopper(session: Session, stores: list[Any]) -> None:
    email, name, language = DEMO_SHOPPER
    account_id = identity_service.customer_account_id(session=session, email=email)
    if account_id is None:
        return
    riga = next((s for s in stores if s.code == "RIGA-CENTRS"), stores[0])
    profile = service.profile_for_account(session=session, account_id=account_id, email=email, name=name,
                                          language=language)
    service.update_profile(session=session, profile=profile, source="web", changes={
        "phone": "+37120000000", "favourite_location_id": riga.id, "home_location_id": riga.id,
        "home_latitude": 56.9531, "home_longitude": 24.1166, "sizes": {"top": "S", "shoe": "38"},
        "shades": ["LIP-VELVET-07", "FOUNDATION-IVORY"], "tags": ["vip", "newsletter-2026"]})
    service.add_address(session=session, profile=profile, address=service.NewAddress(
        label="home", recipient=name, street="Brīvības iela 1", postal_code="LV-1010", city="Rīga", country="LV",
        phone="+37120000000", is_default=True))
    for channel, granted in (("email", True), ("sms", True), ("push", False)):
        service.record_consent(session=session, profile=profile, channel=channel, granted=granted, source="web",
                               actor="demo")


def load(session: Session) -> None:
    """Add this context's demo data."""
    stores = inventory_service.list_locations(session=session, kinds={"store", "franchise_store"})
    if not stores:
        return
    rng = random.Random(7)
    _demo_shopper(session, stores)
    cards = service.reserve_card_numbers(session=session, count=CUSTOMERS)
    rows, ids = _Rows(), _Ids(rng)
    # More people live around the Baltic and Polish stores than around the two in Shanghai.
    weights = [1 if s.country == "CN" else 3 for s in stores]
    originals = []
    for i in range(CUSTOMERS - LOOK_ALIKES):
        store = rng.choices(stores, weights)[0]
        originals.append((store, _person(rows, rng, ids, store=store, card=cards[i], serial=i + 1000, source="web")))
    # The same people signed up again at a till: same phone, or same name at the same postcode.
    for n, (store, twin) in enumerate(rng.sample(originals, LOOK_ALIKES)):
        same_phone = n % 2 == 0
        _person(rows, rng, ids, store=store, card=cards[CUSTOMERS - LOOK_ALIKES + n], serial=900_000 + n, source="pos",
                given=twin["given_name"], family=twin["family_name"],
                phone=twin["phone"] if same_phone else None,
                email=f"till.{n}@inbox.example.com",
                postcode=None if same_phone else next(a["postal_code"] for a in rows.addresses
                                                       if a["profile_id"] == twin["id"]))
    rows.write(session)
    riga = next((s for s in stores if s.code == "RIGA-CENTRS"), stores[0])
    for code, name, rule in (*SEGMENTS, ("near-riga-centrs", f"Within 5 km of {riga.name}",
                                         {"within_km": {"km": 5, "location": str(riga.id)}})):
        segments.create_segment(session=session, code=code, name=name, rule=rule)
    segments.recompute(session=session)


def demo_customer_ids(session: Session, count: int = 100) -> list[uuid.UUID]:
    """Some demo customers' ids, for other contexts' demo orders, reviews and tickets."""
    page = service.list_profiles(session=session, cursor=None, limit=count)
    return [p.id for p in page.items]
