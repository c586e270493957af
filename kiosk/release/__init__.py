"""The release side of signed updates: a TUF repository of the program's bundles (``kiosk release``).

Qt-free. See docs/updates.md: the keys and where they live, thresholds and expiry, re-signing the timestamp.
"""
