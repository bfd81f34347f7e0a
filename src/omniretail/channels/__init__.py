"""Sales channels: web, app, store POS, franchise, marketplace, delivery platform."""
