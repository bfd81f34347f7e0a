"""Marketing tables."""

from __future__ import annotations
