"""The per-process read cache: an entry serves only its own data version, and only until it expires."""

from __future__ import annotations

from datetime import timedelta

from omniretail.kernel import clock
from omniretail.kernel.cache import VersionedCache


def test_an_entry_is_served_for_its_version_until_it_expires():
    clock.freeze(clock.now())
    cache: VersionedCache[list[str]] = VersionedCache(size=4)
    cache.put("lipstick", ["LIP-VELVET-07"], version=7, expires_at=clock.now() + timedelta(minutes=1))

    same = cache.get("lipstick", version=7)
    other_version = cache.get("lipstick", version=8)
    clock.advance(timedelta(minutes=1))
    expired = cache.get("lipstick", version=7)
    clock.reset()

    assert same == ["LIP-VELVET-07"]
    assert other_version is None
    assert expired is None


def test_the_least_recently_used_entry_goes_first_when_full():
    cache: VersionedCache[int] = VersionedCache(size=2)
    later = clock.now() + timedelta(hours=1)
    cache.put("lips", 1, version=1, expires_at=later)
    cache.put("eyes", 2, version=1, expires_at=later)
    cache.get("lips", version=1)

    cache.put("skin", 3, version=1, expires_at=later)

    assert cache.get("eyes", version=1) is None
    assert cache.get("lips", version=1) == 1 and cache.get("skin", version=1) == 3


def test_get_or_make_makes_once_per_version():
    cache: VersionedCache[str] = VersionedCache()
    made: list[int] = []

    def make() -> tuple[str, object]:
        made.append(1)
        return "page", clock.now() + timedelta(hours=1)

    first = cache.get_or_make("riga", version=1, make=make)  # type: ignore[arg-type]
    second = cache.get_or_make("riga", version=1, make=make)  # type: ignore[arg-type]
    third = cache.get_or_make("riga", version=2, make=make)  # type: ignore[arg-type]

    assert (first, second, third) == ("page", "page", "page")
    assert len(made) == 2
