"""Fulfilment."""
