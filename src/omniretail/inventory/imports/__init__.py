"""CSV import and export of stock levels and counts, with a validation report."""
