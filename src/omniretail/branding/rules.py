"""Brand rules: colours, their contrast, the font stacks a shop may choose, and logo limits. Pure.

Every colour pair the storefront shows together must reach WCAG AA (4.5:1 for body text): white button
text on the accent colour, and the ink colour on the background. To offer another font, add a stack to
``FONTS``; stacks name only fonts installed on the shopper's device or served by the app, never a CDN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEX = re.compile(r"#[0-9a-fA-F]{6}")
AA_TEXT = 4.5
WHITE = "#ffffff"
FONTS: dict[str, str] = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
    "humanist": '"Gill Sans", "Gill Sans MT", Seravek, "Trebuchet MS", Calibri, sans-serif',
    "rounded": 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, "Arial Rounded MT Bold", sans-serif',
    "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
    "mono": 'ui-monospace, "Cascadia Code", "DejaVu Sans Mono", Menlo, monospace',
}
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4096
LOGO_BOX = (480, 160)  # the largest size the logo is stored at; pages scale it down
LOGO_FORMATS = frozenset({"PNG", "JPEG", "WEBP", "GIF"})
NAME_MAX = 80


@dataclass(frozen=True)
class Palette:
    accent: str
    ink: str
    background: str


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def palette_problems(palette: Palette) -> dict[str, str]:
    """What is wrong with a palette, by field (empty when every pair reads at AA)."""
    problems = {name: "a colour like #b0305a" for name in ("accent", "ink", "background")
                if not HEX.fullmatch(getattr(palette, name) or "")}
    if problems:
        return problems
    if contrast(palette.accent, WHITE) < AA_TEXT:
        problems["accent"] = f"white text on it needs a contrast of {AA_TEXT}:1"
    if contrast(palette.ink, palette.background) < AA_TEXT:
        problems["ink"] = f"text on the background needs a contrast of {AA_TEXT}:1"
    return problems


def name_problem(name: str) -> str | None:
    """Why a shop name cannot be used, if it cannot."""
    cleaned = name.strip()
    if not cleaned:
        return "required"
    if len(cleaned) > NAME_MAX:
        return f"at most {NAME_MAX} characters"
    if any(ch < " " for ch in cleaned):
        return "no control characters"
    return None


def logo_size(width: int, height: int, box: tuple[int, int] = LOGO_BOX) -> tuple[int, int]:
    """The stored size of a logo: scaled down (never up) to fit ``box``, keeping its proportions."""
    scale = min(1.0, box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))
