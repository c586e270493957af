"""The terminal ↔ center protocol (docs/protocol.md): the request bodies as pydantic models, and signing."""
