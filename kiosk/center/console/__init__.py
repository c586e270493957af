"""The operators' web console at /console on the center (docs/console.md): server-rendered pages (Jinja2) with
htmx vendored in ``static/``, operator accounts and sessions in the database, CSRF and Origin checks, an audit log.
"""
