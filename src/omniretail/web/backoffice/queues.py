"""Back-office work queues: shipments to pick and pack, delayed orders, returns to inspect, pickups."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
