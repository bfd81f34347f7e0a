"""What the storefront pages need besides the services: reading query strings that shoppers (and bots) type,
the shopper's position, the category menu, store cards and opening hours, swatches and links.

Every parser here is forgiving: a nonsense value is ignored, never an error, so a shared or hand-edited
link still opens a page.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

if TYPE_CHECKING:
    from omniretail.channels.models import Channel
    from omniretail.inventory.models import Location

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog import service as catalog_service
from omniretail.catalog.rules import pick
from omniretail.channels import service as channels_service
from omniretail.inventory import service as inventory_service
from omniretail.inventory.rules import LocationKind, haversine_km, valid_coordinates
from omniretail.kernel.errors import NotFound
from omniretail.kernel.i18n import N_
from omniretail.pricing.rules import PRICE_BANDS_MAJOR

WEB_CHANNEL = "web-eu"
PAGE_SIZE = 24
MAX_PAGE = 400
SORTS = ("relevance", "newest", "price_asc", "price_desc")
SORT_LABELS = {"relevance": N_("Best match"), "newest": N_("Newest"), "price_asc": N_("Price: low to high"),
               "price_desc": N_("Price: high to low")}
STORE_KINDS = {LocationKind.STORE.value, LocationKind.FRANCHISE_STORE.value}
NEARBY_KM = 100.0
# Where the shopper is assumed to be when the page is not told: the main city of the channel's country.
DEFAULT_PLACES: dict[str, tuple[str, float, float]] = {
    "LV": (N_("Riga"), 56.9496, 24.1052), "PL": (N_("Warsaw"), 52.2297, 21.0122),
    "LT": (N_("Vilnius"), 54.6872, 25.2797), "EE": (N_("Tallinn"), 59.4370, 24.7536),
    "CN": (N_("Shanghai"), 31.2304, 121.4737)}
DAY_LABELS = {"mon-fri": N_("Monday to Friday"), "mon-sat": N_("Monday to Saturday"),
              "mon-sun": N_("Every day"), "daily": N_("Every day"), "mon": N_("Monday"), "tue": N_("Tuesday"),
              "wed": N_("Wednesday"), "thu": N_("Thursday"), "fri": N_("Friday"), "sat": N_("Saturday"),
              "sun": N_("Sunday"), "sat-sun": N_("Weekend")}
# The demo's and most shops' shade names; an unknown shade gets a neutral chip with its name.
SWATCHES = {"ruby": "#9b111e", "nude": "#e3bc9a", "coral": "#ff7f50", "plum": "#8e4585", "black": "#111111",
            "brown": "#6b4423", "ivory": "#fffff0", "beige": "#e8d5b5", "sand": "#d8b98a", "honey": "#c98a3b",
            "red": "#c0392b", "pink": "#f4a7b9", "rose": "#e8a0a8"}


class PageNotFound(NotFound):
    """A storefront address that leads nowhere: an unknown category, product or a hidden product (safe to show)."""

    type = "storefront/page-not-found"
    title = N_("We could not find this page")


# -- the channel and the shopper's position ---------------------------------------------------------------------

def web_channel(session: Session) -> Channel | None:
    """The storefront's channel: ``web-eu`` if it exists, else the first active web channel (None: a new shop)."""
    channels = channels_service.list_channels(session=session, active_only=True)
    for channel in channels:
        if channel.code == WEB_CHANNEL:
            return channel
    for channel in channels:
        if channel.kind == "web":
            return channel
    return None


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    place: str | None  # a city name when not the shopper's own coordinates
    from_shopper: bool
    translate: bool = False  # the place is one of ours, marked for translation


def clean(text: str | None, limit: int = 200) -> str:
    """Text from a URL without control characters (PostgreSQL refuses NUL), cut to ``limit``."""
    return "".join(ch for ch in (text or "")[:limit * 2] if ch >= " " and ch != "\x7f")[:limit].strip()


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def position(params: QueryParams, channel: Channel, stores: Iterable[Location] = ()) -> Position:
    """``?lat=&lon=`` if valid, else ``?near=<city>`` (the middle of its stores), else the channel's main city."""
    lat, lon = _number(params.get("lat")), _number(params.get("lon"))
    if lat is not None and lon is not None and valid_coordinates(lat, lon):
        return Position(lat, lon, None, True)
    near = (params.get("near") or "").strip()
    in_city = [s for s in stores if near and s.city.casefold() == near.casefold()]
    if in_city:
        return Position(sum(s.latitude for s in in_city) / len(in_city),
                        sum(s.longitude for s in in_city) / len(in_city), in_city[0].city, False)
    name, lat0, lon0 = DEFAULT_PLACES.get(channel.country, DEFAULT_PLACES["LV"])
    return Position(lat0, lon0, name, False, translate=True)


def km(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


# -- listing queries -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListingQuery:
    """A category or search page's query string, cleaned: what the facet form and the links carry."""

    q: str = ""
    brands: tuple[str, ...] = ()
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    price: str | None = None
    store: str | None = None
    sort: str = "relevance"
    page: int = 1

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def chosen(self, name: str, value: str) -> bool:
        if name == "brand":
            return value in self.brands
        return value in self.attributes.get(name.removeprefix("attr."), ())

    def pairs(self, **override: object) -> list[tuple[str, str]]:
        values: dict[str, object] = {"q": self.q, "brand": self.brands,
                                     "attr": [f"{c}:{v}" for c, vs in self.attributes.items() for v in vs],
                                     "price": self.price, "store": self.store, "sort": self.sort,
                                     "page": self.page, **override}
        out: list[tuple[str, str]] = []
        for key, value in values.items():
            for item in (value if isinstance(value, list | tuple) else [value]):
                if item not in (None, "") and not (key == "page" and item == 1):
                    out.append((key, str(item)))
        return out

    def url(self, path: str, **override: object) -> str:
        query = urlencode(self.pairs(**override))
        return f"{path}?{query}" if query else path


def _price_bands() -> list[str]:
    return [f"{low}-{high}" for low, high in itertools.pairwise(PRICE_BANDS_MAJOR)] + [
        f"{PRICE_BANDS_MAJOR[-1]}+"]


PRICE_BANDS = _price_bands()


def listing_query(params: QueryParams, *, default_sort: str, with_text: bool) -> ListingQuery:
    """The listing query from the URL; unknown sorts, bands and pages fall back to the defaults."""
    attributes: dict[str, list[str]] = {}
    for item in params.getlist("attr")[:40]:
        code, sep, value = clean(item, 160).partition(":")
        if sep and code and value:
            attributes.setdefault(code[:40], []).append(value[:120])
    sort = params.get("sort") or default_sort
    try:
        page = min(max(int(params.get("page") or 1), 1), MAX_PAGE)
    except ValueError:
        page = 1
    price = params.get("price")
    return ListingQuery(
        q=clean(params.get("q")) if with_text else "",
        brands=tuple(dict.fromkeys(b for b in (clean(b, 120) for b in params.getlist("brand")[:40]) if b)),
        attributes={c: tuple(dict.fromkeys(v)) for c, v in attributes.items()},
        price=price if price in PRICE_BANDS else None, store=clean(params.get("store"), 40) or None,
        sort=sort if sort in SORTS else default_sort, page=page)


def store_id(session: Session, code: str | None) -> uuid.UUID | None:
    """The id of a store the shopper picked for "in stock at", or None for an unknown code."""
    if not code:
        return None
    location = inventory_service.location_by_code(session=session, code=code[:40])
    return location.id if location is not None and location.kind in STORE_KINDS else None


def pages(current: int, total_items: int) -> list[int]:
    """Page numbers to link: the first, the last and two either side of the current one."""
    last = min(max(1, math.ceil(total_items / PAGE_SIZE)), MAX_PAGE)
    wanted = {1, last, *range(current - 2, current + 3)}
    return [n for n in sorted(wanted) if 1 <= n <= last]


# -- categories ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryLink:
    id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    slug: str
    slugs: frozenset[str]

    @property
    def url(self) -> str:
        return f"/c/{self.slug}"


def category_links(session: Session, locale: str) -> list[CategoryLink]:
    """The whole category tree in the shopper's language, parents before children."""
    return [CategoryLink(node.id, node.parent_id, pick(node.names, locale), pick(node.slugs, locale),
                         frozenset(node.slugs.values()))
            for node in catalog_categories.category_tree(session=session)]


def crumbs(links: list[CategoryLink], category_id: uuid.UUID) -> list[tuple[uuid.UUID, str, str]]:
    """(id, name, slug) from the root down to the category, from the menu already loaded."""
    by_id = {link.id: link for link in links}
    chain: list[tuple[uuid.UUID, str, str]] = []
    current = by_id.get(category_id)
    while current is not None:
        chain.append((current.id, current.name, current.slug))
        current = by_id.get(current.parent_id) if current.parent_id is not None else None
    return chain[::-1]


def find_category(links: list[CategoryLink], slug: str) -> CategoryLink:
    """The category with this slug in any language (so a link shared in Polish opens in Russian)."""
    for link in links:
        if slug == link.slug or slug in link.slugs:
            return link
    raise PageNotFound(f"No category {slug!r}")


def children(links: list[CategoryLink], parent_id: uuid.UUID | None) -> list[CategoryLink]:
    return [link for link in links if link.parent_id == parent_id]


# -- product page details ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Image:
    url: str
    thumbnail: str
    alt: str
    width: int
    height: int


def gallery(session: Session, product_id: uuid.UUID, locale: str, fallback_alt: str) -> list[Image]:
    """The product's images in order, with alt texts in the shopper's language."""
    media = catalog_service.product_media(session=session, product_id=product_id)
    return [Image(f"/media/{m.path}", f"/media/{m.thumbnail_path}",
                  pick({k: str(v) for k, v in (m.alt or {}).items()}, locale) or fallback_alt, m.width, m.height)
            for m in media]


def swatch(code: str, value: object) -> str | None:
    """A CSS colour for a shade value, when it names one we know."""
    if code != "shade":
        return None
    return SWATCHES.get(str(value).casefold())


@dataclass(frozen=True)
class StoreCard:
    """A store as the locator and the product page show it."""

    code: str
    name: str
    address: str
    city: str
    distance: str | None
    hours: list[tuple[str, str]]
    pickup: bool
    returns: bool
    franchise: bool
    available: int | None = None


def hours(opening_hours: Mapping[str, object]) -> list[tuple[str, str]]:
    """(day label msgid or raw key, times) pairs; the template translates known day labels."""
    return [(DAY_LABELS.get(str(day).lower(), str(day)), str(times).replace("-", "\u2013"))
            for day, times in (opening_hours or {}).items()]


def store_card(location: Location, where: Position | None, available: int | None = None) -> StoreCard:
    address = ", ".join(p for p in (location.street, f"{location.postal_code} {location.city}".strip()) if p)
    distance = (km(haversine_km(where.latitude, where.longitude, location.latitude, location.longitude))
                if where is not None else None)
    return StoreCard(location.code, location.name, address, location.city, distance,
                     hours(location.opening_hours), location.offers_pickup, location.accepts_returns,
                     location.kind == LocationKind.FRANCHISE_STORE.value, available)


def stores(session: Session) -> list[Location]:
    """Every open store and franchise store, by code."""
    return inventory_service.list_locations(session=session, kinds=STORE_KINDS)


def in_stock(session: Session, channel: Channel, product_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The products of a page that have some variant available at a location feeding the channel."""
    ids = list(product_ids)
    if not ids:
        return set()
    variants = catalog_service.active_variants_of(session=session, product_ids=ids)
    available = inventory_service.variants_available(session=session, variant_ids=list(variants),
                                                     location_ids=list(channel.location_ids) or None)
    return {variants[v] for v in available}
