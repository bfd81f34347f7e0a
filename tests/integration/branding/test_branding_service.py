"""The brand every channel shows: defaults, changes checked for contrast, an uploaded logo, the process cache."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from omniretail.branding import demo as branding_demo
from omniretail.branding import service as branding_service
from omniretail.branding.exceptions import InvalidBrand, InvalidLogo


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (138, 40, 70, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_new_shop_shows_the_default_brand(db):
    with db.transaction(read_only=True) as session:
        brand = branding_service.current(session=session)

    assert brand == branding_service.DEFAULT
    assert brand.css.startswith(":root{--accent:#b0305a;")


def test_a_change_is_seen_at_once_by_the_next_read(db):
    with db.transaction(read_only=True) as session:
        before = branding_service.current(session=session)
    with db.transaction() as session:
        branding_service.update(session=session, actor="test", shop_name="Dzintars Beauty", accent="#8A2846",
                                font="serif")
    with db.transaction(read_only=True) as session:
        after = branding_service.current(session=session)
        again = branding_service.current(session=session)

    assert before.shop_name == "omniretail"
    assert (after.shop_name, after.accent, after.font) == ("Dzintars Beauty", "#8a2846", "serif")
    assert again is after
    assert "Charter" in after.css


def test_an_unreadable_palette_an_unknown_font_and_an_empty_name_are_refused_together(db):
    with db.transaction() as session, pytest.raises(InvalidBrand) as refused:
        branding_service.update(session=session, actor="test", shop_name=" ", accent="#f4a7b9", font="comic")

    assert {e.loc[-1] for e in refused.value.errors} == {"shop_name", "accent", "font"}


def test_an_uploaded_logo_is_scaled_to_fit_and_stored_under_the_media_folder(db, tmp_path):
    with db.transaction() as session:
        brand = branding_service.set_logo(session=session, actor="test", data=_png(1200, 400), media_dir=tmp_path)

    assert brand.logo_url is not None and brand.logo_url.startswith("/media/brand/logo-")
    assert (brand.logo_width, brand.logo_height) == (480, 160)
    stored = tmp_path / brand.logo_url.removeprefix("/media/")
    with Image.open(stored) as picture:
        assert picture.size == (480, 160) and picture.format == "PNG"


@pytest.mark.parametrize("data", [b"", b"not a picture at all", _png(10, 10)[:40], b"GIF89a" + b"\0" * 20])
def test_a_file_that_is_not_a_usable_picture_is_refused(db, tmp_path, data):
    with db.transaction() as session, pytest.raises(InvalidLogo):
        branding_service.set_logo(session=session, actor="test", data=data, media_dir=tmp_path)


def test_removing_the_logo_shows_the_name_again(db, tmp_path):
    with db.transaction() as session:
        branding_service.set_logo(session=session, actor="test", data=_png(100, 50), media_dir=tmp_path)
        brand = branding_service.remove_logo(session=session, actor="test")

    assert brand.logo_url is None


def test_the_demo_brand_is_the_baltic_beauty_chain(db):
    with db.transaction() as session:
        branding_demo.load(session)
    with db.transaction(read_only=True) as session:
        brand = branding_service.current(session=session)

    assert brand.shop_name == branding_demo.DEMO_NAME and brand.font == "humanist"
