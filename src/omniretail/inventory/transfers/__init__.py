"""Transfers between locations: request, approve, ship (stock in transit), receive with discrepancies."""
