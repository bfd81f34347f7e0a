"""Server-rendered pages: storefront, POS, back office and in-store displays, over the services."""
