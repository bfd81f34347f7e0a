"""The composition root: adapters chosen from settings, and every context's event handlers and jobs merged.

Nothing here runs at import; ``build_adapters`` and ``build_handlers`` are called by the app factory, the
worker and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from omniretail.analytics import handlers as analytics_handlers
from omniretail.branding import handlers as branding_handlers
from omniretail.cart import handlers as cart_handlers
from omniretail.catalog import handlers as catalog_handlers
from omniretail.channels import handlers as channels_handlers
from omniretail.checkout import handlers as checkout_handlers
from omniretail.config import Settings
from omniretail.customers import handlers as customers_handlers
from omniretail.fulfillment import handlers as fulfillment_handlers
from omniretail.identity import handlers as identity_handlers
from omniretail.inventory import handlers as inventory_handlers
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.mail import Mailer, SmtpMailer
from omniretail.kernel.outbox import Handler
from omniretail.loyalty import handlers as loyalty_handlers
from omniretail.marketing import handlers as marketing_handlers
from omniretail.marketing.senders import Senders, build_senders
from omniretail.ordering import handlers as ordering_handlers
from omniretail.payments import handlers as payments_handlers
from omniretail.pricing import handlers as pricing_handlers
from omniretail.promotions import handlers as promotions_handlers
from omniretail.returns import handlers as returns_handlers
from omniretail.reviews import handlers as reviews_handlers
from omniretail.support import handlers as support_handlers

HANDLER_MODULES = (identity_handlers, catalog_handlers, channels_handlers, pricing_handlers, inventory_handlers,
                   cart_handlers, checkout_handlers, payments_handlers, ordering_handlers,
                   branding_handlers, customers_handlers, loyalty_handlers, promotions_handlers,
                   fulfillment_handlers, returns_handlers, support_handlers, reviews_handlers, marketing_handlers,
                   analytics_handlers)


@dataclass
class Adapters:
    """The outside world as the handlers and services see it."""

    settings: Settings
    mailer: Mailer
    senders: Senders | None = None


def build_adapters(settings: Settings) -> Adapters:
    mailer = SmtpMailer(host=settings.smtp_host, port=settings.smtp_port, sender=settings.mail_from,
                        username=settings.smtp_username,
                        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
                        starttls=settings.smtp_starttls)
    return Adapters(settings=settings, mailer=mailer, senders=build_senders(settings, mailer))


def merge_handlers(*registries: dict[type[Event], list[Handler]]) -> dict[type[Event], list[Handler]]:
    merged: dict[type[Event], list[Handler]] = {}
    for registry in registries:
        for event_type, handlers in registry.items():
            merged.setdefault(event_type, []).extend(handlers)
    return merged


def build_handlers(extra: Iterable[dict[type[Event], list[Handler]]] = ()) -> dict[type[Event], list[Handler]]:
    """Every context's ``HANDLERS``, plus any extra registries (tests add their own)."""
    return merge_handlers(*(m.HANDLERS for m in HANDLER_MODULES), *extra)


def build_jobs() -> list[Job]:
    """Every context's periodic jobs."""
    return [job for module in HANDLER_MODULES for job in getattr(module, "JOBS", [])]
