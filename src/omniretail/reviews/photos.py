"""Review photos: checked with Pillow, scaled down, saved as JPEG with a thumbnail under the media folder."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from omniretail.kernel.errors import FieldError
from omniretail.reviews import rules
from omniretail.reviews.exceptions import InvalidPhoto

FOLDER = "reviews"


@dataclass(frozen=True)
class StoredPhoto:
    path: str
    thumbnail_path: str
    width: int
    height: int


def store(*, data: bytes, media_dir: Path, review_id: uuid.UUID, position: int) -> StoredPhoto:
    """Check one upload and write the picture and its thumbnail; paths are relative to ``media_dir``."""
    where = FieldError(("body", "photos", position), "a JPEG, PNG or WebP picture of at most 5 MB")
    if not data or len(data) > rules.PHOTO_MAX_BYTES:
        raise InvalidPhoto(errors=[where])
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in rules.PHOTO_FORMATS or max(probe.size) > rules.PHOTO_MAX_PIXELS:
                raise InvalidPhoto(errors=[where])
            probe.load()
            picture = ImageOps.exif_transpose(probe).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
        raise InvalidPhoto(errors=[where]) from exc
    picture.thumbnail((rules.PHOTO_SIZE, rules.PHOTO_SIZE))
    thumb = picture.copy()
    thumb.thumbnail((rules.THUMB_SIZE, rules.THUMB_SIZE))
    relative = f"{FOLDER}/{review_id.hex}/{position}.jpg"
    thumb_relative = f"{FOLDER}/{review_id.hex}/{position}-thumb.jpg"
    target = media_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.save(target, "JPEG", quality=85, optimize=True)
    thumb.save(media_dir / thumb_relative, "JPEG", quality=80)
    return StoredPhoto(relative, thumb_relative, picture.width, picture.height)
