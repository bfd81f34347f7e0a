"""Request-scoped dependencies every router uses: the database session and the settings.

``SessionDep`` opens one transaction per request and commits it when the endpoint returns, before the
response is sent, so a client that sees 201 can read what it wrote. GET and HEAD get a read-only session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from omniretail.config import Settings
from omniretail.kernel.db import Database


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    db = get_database(request)
    with db.transaction(read_only=request.method in ("GET", "HEAD")) as session:
        yield session


def get_adapters(request: Request) -> Any:
    return request.app.state.adapters


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
AdaptersDep = Annotated[Any, Depends(get_adapters)]
