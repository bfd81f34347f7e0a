"""Importing and exporting products, variants, prices and translations as CSV or JSON."""
