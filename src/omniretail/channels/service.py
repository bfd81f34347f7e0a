"""Channels use cases: set up where the retailer sells, and read it back for every other context."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.channels.events import ChannelChanged
from omniretail.channels.exceptions import ChannelCodeTaken, ChannelNotFound
from omniretail.channels.models import Channel
from omniretail.channels.rules import check_setup
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel.errors import FieldError, InvalidInput
from omniretail.kernel.outbox import record


def _validate(session: Session, channel: Channel) -> None:
    problems = check_setup(kind=channel.kind, currency=channel.currency, locales=list(channel.locales),
                           default_locale=channel.default_locale, payment_methods=list(channel.payment_methods),
                           delivery_methods=list(channel.delivery_methods))
    errors = [FieldError(("body", p.field), p.message) for p in problems]
    if channel.location_ids:
        known = {location.id for location in inventory_service.list_locations(session=session)}
        errors += [FieldError(("body", "location_ids"), f"unknown location {lid}")
                   for lid in channel.location_ids if lid not in known]
    if errors:
        raise InvalidInput("The channel's settings are not valid", errors=errors)


def create_channel(*, session: Session, actor: Principal | None, code: str, name: str, kind: str, currency: str,
                   country: str, locales: Sequence[str], default_locale: str,
                   location_ids: Sequence[uuid.UUID] = (), payment_methods: Sequence[str] = (),
                   delivery_methods: Sequence[str] = ()) -> Channel:
    """Open a new sales channel."""
    if actor is not None:
        identity_service.require(actor, Permission.SETTINGS_MANAGE)
    if session.scalar(select(Channel.id).where(Channel.code == code)) is not None:
        raise ChannelCodeTaken(f"A channel with code {code!r} exists", code=code)
    channel = Channel(code=code, name=name, kind=kind, currency=currency, country=country.upper(),
                      locales=list(locales), default_locale=default_locale, location_refs=[],
                      payment_methods=list(payment_methods), delivery_methods=list(delivery_methods),
                      is_active=True)
    channel.location_ids = list(location_ids)
    _validate(session, channel)
    session.add(channel)
    session.flush()
    record(session, ChannelChanged(channel.id, channel.code))
    identity_service.audit(session=session, actor=actor, action="channels.create", target_type="channel",
                           target_id=str(channel.id))
    return channel


def update_channel(*, session: Session, actor: Principal | None, channel_id: uuid.UUID,
                   changes: dict[str, object]) -> Channel:
    """Change a channel's name, languages, locations, payment or delivery methods."""
    if actor is not None:
        identity_service.require(actor, Permission.SETTINGS_MANAGE)
    channel = get_channel(session=session, channel_id=channel_id)
    for field, value in changes.items():
        if field == "location_ids":
            channel.location_ids = list(value)  # type: ignore[call-overload]
        elif field in {"name", "locales", "default_locale", "payment_methods", "delivery_methods", "is_active",
                       "country"}:
            setattr(channel, field, value)
        else:
            raise InvalidInput(errors=[FieldError(("body", field), "this field cannot be changed")])
    _validate(session, channel)
    session.flush()
    record(session, ChannelChanged(channel.id, channel.code))
    identity_service.audit(session=session, actor=actor, action="channels.update", target_type="channel",
                           target_id=str(channel.id), details={"fields": sorted(changes)})
    return channel


def set_price_list(*, session: Session, channel_id: uuid.UUID, price_list_id: uuid.UUID | None) -> Channel:
    """Point a channel at its price list (pricing checks the list and its currency first)."""
    channel = get_channel(session=session, channel_id=channel_id)
    channel.price_list_id = price_list_id
    session.flush()
    record(session, ChannelChanged(channel.id, channel.code))
    return channel


def get_channel(*, session: Session, channel_id: uuid.UUID) -> Channel:
    """One channel by id."""
    channel = session.get(Channel, channel_id)
    if channel is None:
        raise ChannelNotFound(f"No channel {channel_id}")
    return channel


def get_channel_by_code(*, session: Session, code: str) -> Channel:
    """One channel by its code (``web-eu``)."""
    channel = session.scalar(select(Channel).where(Channel.code == code))
    if channel is None:
        raise ChannelNotFound(f"No channel {code!r}")
    return channel


def find_channel(*, session: Session, ref: str) -> Channel:
    """A channel by id or by code, as URLs and CLI arguments give it."""
    try:
        return get_channel(session=session, channel_id=uuid.UUID(ref))
    except ValueError:
        return get_channel_by_code(session=session, code=ref)


def list_channels(*, session: Session, active_only: bool = False) -> list[Channel]:
    """Every channel, by code."""
    stmt = select(Channel).order_by(Channel.code)
    if active_only:
        stmt = stmt.where(Channel.is_active.is_(True))
    return list(session.scalars(stmt))


__all__ = ["Channel", "create_channel", "find_channel", "get_channel", "get_channel_by_code", "list_channels",
           "set_price_list", "update_channel"]
