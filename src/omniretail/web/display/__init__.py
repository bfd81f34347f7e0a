"""In-store displays (``/display/{store}``)."""
