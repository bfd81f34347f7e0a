"""Fulfilment: tables."""

from __future__ import annotations

from omniretail.kernel.db import Base  # noqa: F401
