"""Anonymous usage: counted on the terminal per period, sent through the outbox (docs/usage.md)."""
