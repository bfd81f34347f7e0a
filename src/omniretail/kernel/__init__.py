"""The shared kernel: value types and infrastructure every context uses, and nothing business-specific."""
