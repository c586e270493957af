"""Sync with the center: the engine (catalog pages, outbox delivery, notices) and the outbox."""
