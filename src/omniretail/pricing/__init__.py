"""Pricing: price lists per channel and currency, scheduled sale prices, taxes."""
