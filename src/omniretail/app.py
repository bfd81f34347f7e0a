"""The FastAPI application factory: mounts every context's router, the web UIs and the operational endpoints."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import text
from sqlalchemy.orm import configure_mappers
from starlette.exceptions import HTTPException as StarletteHTTPException

from omniretail import __version__, bootstrap
from omniretail.analytics import api as analytics_api
from omniretail.analytics import journey
from omniretail.branding import api as branding_api
from omniretail.cart import api as cart_api
from omniretail.catalog import api as catalog_api
from omniretail.channels import api as channels_api
from omniretail.checkout import api as checkout_api
from omniretail.config import Settings, get_settings
from omniretail.customers import api as customers_api
from omniretail.fulfillment import api as fulfillment_api
from omniretail.identity import api as identity_api
from omniretail.identity.dependencies import CSRF_COOKIE
from omniretail.inventory import api as inventory_api
from omniretail.kernel import i18n, migrate
from omniretail.kernel.db import Database
from omniretail.kernel.errors import DomainError, MalformedRequest, NotFound
from omniretail.kernel.http import (
    BodyLimitMiddleware,
    RequestContextMiddleware,
    problem_response,
    validation_problem,
)
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import Dispatcher, Handler
from omniretail.loyalty import api as loyalty_api
from omniretail.marketing import api as marketing_api
from omniretail.ordering import api as ordering_api
from omniretail.payments import api as payments_api
from omniretail.pricing import api as pricing_api
from omniretail.promotions import api as promotions_api
from omniretail.returns import api as returns_api
from omniretail.reviews import api as reviews_api
from omniretail.support import api as support_api
from omniretail.support.chat import api as chat_api
from omniretail.web import pages as web_pages
from omniretail.web import templates, tracking
from omniretail.web.backoffice import catalog as backoffice_catalog
from omniretail.web.backoffice import notifications as backoffice_notifications
from omniretail.web.backoffice import pages as backoffice_pages
from omniretail.web.backoffice import people as backoffice_people
from omniretail.web.backoffice import queues as backoffice_queues
from omniretail.web.backoffice import reviews as backoffice_reviews
from omniretail.web.backoffice import settings as backoffice_settings
from omniretail.web.backoffice import stockroom as backoffice_stockroom
from omniretail.web.backoffice import support as backoffice_support
from omniretail.web.board import pages as board_pages
from omniretail.web.chat import pages as chat_pages
from omniretail.web.display import pages as display_pages
from omniretail.web.pos import api as pos_api
from omniretail.web.pos import pages as pos_pages
from omniretail.web.storefront import pages as storefront_pages
from omniretail.web.templates import STATIC_DIR, render_error

log = logging.getLogger("omniretail.app")
API_PREFIX = "/api/v1"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith((API_PREFIX, "/healthz", "/readyz", "/metrics"))


def _install_error_handlers(app: FastAPI) -> None:
    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        if _wants_html(request):
            return render_error(request, exc)
        return problem_response(exc, request)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return await domain_error(request, validation_problem(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        error: DomainError
        if exc.status_code == 404:
            error = NotFound("No such page or resource")
        else:
            error = MalformedRequest(str(exc.detail))
            error.status = exc.status_code  # type: ignore[misc]
        return await domain_error(request, error)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.url.path})
        body = {"type": "internal-error", "title": "Something went wrong on our side", "status": 500,
                "detail": "The error was logged; quote the request id when you report it."}
        return JSONResponse(body, status_code=500, media_type="application/problem+json")

    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


def _install_operational_routes(app: FastAPI, registry: CollectorRegistry) -> None:
    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", include_in_schema=False)
    def readyz(request: Request) -> JSONResponse:
        db: Database = request.app.state.db
        checks: dict[str, str] = {}
        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
            checks["migrations"] = "ok" if migrate.is_current(db.engine) else "pending"
        except Exception as exc:
            checks["database"] = f"unreachable: {type(exc).__name__}"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                            status_code=200 if ready else 503)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def _warm_up() -> None:
    """Pay the one-time costs before the server accepts requests, not on the first shopper's page (about 1 s
    on 2 cores): ORM mapper configuration, every locale's number and currency data and messages, templates."""
    configure_mappers()
    for locale in i18n.LOCALES:
        i18n.translations(locale)
        Money(100, "EUR").format(locale)
    templates.compile_all()


def create_app(settings: Settings | None = None, *, db: Database | None = None,
               handlers: dict[Any, list[Handler]] | None = None, run_dispatcher: bool | None = None,
               journey_thread: bool = True) -> FastAPI:
    """Build the application; the embedded dispatcher thread starts with it unless told otherwise, and so does the
    thread that writes journey steps once a second (without it, steps are written by ``app.state.journey.flush()``
    and at shutdown: tests that count statements need that determinism)."""
    settings = settings or get_settings()
    db = db or Database(settings.effective_database_url)
    adapters = bootstrap.build_adapters(settings)
    registry = CollectorRegistry()
    start_dispatcher = settings.dispatcher_embedded if run_dispatcher is None else run_dispatcher
    dispatcher = Dispatcher(db, handlers if handlers is not None else bootstrap.build_handlers(),
                            adapters=adapters, jobs=bootstrap.build_jobs(),
                            max_attempts=settings.event_max_attempts, lease=timedelta(seconds=60))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _warm_up()
        stop = threading.Event()
        thread = None
        if start_dispatcher:
            thread = threading.Thread(target=dispatcher.run_forever, args=(stop,), name="dispatcher", daemon=True)
            thread.start()
        if journey_thread:
            journey_recorder.start()
        yield
        journey_recorder.stop()
        stop.set()
        if thread is not None:
            thread.join(timeout=10)

    app = FastAPIOffline(title="omniretail", version=__version__, lifespan=lifespan,
                         openapi_url=f"{API_PREFIX}/openapi.json", docs_url=f"{API_PREFIX}/docs",
                         redoc_url=None,
                         description="Unified commerce: one catalog, stock figure, customer and order history "
                                     "across web, app, stores, franchises and marketplaces.")
    app.state.settings, app.state.db, app.state.adapters = settings, db, adapters
    app.state.dispatcher = dispatcher
    journey_recorder = app.state.journey = journey.Recorder(db)

    @app.middleware("http")
    async def csrf_cookie(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        new = getattr(request.state, "new_csrf", None)
        if new and CSRF_COOKIE not in response.headers.get("set-cookie", ""):
            response.set_cookie(CSRF_COOKIE, new, httponly=False, samesite="lax", secure=settings.cookie_secure,
                                max_age=settings.session_days * 86400, path="/")
        tracking.set_visitor_cookie(request, response, secure=settings.cookie_secure)
        response.headers.setdefault("x-content-type-options", "nosniff")
        response.headers.setdefault("referrer-policy", "same-origin")
        return response

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, registry=registry)
    _install_error_handlers(app)
    _install_operational_routes(app, registry)
    for router in (identity_api.router, channels_api.router, catalog_api.router, pricing_api.router,
                   inventory_api.router, cart_api.router, checkout_api.router, payments_api.router,
                   ordering_api.router, branding_api.router, customers_api.router, loyalty_api.router,
                   promotions_api.router, fulfillment_api.router, returns_api.router, pos_api.router,
                   support_api.router, chat_api.router, reviews_api.router, marketing_api.router,
                   analytics_api.router):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(storefront_pages.router)
    app.include_router(board_pages.router)
    app.include_router(pos_pages.router)
    for router in (backoffice_pages.router, backoffice_catalog.router, backoffice_stockroom.router,
                   backoffice_people.router, backoffice_queues.router, backoffice_support.router,
                   backoffice_reviews.router, backoffice_notifications.router, backoffice_settings.router,
                   chat_pages.router):
        app.include_router(router)
    app.include_router(display_pages.router)
    app.include_router(web_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Product images and other uploads live under the data directory, served read-only.
    app.mount("/media", StaticFiles(directory=settings.data_dir / "media", check_dir=False), name="media")
    return app
