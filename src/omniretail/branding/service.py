"""Brand use cases: read the brand every channel shows (cached per process), change it, upload a logo.
Flush, never commit."""

from __future__ import annotations

import io
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.branding import rules
from omniretail.branding.exceptions import InvalidBrand, InvalidLogo
from omniretail.branding.models import BrandSettings
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError

LOGO_FOLDER = "brand"


@dataclass(frozen=True)
class Brand:
    """How the shop looks, as the storefront, POS, e-mails and receipts show it."""

    shop_name: str
    accent: str
    ink: str
    background: str
    font: str
    logo_url: str | None = None
    logo_width: int | None = None
    logo_height: int | None = None
    revision: str = "default"

    @property
    def font_stack(self) -> str:
        return rules.FONTS.get(self.font, rules.FONTS["system"])

    @property
    def css(self) -> str:
        """CSS custom properties that override the stylesheet's defaults (safe: every value was validated)."""
        return (f":root{{--accent:{self.accent};--ink:{self.ink};--bg:{self.background}}}"
                f"body{{font-family:{self.font_stack}}}")


DEFAULT = Brand(shop_name="omniretail", accent="#b0305a", ink="#1d1d1f", background="#faf8f6", font="system")
_cache: Brand | None = None
_lock = threading.Lock()


def _from_row(row: BrandSettings) -> Brand:
    return Brand(shop_name=row.shop_name, accent=row.accent_color, ink=row.ink_color,
                 background=row.background_color, font=row.font,
                 logo_url=f"/media/{row.logo_path}" if row.logo_path else None, logo_width=row.logo_width,
                 logo_height=row.logo_height, revision=row.revision)


def current(*, session: Session) -> Brand:
    """The shop's brand; one indexed read of the revision per call, the full row only when it changed."""
    global _cache
    revision = session.scalar(select(BrandSettings.revision).where(BrandSettings.id == 1))
    if revision is None:
        return DEFAULT
    cached = _cache
    if cached is not None and cached.revision == revision:
        return cached
    row = session.get(BrandSettings, 1)
    if row is None:
        return DEFAULT
    brand = _from_row(row)
    with _lock:
        _cache = brand
    return brand


def _row(session: Session) -> BrandSettings:
    row = session.get(BrandSettings, 1, with_for_update=True)
    if row is None:
        row = BrandSettings(id=1, shop_name=DEFAULT.shop_name, accent_color=DEFAULT.accent, ink_color=DEFAULT.ink,
                            background_color=DEFAULT.background, font=DEFAULT.font, revision=uuid.uuid4().hex)
        session.add(row)
    return row


def update(*, session: Session, actor: str, shop_name: str | None = None, accent: str | None = None,
           ink: str | None = None, background: str | None = None, font: str | None = None) -> Brand:
    """Change the shop name, colours or font; every colour pair must still read at WCAG AA."""
    row = _row(session)
    palette = rules.Palette((accent or row.accent_color).lower(), (ink or row.ink_color).lower(),
                            (background or row.background_color).lower())
    problems = {f"{name}": message for name, message in rules.palette_problems(palette).items()}
    if shop_name is not None and (why := rules.name_problem(shop_name)):
        problems["shop_name"] = why
    if font is not None and font not in rules.FONTS:
        problems["font"] = f"one of {', '.join(rules.FONTS)}"
    if problems:
        raise InvalidBrand(errors=[FieldError(("body", name), message) for name, message in problems.items()])
    if shop_name is not None:
        row.shop_name = shop_name.strip()
    row.accent_color, row.ink_color, row.background_color = palette.accent, palette.ink, palette.background
    row.font = font or row.font
    return _saved(session, row, actor)


def _saved(session: Session, row: BrandSettings, actor: str) -> Brand:
    row.revision, row.updated_by, row.updated_at = uuid.uuid4().hex, actor[:200], clock.now()
    session.flush()
    return _from_row(row)


def set_logo(*, session: Session, actor: str, data: bytes, media_dir: Path) -> Brand:
    """Store an uploaded picture as the logo (checked with Pillow, scaled to fit, saved as PNG under media)."""
    if not data or len(data) > rules.LOGO_MAX_BYTES:
        raise InvalidLogo(f"A logo is a picture of at most {rules.LOGO_MAX_BYTES // 1024 // 1024} MB",
                          errors=[FieldError(("body", "file"), "empty or too large")])
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt, (width, height) = probe.format, probe.size
            if fmt not in rules.LOGO_FORMATS or max(width, height) > rules.LOGO_MAX_PIXELS:
                raise InvalidLogo(errors=[FieldError(("body", "file"), "PNG, JPEG, WebP or GIF up to 4096 px")])
            probe.load()
            picture = probe.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
        raise InvalidLogo(errors=[FieldError(("body", "file"), "not a picture we can read")]) from exc
    size = rules.logo_size(*picture.size)
    picture = picture.resize(size, Image.Resampling.LANCZOS) if size != picture.size else picture
    row = _row(session)
    revision = uuid.uuid4().hex
    relative = f"{LOGO_FOLDER}/logo-{revision[:12]}.png"
    target = media_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.save(target, "PNG", optimize=True)
    row.logo_path, (row.logo_width, row.logo_height) = relative, size
    return _saved(session, row, actor)


def remove_logo(*, session: Session, actor: str) -> Brand:
    """Show the shop name instead of a logo."""
    row = _row(session)
    row.logo_path = row.logo_width = row.logo_height = None
    return _saved(session, row, actor)


def fonts() -> dict[str, str]:
    """The font choices: code to CSS font stack."""
    return dict(rules.FONTS)
