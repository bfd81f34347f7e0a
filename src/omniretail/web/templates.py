"""Jinja2 with auto-escaping and gettext bound to the request's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from omniretail.identity.dependencies import csrf_token_for
from omniretail.kernel import i18n
from omniretail.kernel.errors import DomainError

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
LANG_COOKIE = "or_lang"

env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "xml"]),
                  extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]


def compile_all() -> int:
    """Compile every template now (the server calls this before it accepts requests); returns how many."""
    names = env.list_templates(extensions=["html", "txt", "xml"])
    for name in names:
        env.get_template(name)
    return len(names)


def locale_for(request: Request, preferred: str | None = None) -> str:
    """``?lang=`` first, then the language cookie, then the account's, then Accept-Language."""
    asked = request.query_params.get("lang")
    if asked in i18n.LOCALES:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in i18n.LOCALES:
        return cookie
    return i18n.negotiate(request.headers.get("accept-language"), preferred=preferred)


def render(request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200,
           preferred_locale: str | None = None) -> HTMLResponse:
    locale = locale_for(request, preferred_locale)
    token = i18n.current_locale.set(locale)
    try:
        html = env.get_template(template).render(
            request=request, locale=locale, languages=i18n.LANGUAGE_NAMES, csrf_token=csrf_token_for(request),
            settings=request.app.state.settings, **(context or {}))
    finally:
        i18n.current_locale.reset(token)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in i18n.LOCALES:
        response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax", path="/")
    return response


def render_error(request: Request, error: DomainError) -> HTMLResponse:
    return render(request, "error.html", {"error": error}, status=error.status)
