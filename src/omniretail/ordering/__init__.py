"""Ordering: the order lifecycle, timeline, edits, cancellations and inbound marketplace orders."""
