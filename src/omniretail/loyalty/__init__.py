"""Loyalty."""
