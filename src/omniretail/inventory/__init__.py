"""Inventory: locations, stock levels, the movement ledger, reservations, transfers, counts, purchasing."""
