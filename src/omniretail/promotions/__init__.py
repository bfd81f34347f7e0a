"""Promotions: discounts, buy-X-get-Y, gifts with purchase, bundles, coupons and how they stack."""
