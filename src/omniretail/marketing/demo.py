"""Marketing: part of the demo retailer (a few notifications in the log, so the back-office page has rows)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from omniretail.marketing import service, templating


def load(session: Session) -> None:
    """Queue a service message and a newsletter to demo addresses (sent when the dispatcher runs)."""
    service.notify(session=session, customer_id=None, template="service_message", locale="en",
                   context=templating.SAMPLES["service_message"], purpose="service",
                   email="anna.berzina@shop.example.com", ref="demo:hours")
    service.notify(session=session, customer_id=None, template="back_in_stock", locale="lv",
                   context=templating.SAMPLES["back_in_stock"], purpose="service",
                   email="janis.ozols@shop.example.com", ref="demo:restock")
