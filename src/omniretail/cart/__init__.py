"""Carts in any channel, for guests and customers."""
