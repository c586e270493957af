"""The reference center: the server terminals sync with in development and acceptance (docs/protocol.md)."""
