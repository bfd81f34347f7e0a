"""Analytics: the shopper's journey (page views, product views, add to cart, checkout start, purchase) recorded
server-side under a first-party visitor id and stitched to the customer at sign-in; KPIs and cohorts later."""
