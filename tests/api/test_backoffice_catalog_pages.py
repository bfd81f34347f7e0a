"""Back-office catalog and price pages over HTTP: lists with search and CSV, the product form with field errors
and all-or-nothing saves, role checks, price edits, sale prices and the price-consistency report."""

from __future__ import annotations

import csv
import io
import re

import pytest

from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.identity.rules import Grant, Role
from omniretail.pricing import service as pricing_service
from tests.integration.catalog import catalog_factories as catalog

MERCHANDISER = "marta@shop.example.com"


@pytest.fixture
def shop(db):
    with db.transaction() as session:
        s = catalog.shop(session)
        lipstick = catalog.lipstick(session, s)
        catalog.cream(session, s)
        return {"shop": s, "lipstick_id": lipstick.id, "lips_id": s.lips.id, "web_id": s.web.id,
                "eur_id": s.eur.id, "variant_id": lipstick.variants[0].id}


def _new_product_form(**changes):
    form = {"code": "LIP-SATIN", "brand": "Velvetine", "status": "active", "description_format": "markdown",
            "name-en": "Satin lipstick", "description-en": "**Soft** satin <script>alert(1)</script>",
            "name-lv": "Satīna lūpu krāsa", "variant_rows": "1", "variant-0-sku": "LIP-SATIN-01",
            "variant-0-barcode": "5901234123457", "variant-0-attributes": "shade=rose",
            "variant-0-weight_grams": "30", "variant-0-length_mm": "20", "variant-0-width_mm": "20",
            "variant-0-height_mm": "80"}
    return {**form, **changes}


def test_the_product_list_searches_by_sku_and_latvian_name_and_exports_csv(client, sign_in, shop):
    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))

    by_sku = staff.get("/admin/catalog", params={"q": "LIP-VELVET-12"})
    by_name = staff.get("/admin/catalog", params={"q": "Mitrinošs"})
    drafts = staff.get("/admin/catalog", params={"status": "draft"})
    exported = staff.get("/admin/catalog", params={"format": "csv", "sort": "code"})

    assert by_sku.status_code == 200
    assert "LIP-VELVET" in by_sku.text and "CREAM-HYDRA" not in by_sku.text
    assert "CREAM-HYDRA" in by_name.text and "LIP-VELVET" not in by_name.text
    assert re.search(r'id="product-count">0<', drafts.text)
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert exported.headers["content-type"].startswith("text/csv")
    assert rows[0] == ["code", "name", "brand", "status", "skus", "updated"]
    assert [r[0] for r in rows[1:]] == ["CREAM-HYDRA", "LIP-VELVET"]
    assert rows[2][4] == "LIP-VELVET-07 LIP-VELVET-12"


def test_a_merchandiser_creates_a_product_with_two_languages_and_a_variant(client, sign_in, shop, db):
    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))

    created = staff.post("/admin/catalog/new", data={**_new_product_form(), "category": [str(shop["lips_id"])],
                                                     f"pub-{shop['web_id']}": "1"}, follow_redirects=False)

    assert created.status_code == 303, created.text
    with db.transaction() as session:
        product = catalog_service.get_product(session=session, product_id=catalog_service.product_ids_by_code(
            session=session, codes=["LIP-SATIN"])["LIP-SATIN"])
        texts = {t.locale: t for t in product.translations}
        assert texts["lv"].name == "Satīna lūpu krāsa"
        assert "<strong>Soft</strong>" in texts["en"].description_html and "<script" not in texts["en"].description_html
        assert [(v.sku, v.barcode, v.attributes, v.weight_grams) for v in product.variants] == [
            ("LIP-SATIN-01", "5901234123457", {"shade": "rose"}, 30)]
        assert catalog_service.category_ids_of(session=session, product_id=product.id) == [shop["lips_id"]]
        assert [p.channel_id for p in catalog_service.publications(session=session, product_id=product.id)] == [
            shop["web_id"]]
    page = staff.get(created.headers["location"])
    assert 'value="Satīna lūpu krāsa"' in page.text and 'role="status"' in page.text


def test_a_bad_barcode_is_shown_next_to_its_field_and_nothing_is_saved(client, sign_in, shop, db):
    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))

    refused = staff.post("/admin/catalog/new", data=_new_product_form(**{"variant-0-barcode": "5901234123458"}))

    assert refused.status_code == 422
    assert re.search(r'id="variant-0-barcode-error">check digit should be 7<', refused.text)
    assert 'value="5901234123458"' in refused.text and 'value="Satīna lūpu krāsa"' in refused.text
    with db.transaction() as session:
        assert catalog_service.product_ids_by_code(session=session, codes=["LIP-SATIN"]) == {}
        assert catalog_service.variants_by_sku(session=session, skus=["LIP-SATIN-01"]) == {}


def test_an_edit_with_a_taken_sku_in_a_new_variant_keeps_the_old_name(client, sign_in, shop, db):
    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))
    url = f"/admin/catalog/{shop['lipstick_id']}"
    form = staff.get(url).text
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', form))
    fields |= {"name-lv": "Jauns nosaukums", "status": "active", "variant-2-sku": "CREAM-HYDRA-50"}

    refused = staff.post(url, data=fields)

    assert refused.status_code == 422
    assert 'id="variant-2-sku-error"' in refused.text and 'value="Jauns nosaukums"' in refused.text
    with db.transaction() as session:
        product = catalog_service.get_product(session=session, product_id=shop["lipstick_id"])
        assert {t.locale: t.name for t in product.translations}["lv"] == "Samta matēta lūpu krāsa"
        assert len(product.variants) == 2


def test_a_cashier_reads_the_catalog_but_may_not_edit_it(client, sign_in, shop):
    staff = sign_in("kaspars@shop.example.com", Grant(Role.CASHIER))

    page = staff.get(f"/admin/catalog/{shop['lipstick_id']}")
    edit = staff.post(f"/admin/catalog/{shop['lipstick_id']}", data={"name-en": "Hacked", "variant_rows": "0"})
    new = staff.get("/admin/catalog/new")
    price = staff.post(f"/admin/prices/{shop['eur_id']}/{shop['variant_id']}", data={"action": "price",
                                                                                    "amount": "0.01"})

    assert page.status_code == 200 and "<fieldset disabled" in page.text.replace('class="plain" ', "")
    assert (edit.status_code, new.status_code, price.status_code) == (403, 403, 403)


def test_signed_out_visitors_are_sent_to_sign_in(client, shop):
    response = client.get("/admin/catalog", follow_redirects=False)

    assert response.status_code == 303 and response.headers["location"].startswith("/admin/login")


def test_a_merchandiser_changes_a_price_and_schedules_a_sale(client, sign_in, shop, db):
    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))
    url = f"/admin/prices/{shop['eur_id']}/{shop['variant_id']}"

    lists = staff.get("/admin/prices")
    bad = staff.post(url, data={"action": "price", "amount": "12.345"})
    saved = staff.post(url, data={"action": "price", "amount": "17,99"}, follow_redirects=False)
    sale = staff.post(url, data={"action": "sale", "sale_amount": "9.99", "starts": "2020-01-01T00:00"},
                      follow_redirects=False)
    backwards = staff.post(url, data={"action": "sale", "sale_amount": "9.99", "starts": "2030-01-02T00:00",
                                      "ends": "2030-01-01T00:00"})
    listed = staff.get(f"/admin/prices/{shop['eur_id']}", params={"q": "LIP-VELVET-07"})
    exported = staff.get(f"/admin/prices/{shop['eur_id']}", params={"format": "csv"})

    assert "Web EU" in lists.text and "eur" in lists.text
    assert ["eur", "EUR", "EUR", "LV", "True", "Web EU", "3"] in list(csv.reader(io.StringIO(
        staff.get("/admin/prices?format=csv").text)))
    assert bad.status_code == 422 and 'id="amount-error"' in bad.text and 'value="12.345"' in bad.text
    assert (saved.status_code, sale.status_code) == (303, 303)
    assert backwards.status_code == 422 and 'id="ends-error"' in backwards.text
    with db.transaction() as session:
        assert pricing_service.list_prices(session=session, price_list_id=shop["eur_id"])[shop["variant_id"]] == 1799
        assert len(pricing_service.sales_of(session=session, price_list_id=shop["eur_id"],
                                            variant_id=shop["variant_id"])) == 1
    assert re.search(r'id="price-count">1<', listed.text) and "€9.99" in listed.text
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["sku", "name", "regular", "current", "currency", "updated"]
    assert [rows[1][0], rows[1][2], rows[1][3]] == ["LIP-VELVET-07", "17.99", "9.99"]


def test_the_consistency_report_lists_a_price_that_differs_between_two_euro_channels(client, sign_in, shop, db):
    with db.transaction() as session:
        app = channels_service.create_channel(session=session, actor=None, code="app-eu", name="App EU", kind="app",
                                              currency="EUR", country="LV", locales=["en", "lv"], default_locale="en")
        app_list = pricing_service.create_price_list(session=session, actor=None, code="eur-app", name="EUR app",
                                                     currency="EUR", country="LV")
        pricing_service.assign_price_list(session=session, actor=None, channel_id=app.id, price_list_id=app_list.id)
        lipstick = catalog_service.get_product(session=session, product_id=shop["lipstick_id"])
        pricing_service.set_prices(session=session, actor=None, price_list_id=app_list.id,
                                   amounts={lipstick.variants[0].id: 1499, lipstick.variants[1].id: 1299})
        pricing_service.create_rule(session=session, actor=None, code="same-eu", name="Same price in EU",
                                    channel_ids=[shop["web_id"], app.id])
    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))

    page = staff.get("/admin/prices/consistency")
    exported = staff.get("/admin/prices/consistency", params={"format": "csv"})

    assert page.status_code == 200
    assert re.search(r'id="inconsistency-count">2<', page.text)
    assert "LIP-VELVET-12" in page.text and "no price" in page.text
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["rule", "sku", "name", "channel", "price", "currency"]
    assert ["same-eu", "LIP-VELVET-12", "Velvet matte lipstick", "app-eu", "12.99", "EUR"] in rows


def test_categories_and_collections_are_added_and_listed(client, sign_in, shop):
    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))

    category = staff.post("/admin/catalog/categories", data={"code": "eyes", "parent": str(shop["lips_id"]),
                                                             "position": "2", "name-en": "Eyes", "name-lv": "Acis"},
                          follow_redirects=False)
    nameless = staff.post("/admin/catalog/categories", data={"code": "nails", "position": "1", "name-lv": "Nagi"})
    collection = staff.post("/admin/catalog/collections", data={
        "code": "winter", "rule": "manual", "size": "8", "position": "1", "title-en": "Winter picks",
        "products": "LIP-VELVET\nCREAM-HYDRA"}, follow_redirects=False)
    unknown = staff.post("/admin/catalog/collections", data={
        "code": "spring", "rule": "manual", "size": "8", "position": "1", "title-en": "Spring",
        "products": "NO-SUCH"})

    assert category.status_code == 303 and collection.status_code == 303
    assert "Acis" in staff.get("/admin/catalog/categories").text
    assert nameless.status_code == 422 and 'id="name-en-error"' in nameless.text
    listed = staff.get("/admin/catalog/collections").text
    assert "Winter picks" in listed and re.search(r'<td class="num">2</td></tr>', listed)
    assert unknown.status_code == 422 and "NO-SUCH" in unknown.text
    categories = list(csv.reader(io.StringIO(staff.get("/admin/catalog/categories?format=csv").text)))
    assert categories[[r[0] for r in categories].index("eyes")][:4] == ["eyes", "lips", "2", "Eyes"]
    shelves = list(csv.reader(io.StringIO(staff.get("/admin/catalog/collections?format=csv").text)))
    assert shelves[1][:6] == ["1", "winter", "manual", "8", "", "LIP-VELVET CREAM-HYDRA"]


def test_an_uploaded_image_gets_a_thumbnail_and_alt_texts_and_a_text_file_is_refused(client, sign_in, shop, db,
                                                                                      settings):
    from PIL import Image

    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))
    picture = io.BytesIO()
    Image.new("RGB", (900, 600), (176, 48, 90)).save(picture, "PNG")
    url = f"/admin/catalog/{shop['lipstick_id']}/images"

    uploaded = staff.post(url, data={"alt-en": "Ruby lipstick", "alt-lv": "Rubīna lūpu krāsa"},
                          files={"image": ("ruby.png", picture.getvalue(), "image/png")}, follow_redirects=False)
    refused = staff.post(url, files={"image": ("notes.txt", b"not a picture", "text/plain")})

    assert uploaded.status_code == 303
    assert refused.status_code == 422 and 'id="image-error">not a picture we can read<' in refused.text
    with db.transaction() as session:
        [media] = catalog_service.product_media(session=session, product_id=shop["lipstick_id"])
        assert media.alt == {"en": "Ruby lipstick", "lv": "Rubīna lūpu krāsa"}
        assert (media.width, media.height) == (900, 600)
        with Image.open(settings.data_dir / "media" / media.thumbnail_path) as thumb:
            assert max(thumb.size) == 320
    page = staff.get(f"/admin/catalog/{shop['lipstick_id']}")
    assert f'src="/media/{media.thumbnail_path}"' in page.text


def test_a_category_is_renamed_and_moved_under_another_parent(client, sign_in, shop, db):
    from omniretail.catalog import categories as catalog_categories

    staff = sign_in(MERCHANDISER, Grant(Role.MARKETER))
    with db.transaction() as session:
        skincare = next(c for c in catalog_categories.list_categories(session=session) if c.code == "skincare")
        makeup = next(c for c in catalog_categories.list_categories(session=session) if c.code == "makeup")

    moved = staff.post(f"/admin/catalog/categories/{skincare.id}", data={
        "parent": str(makeup.id), "position": "3", "name-en": "Skin care", "name-lv": "Ādas kopšana"},
        follow_redirects=False)
    cycle = staff.post(f"/admin/catalog/categories/{makeup.id}", data={
        "parent": str(skincare.id), "position": "0", "name-en": "Makeup"})

    assert moved.status_code == 303
    assert cycle.status_code == 422 and 'id="parent-error"' in cycle.text
    with db.transaction() as session:
        found = catalog_categories.get_category(session=session, category_id=skincare.id)
        assert (found.parent_id, found.position) == (makeup.id, 3)
        assert {t.locale: t.name for t in found.translations}["en"] == "Skin care"
