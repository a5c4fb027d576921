"""Public pages: home, published reports, measures and their API, and the health check."""
