"""Brand API schemas."""

from __future__ import annotations

from pydantic import Field

from omniretail.kernel.schemas import Schema

Colour = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$", examples=["#b0305a"])


class BrandRead(Schema):
    shop_name: str
    accent: str
    ink: str
    background: str
    font: str
    font_stack: str
    logo_url: str | None
    logo_width: int | None
    logo_height: int | None
    revision: str
    fonts: list[str]


class BrandUpdate(Schema):
    shop_name: str | None = Field(default=None, min_length=1, max_length=80)
    accent: str | None = Colour
    ink: str | None = Colour
    background: str | None = Colour
    font: str | None = Field(default=None, max_length=20)
