"""Back-office settings: channels, locations, brand, taxes, carriers and boxes (filled in by the settings work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
