"""The till (``/pos``): a page for store staff that sells through the same cart and checkout API as every channel."""
