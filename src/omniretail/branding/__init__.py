"""Brand settings."""
