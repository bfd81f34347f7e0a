"""Typed permission checks for marketing routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal

CustomerReader = Annotated[Principal, Depends(Allowed(Permission.CUSTOMERS_READ))]
Marketer = Annotated[Principal, Depends(Allowed(Permission.MARKETING_MANAGE))]
