"""The terminal's side of signed updates: check, download with resume, verify with TUF, stage side by side.

Qt-free, below the command line and the roles. See docs/updates.md.
"""
