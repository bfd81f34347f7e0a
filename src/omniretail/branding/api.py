"""Brand settings API: anyone may read the brand; changing it needs ``settings.manage``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, UploadFile

from omniretail.branding import rules
from omniretail.branding import service as branding_service
from omniretail.branding.exceptions import InvalidLogo
from omniretail.branding.schemas import BrandRead, BrandUpdate
from omniretail.identity import service as identity_service
from omniretail.identity.dependencies import Allowed
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep, SettingsDep
from omniretail.kernel.errors import FieldError

router = APIRouter(tags=["branding"])
BrandManager = Annotated[Principal, Depends(Allowed(Permission.SETTINGS_MANAGE))]


def _read(brand: branding_service.Brand) -> BrandRead:
    return BrandRead(shop_name=brand.shop_name, accent=brand.accent, ink=brand.ink, background=brand.background,
                     font=brand.font, font_stack=brand.font_stack, logo_url=brand.logo_url,
                     logo_width=brand.logo_width, logo_height=brand.logo_height, revision=brand.revision,
                     fonts=list(rules.FONTS))


@router.get("/brand", response_model=BrandRead)
def read_brand(session: SessionDep) -> BrandRead:
    """The shop's name, logo, colours and font, as every channel shows them."""
    return _read(branding_service.current(session=session))


@router.patch("/brand", response_model=BrandRead)
def update_brand(body: BrandUpdate, session: SessionDep, actor: BrandManager) -> BrandRead:
    """Change the shop name, colours or font (colour pairs must read at WCAG AA)."""
    brand = branding_service.update(session=session, actor=f"staff:{actor.email}",
                                    **body.model_dump(exclude_unset=True))
    identity_service.audit(session=session, actor=actor, action="brand.update", target_type="brand")
    return _read(brand)


@router.put("/brand/logo", response_model=BrandRead)
async def upload_logo(file: UploadFile, session: SessionDep, settings: SettingsDep,
                      actor: BrandManager) -> BrandRead:
    """Upload the logo (PNG, JPEG, WebP or GIF, at most 2 MB); it is scaled to fit and stored as PNG."""
    data = await file.read(rules.LOGO_MAX_BYTES + 1)
    if not data:
        raise InvalidLogo(errors=[FieldError(("body", "file"), "empty")])
    brand = branding_service.set_logo(session=session, actor=f"staff:{actor.email}", data=data,
                                      media_dir=settings.data_dir / "media")
    identity_service.audit(session=session, actor=actor, action="brand.logo", target_type="brand")
    return _read(brand)


@router.delete("/brand/logo", response_model=BrandRead)
def remove_logo(session: SessionDep, actor: BrandManager) -> BrandRead:
    """Show the shop name instead of a logo."""
    brand = branding_service.remove_logo(session=session, actor=f"staff:{actor.email}")
    identity_service.audit(session=session, actor=actor, action="brand.logo-removed", target_type="brand")
    return _read(brand)
