"""Pages of the meetings."""
