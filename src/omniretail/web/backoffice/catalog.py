"""Back-office catalog pages: products, variants, content in five languages, categories, price lists and sale prices."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
