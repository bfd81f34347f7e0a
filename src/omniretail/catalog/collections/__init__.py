"""Featured collections for the home page and category pages."""
