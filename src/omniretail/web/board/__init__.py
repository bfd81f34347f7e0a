"""The store's order board: delivery-platform and click-and-collect orders for store staff."""
