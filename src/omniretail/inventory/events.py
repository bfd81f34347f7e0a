"""Inventory events, recorded in the outbox in the same transaction as the stock change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from omniretail.kernel.events import Event


@dataclass(frozen=True)
class StockMoved(Event):
    """Any ledger line: receipt, sale, return, adjustment, transfer, count correction, write-off."""

    movement_id: uuid.UUID
    variant_id: uuid.UUID
    location_id: uuid.UUID
    kind: str
    quantity: int
    on_hand_after: int


@dataclass(frozen=True)
class StockRanLow(Event):
    """Available stock fell to or under the reorder point's minimum."""

    variant_id: uuid.UUID
    location_id: uuid.UUID
    available: int
    min_quantity: int


@dataclass(frozen=True)
class HoldsExpired(Event):
    """The expiry job gave these carts' held stock back to available."""

    refs: tuple[str, ...]
    units: int


@dataclass(frozen=True)
class TransferShipped(Event):
    transfer_id: uuid.UUID
    number: str


@dataclass(frozen=True)
class TransferReceived(Event):
    transfer_id: uuid.UUID
    number: str
    missing_units: int


@dataclass(frozen=True)
class CountApproved(Event):
    count_id: uuid.UUID
    location_id: uuid.UUID
    net_variance: int


@dataclass(frozen=True)
class PurchaseOrderSent(Event):
    purchase_order_id: uuid.UUID
    number: str
    supplier_id: uuid.UUID
