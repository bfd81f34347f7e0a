"""Catalog: products, variants (SKU, barcode), categories, attributes, media, translations, search."""
