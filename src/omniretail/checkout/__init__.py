"""Checkout: delivery choices, sourcing and the three-step order placement."""
