"""The storefront's journey steps: a first-party visitor id (cookie ``or_vid``, one year, HttpOnly) and one call
per step. Steps go to the app's ``analytics.journey.Recorder``, which writes them off the request path."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request

from omniretail.analytics.api import VISITOR_COOKIE, visitor_from
from omniretail.analytics.journey import now_step


def visitor_of(request: Request) -> uuid.UUID:
    """This browser's visitor id; a new one is made (and set as a cookie by the app's middleware) if it has none."""
    known = visitor_from(request) or getattr(request.state, "new_visitor", None)
    if known is None:
        known = request.state.new_visitor = uuid.uuid4()
    return known


def track(request: Request, kind: str, *, customer_id: uuid.UUID | None = None, channel_code: str | None = None,
          **fields: Any) -> None:
    """Record one step of this visitor's journey (page view, product view, add to cart, checkout start,
    purchase, search, sign in)."""
    recorder = getattr(request.app.state, "journey", None)
    if recorder is None:
        return
    recorder.record(now_step(kind, visitor_of(request), customer_id=customer_id, channel_code=channel_code,
                             path=request.url.path, **fields))


def set_visitor_cookie(request: Request, response: Any, *, secure: bool) -> None:
    new = getattr(request.state, "new_visitor", None)
    if new is not None and VISITOR_COOKIE not in response.headers.get("set-cookie", ""):
        response.set_cookie(VISITOR_COOKIE, str(new), max_age=365 * 86400, httponly=True, samesite="lax",
                            secure=secure, path="/")
