"""Live chat between a storefront visitor and a staff advisor, over WebSockets."""
