"""Notification templates: one Jinja2 file per template and language, rendered in the brand's look.

``templates/<name>/<locale>.jinja`` holds four blocks: ``subject`` and ``text`` and ``html`` for e-mail, and
``short`` for SMS and push (the subject doubles as the push title). The HTML part is rendered with
auto-escaping and wrapped in ``templates/_layout.html`` (the shop's name, logo and colours from the branding
context, and a footer that says why the person receives it); the text parts are rendered without escaping and
end with the same footer in plain text. A language without its own file falls back to English. Undefined
variables are errors, so a caller that forgets a value learns it when it queues the message, not at 3 a.m.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from omniretail.kernel import i18n

HERE = Path(__file__).resolve().parent / "templates"
SUFFIX = ".jinja"


def _env(*, autoescape: bool) -> Environment:
    # The plain-text parts (subject, text, SMS) must not be HTML-escaped; only the HTML part is ever shown as HTML.
    env = Environment(loader=FileSystemLoader(HERE), autoescape=autoescape, undefined=StrictUndefined,  # noqa: S701
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=False)
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


_html = _env(autoescape=True)
_text = _env(autoescape=False)

# Example values for each template: the back office's test message and the CLI's ``send-test`` use them.
SAMPLES: dict[str, dict[str, Any]] = {
    "service_message": {"title": "Your store hours change on Sunday",
                        "message": "RIGA-CENTRS opens at 10:00 this Sunday.", "link": "/stores"},
    "back_in_stock": {"product": "Velvet Lipstick 07", "link": "/products/LIP-VELVET-07", "store": "RIGA-CENTRS"},
    "points_expiring": {"points": 1200, "expires_on": "2026-12-31", "link": "/account/loyalty"},
    "newsletter": {"headline": "Winter colours are here", "body": "Twelve new shades, made for cold days.",
                   "link": "/collections/winter", "offer": "WINTER10"},
}


@dataclass(frozen=True)
class BrandLook:
    """The parts of the brand a message shows (built from ``branding.service.current``)."""

    shop_name: str
    accent: str
    ink: str
    background: str
    font_stack: str
    logo_url: str | None = None


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    short: str


def names() -> list[str]:
    """Every template there is, by name."""
    return sorted(p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("_"))


def exists(name: str) -> bool:
    return name in names()


def _file(name: str, locale: str) -> str:
    path = f"{name}/{locale}{SUFFIX}"
    return path if (HERE / path).exists() else f"{name}/{i18n.DEFAULT_LOCALE}{SUFFIX}"


def _block(env: Environment, path: str, block: str, variables: dict[str, Any]) -> str:
    template = env.get_template(path)
    if block not in template.blocks:
        return ""
    return "".join(template.blocks[block](template.new_context(variables))).strip()


def _absolute(link: Any, base_url: str) -> Any:
    return f"{base_url.rstrip('/')}{link}" if isinstance(link, str) and link.startswith("/") else link


def render(*, name: str, locale: str, context: dict[str, Any], brand: BrandLook, purpose: str, base_url: str,
           customer_name: str | None = None) -> Rendered:
    """Every part of one message in one language; raises jinja2 errors when the context lacks a value."""
    if not exists(name):
        raise TemplateNotFound(name)
    locale = locale if locale in i18n.LOCALES else i18n.DEFAULT_LOCALE
    values = {key: _absolute(value, base_url) for key, value in context.items()}
    # The platform's own names win over a caller's values of the same name.
    variables: dict[str, Any] = {**values, "name": customer_name, "shop": brand.shop_name, "brand": brand,
                                 "base_url": base_url, "purpose": purpose, "locale": locale}

    def button(href: str, label: str) -> Markup:
        return Markup('<a href="{0}" style="display:inline-block;padding:12px 20px;border-radius:6px;'
                      'background:{1};color:#ffffff;text-decoration:none;font-weight:600">{2}</a>').format(
            href, brand.accent, label)

    path = _file(name, locale)
    token = i18n.current_locale.set(locale)
    try:
        subject = _block(_text, path, "subject", variables)
        text = _block(_text, path, "text", variables)
        short = _block(_text, path, "short", variables)
        # Rendered by the auto-escaping environment, so it is safe markup already.
        body = Markup(_block(_html, path, "html", {**variables, "button": button}))  # noqa: S704
        frame = {"shop": brand.shop_name, "brand": brand, "purpose": purpose, "locale": locale,
                 "account_link": f"{base_url.rstrip('/')}/account"}
        html = _html.get_template("_layout.html").render(**frame, subject=subject, content=body,
                                                        logo=_absolute(brand.logo_url, base_url))
        text_footer = _text.get_template("_footer.txt").render(**frame).strip()
    finally:
        i18n.current_locale.reset(token)
    return Rendered(subject=" ".join(subject.split()), text=f"{text}\n\n-- \n{text_footer}\n", html=html,
                    short=" ".join(short.split()))


__all__ = ["SAMPLES", "BrandLook", "Rendered", "exists", "names", "render"]
