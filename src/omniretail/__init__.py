"""omniretail: one catalog, one stock figure, one customer and one order history across every channel."""

__version__ = "0.1.0"
