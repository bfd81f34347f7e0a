"""Reviews: part of the demo retailer."""

from __future__ import annotations

from sqlalchemy.orm import Session


def load(session: Session) -> None:
    """Add this context's demo data."""
