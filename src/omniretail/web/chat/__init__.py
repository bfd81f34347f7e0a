"""Live-chat pages: the shopper's chat window on the storefront and the advisor's console in the back office."""
