"""Getting articles in: reading sources, preparing articles, storing them."""
