"""Counts: full or cycle count sheets, variance report, approval writes count corrections."""
