"""Back-office inventory pages: transfers, counts, suppliers and purchase orders, reorder suggestions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
