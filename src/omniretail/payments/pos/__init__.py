"""POS cash drawers: sessions with an opening float, cash in and out, and a counted close with the Z-report."""
