"""Brand settings: part of the demo retailer (a Baltic beauty chain)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from omniretail.branding import service as branding_service

DEMO_NAME = "Dzintars Beauty"


def load(session: Session) -> None:
    """Add this context's demo data: the demo chain's name, colours and font (no logo: the name shows)."""
    branding_service.update(session=session, actor="demo", shop_name=DEMO_NAME, accent="#8a2846", ink="#1f1a1c",
                            background="#fbf7f4", font="humanist")
