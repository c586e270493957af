"""Why the hall refuses a request: an HTTP status, a short code for programs and a plain sentence for people."""

from __future__ import annotations


class Refused(Exception):
    """A request the hall will not carry out (4xx). ``keep_changes``: what the operation wrote before refusing
    stays (a wrong PIN is counted although the sign-in is refused). ``details``: the values the sentence names
    (an appointment's ``window``, ``opens``, ``day``; the ``number`` a person already holds; the daily ``cap``),
    so a terminal can say them in its own words and language without reading the sentence."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        keep_changes: bool = False,
        details: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.keep_changes = keep_changes
        self.details = dict(details or {})

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {"error": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class SetupError(ValueError):
    """A configuration an operator asked for that cannot be (a prefix taken, a bad range); says what to fix."""
