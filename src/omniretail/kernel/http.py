"""HTTP plumbing shared by every router: problem+json errors, request ids, body limits and metrics."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omniretail.kernel.errors import DomainError, FieldError, InvalidInput, MalformedRequest
from omniretail.kernel.logs import request_id

log = logging.getLogger("omniretail.http")
PROBLEM_JSON = "application/problem+json"


def problem_response(error: DomainError, request: Request | None = None,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    body = error.to_problem(instance=str(request.url.path) if request else None)
    rid = request_id.get()
    if rid:
        body["request_id"] = rid
    return JSONResponse(body, status_code=error.status, media_type=PROBLEM_JSON, headers=headers)


def validation_problem(exc: RequestValidationError) -> DomainError:
    """Turn FastAPI's validation errors into ours; an unreadable body is a 400, the rest 422."""
    errors: list[FieldError] = []
    for item in exc.errors():
        if item.get("type") == "json_invalid":
            return MalformedRequest("The body is not valid JSON",
                                    errors=[FieldError(("body",), str(item.get("msg", "invalid JSON")),
                                                       "json_invalid")])
        loc = tuple(item.get("loc", ()))
        errors.append(FieldError(loc, str(item.get("msg", "invalid")), str(item.get("type", "invalid"))))
    return InvalidInput(f"{len(errors)} field(s) are not valid", errors=errors)


class RequestContextMiddleware:
    """Gives each request an id (kept from ``X-Request-ID`` when sane), logs it, and times it."""

    def __init__(self, app: ASGIApp, registry: CollectorRegistry):
        self.app = app
        self.requests = Counter("omniretail_http_requests", "HTTP requests", ["method", "route", "status"],
                                registry=registry)
        self.latency = Histogram("omniretail_http_request_seconds", "Server time per request",
                                 ["method", "route"], registry=registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if 8 <= len(incoming) <= 64 and incoming.replace("-", "").isalnum() else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            self.requests.labels(scope["method"], template, str(status)).inc()
            self.latency.labels(scope["method"], template).observe(elapsed)
            log.info("request", extra={"method": scope["method"], "path": scope["path"], "status": status,
                                       "ms": round(elapsed * 1000, 2)})
            request_id.reset(token)


class BodyLimitMiddleware:
    """Refuses bodies over ``max_bytes`` with 413 problem+json, whether announced or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        body = JSONResponse({"type": "payload-too-large", "title": "The request body is too large",
                             "status": 413, "detail": f"The limit is {self.max_bytes} bytes"},
                            status_code=413, media_type=PROBLEM_JSON)
        await send({"type": "http.response.start", "status": 413, "headers": body.raw_headers})
        await send({"type": "http.response.body", "body": body.body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def json_ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)
