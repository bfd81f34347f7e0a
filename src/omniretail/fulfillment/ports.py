"""The carrier port: a real carrier API plugs in here; the built-in table-rate carrier needs nothing outside.

A carrier adapter books a packed parcel (returns a tracking number) and may have its own label. Rates come from
the stored rate tables for every carrier, so rate shopping never waits on a network; an adapter that prices live
would be called by an orchestration with no transaction open, as payments do with gateways.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Booking:
    tracking_number: str
    label_pdf: bytes | None = None


@dataclass(frozen=True)
class ParcelToBook:
    shipment_number: str
    service_code: str
    country: str
    weight_grams: int


class Carrier(Protocol):
    """Books parcels with one carrier."""

    @property
    def code(self) -> str: ...

    def book(self, parcel: ParcelToBook) -> Booking: ...


@dataclass(frozen=True)
class TableRateCarrier:
    """The built-in carrier: prices from the rate table, tracking numbers minted here, our own PDF label."""

    code: str

    def book(self, parcel: ParcelToBook) -> Booking:
        digits = "".join(secrets.choice("0123456789") for _ in range(10))
        return Booking(f"{self.code[:4].upper()}{digits}{parcel.country.upper()[:2]}")


_ADAPTERS: dict[str, Carrier] = {}


def register(carrier: Carrier) -> None:
    """Plug in a real carrier adapter (at start-up, from the composition root)."""
    _ADAPTERS[carrier.code] = carrier


def carrier_for(code: str) -> Carrier:
    return _ADAPTERS.get(code) or TableRateCarrier(code)
