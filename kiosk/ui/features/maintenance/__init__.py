"""The hidden maintenance screen behind a PIN."""
