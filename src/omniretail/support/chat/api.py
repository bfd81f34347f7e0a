"""Chat endpoints: the visitor's and the agent's WebSockets and the REST around them."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["chat"])
