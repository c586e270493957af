"""The ``kiosk`` role: the citizen's self-service terminal (catalog, search, guides, forms, rating, progress)."""
