"""The public face of the catalog: what one channel publishes, in one locale, at that channel's prices."""
