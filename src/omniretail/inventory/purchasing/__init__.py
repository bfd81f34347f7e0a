"""Suppliers, purchase orders, on-order quantities, reorder points and suggested orders."""
