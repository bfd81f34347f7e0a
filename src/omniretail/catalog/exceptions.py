"""Catalog errors. All are anticipated: safe to show to the staff member or shopper who caused them."""

from __future__ import annotations

from omniretail.kernel.errors import Conflict, InvalidInput, NotFound


class ProductNotFound(NotFound):
    type = "catalog/product-not-found"
    title = "Product not found"


class VariantNotFound(NotFound):
    type = "catalog/variant-not-found"
    title = "Variant not found"


class CategoryNotFound(NotFound):
    type = "catalog/category-not-found"
    title = "Category not found"


class SkuTaken(Conflict):
    """Another variant already uses this SKU or barcode."""

    type = "catalog/sku-taken"
    title = "This SKU or barcode is already used"


class CodeTaken(Conflict):
    type = "catalog/code-taken"
    title = "This code or slug is already used"


class InvalidProduct(InvalidInput):
    """A product, variant or category breaks a catalog rule; the field errors say which and why."""

    type = "catalog/invalid"
    title = "The catalog data is not valid"


class CategoryCycle(InvalidInput):
    type = "catalog/category-cycle"
    title = "A category cannot sit inside itself"


class ImportRejected(InvalidInput):
    """An import file has bad rows; nothing was written. ``errors`` name each row's line and field."""

    type = "catalog/import-rejected"
    title = "The file has invalid rows; nothing was imported"


class CollectionNotFound(NotFound):
    type = "catalog/collection-not-found"
    title = "Collection not found"
