"""The storefront: pages shoppers see, over the services of every context."""
