"""The supervisor (``kiosk supervise``): a small process without Qt that the installer starts at logon. It runs
the terminal's role as a child process and keeps it running: restarts it when it crashes or stops answering its
local heartbeat, with backoff; takes the terminal out of service after a crash loop, or goes back to the previous
version when an update caused it; runs the daily maintenance window; and switches to a staged update, keeping it
only when the new version passes its health check. See docs/operations.md, "Supervisor".
"""
