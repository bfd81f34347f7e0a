"""Chat pages: ``/chat`` for shoppers (guests too) and ``/admin/chat`` for advisors."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
