"""Channels API: staff set up channels; anyone may read a channel's public face."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from omniretail.channels import service as channels_service
from omniretail.channels.schemas import ChannelCreate, ChannelRead, ChannelUpdate
from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep

router = APIRouter(tags=["channels"])
Reader = Annotated[Principal, Depends(Allowed(Permission.CATALOG_READ))]
Manager = Annotated[Principal, Depends(Allowed(Permission.SETTINGS_MANAGE))]


@router.get("/channels")
def list_channels(session: SessionDep, actor: Reader) -> list[ChannelRead]:
    """Every sales channel."""
    return [ChannelRead.model_validate(c) for c in channels_service.list_channels(session=session)]


@router.post("/channels", status_code=201)
def create_channel(body: ChannelCreate, session: SessionDep, actor: Manager) -> ChannelRead:
    """Open a sales channel with its currency, languages, locations and methods."""
    channel = channels_service.create_channel(session=session, actor=actor, **body.model_dump())
    return ChannelRead.model_validate(channel)


@router.get("/channels/{channel_id}")
def get_channel(channel_id: uuid.UUID, session: SessionDep, actor: Reader) -> ChannelRead:
    """One sales channel."""
    return ChannelRead.model_validate(channels_service.get_channel(session=session, channel_id=channel_id))


@router.patch("/channels/{channel_id}")
def update_channel(channel_id: uuid.UUID, body: ChannelUpdate, session: SessionDep, actor: Manager) -> ChannelRead:
    """Change a channel's settings."""
    channel = channels_service.update_channel(session=session, actor=actor, channel_id=channel_id,
                                              changes=body.model_dump(exclude_unset=True))
    return ChannelRead.model_validate(channel)
