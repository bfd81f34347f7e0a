"""Back-office customer pages: search, the customer 360 view, merging duplicates; loyalty and promotions settings."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
