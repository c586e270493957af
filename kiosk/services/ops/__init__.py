"""The terminal's side of operations from the center (docs/operations.md, "Commands from the center"): the
center's command key pinned at enrolment, its signed commands verified and run once, its signed settings kept as
a layer of the settings chain, and the reports the heartbeat carries. Qt-free; the role lends what needs its
window (a screenshot, leaving with an exit code) through :mod:`kiosk.services.ops.role_hooks`."""
