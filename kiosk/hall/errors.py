"""Why the hall refuses a request: an HTTP status, a short code for programs and a plain sentence for people."""

from __future__ import annotations


class Refused(Exception):
    """A request the hall will not carry out (4xx). ``keep_changes``: what the operation wrote before refusing
    stays (a wrong PIN is counted although the sign-in is refused)."""

    def __init__(self, status: int, code: str, message: str, *, keep_changes: bool = False) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.keep_changes = keep_changes

    def body(self) -> dict[str, str]:
        return {"error": self.code, "message": self.message}


class SetupError(ValueError):
    """A configuration an operator asked for that cannot be (a prefix taken, a bad range); says what to fix."""
