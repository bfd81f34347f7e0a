"""Catalog search: a portable inverted index (same tables on SQLite and PostgreSQL), typo-tolerant."""
