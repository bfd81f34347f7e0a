"""CSV and JSON import: all or nothing, with a report naming each bad row's line and field."""

from __future__ import annotations

import json

from catalog_factories import shop
from sqlalchemy import func, select

from omniretail.catalog.importing import service as import_service
from omniretail.catalog.models import Product, Variant
from omniretail.pricing import service as pricing_service

HEADER = "sku,product_code,brand,status,categories,barcode,attr.shade,name.en,name.pl,name.zh,price.eur\n"


def _rows(n: int) -> list[str]:
    return [f"LIP-VELVET-{i:04d},LIP-{i // 2:04d},Velvetine,active,lips,,ruby,Velvet lipstick {i // 2},"
            f"Szminka {i // 2},口红{i // 2},14.99\n" for i in range(n)]


def test_an_import_with_one_bad_row_among_1000_writes_nothing_and_names_the_line_and_field(db):
    rows = _rows(1000)
    rows[499] = rows[499].replace(",,ruby", ",5901234123458,ruby")
    with db.transaction() as s:
        shop(s)

    with db.transaction() as s:
        result = import_service.import_catalog(session=s, actor=None, data=HEADER + "".join(rows), fmt="csv")

    with db.transaction(read_only=True) as s:
        assert s.scalar(select(func.count()).select_from(Variant)) == 0
    assert not result.written
    assert [(e.line, e.field, e.sku) for e in result.errors] == [(501, "barcode", "LIP-VELVET-0499")]
    assert "check digit" in result.errors[0].message


def test_an_import_writes_products_variants_prices_and_reimport_upserts_by_sku(db):
    with db.transaction() as s:
        sh = shop(s)

    with db.transaction() as s:
        first = import_service.import_catalog(session=s, actor=None, data=HEADER + "".join(_rows(4)), fmt="csv")
    again = HEADER + "".join(_rows(4)).replace("14.99", "12.50")
    with db.transaction() as s:
        second = import_service.import_catalog(session=s, actor=None, data=again, fmt="csv")

    assert (first.created, first.updated, second.created, second.updated) == (4, 0, 0, 4)
    with db.transaction(read_only=True) as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 2
        prices = pricing_service.list_prices(session=s, price_list_id=sh.eur.id)
        assert set(prices.values()) == {1250}


def test_a_json_import_reports_item_numbers_and_partial_writes_the_good_products(db):
    items = [{"sku": "CREAM-HYDRA-50", "product_code": "CREAM-HYDRA", "brand": "Aqualis", "name.en": "Day cream",
              "price.eur": "24.50"},
             {"sku": "SERUM-C-30", "product_code": "SERUM-C", "brand": "Aqualis", "name.en": "Vitamin C serum",
              "price.eur": "twelve"}]
    with db.transaction() as s:
        shop(s)

    with db.transaction() as s:
        result = import_service.import_catalog(session=s, actor=None, data=json.dumps(items), fmt="json",
                                               partial=True)

    assert [(e.line, e.field) for e in result.errors] == [(2, "price.eur")]
    with db.transaction(read_only=True) as s:
        assert list(s.scalars(select(Variant.sku))) == ["CREAM-HYDRA-50"]


def test_export_then_import_round_trips(db):
    with db.transaction() as s:
        shop(s)
        import_service.import_catalog(session=s, actor=None, data=HEADER + "".join(_rows(2)), fmt="csv")

    with db.transaction() as s:
        exported = import_service.export_catalog(session=s, fmt="csv")
        result = import_service.import_catalog(session=s, actor=None, data=exported, fmt="csv")

    assert result.valid and result.updated == 2
