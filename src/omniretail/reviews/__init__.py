"""Reviews, ratings, surveys, sentiment and themes."""
