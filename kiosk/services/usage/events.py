"""Where the UI says what happened, in one line at the place it happens (``usage.guide_viewed(code)``).

The running role installs its terminal's :class:`~kiosk.services.usage.counter.UsageCounter` here once its window
is up; until then, and in tools and tests that install none, every call does nothing. A call never blocks (the
count is written by the database writer) and never raises: counting must not cost a citizen a screen.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

# The metrics' names (kiosk.protocol.usage), written out: this module is imported before the first frame, and the
# protocol's package loads pydantic.
SCREEN, GUIDE_VIEWED, GUIDE_PRINTED = "screen", "guide_viewed", "guide_printed"
FORM_SUBMITTED, TICKET_TAKEN, RATING, ERROR = "form_submitted", "ticket_taken", "rating", "error"

if TYPE_CHECKING:
    from kiosk.services.usage.counter import UsageCounter

log = logging.getLogger(__name__)

_lock = threading.Lock()
_counter: UsageCounter | None = None


def install(counter: UsageCounter) -> None:
    global _counter
    with _lock:
        _counter = counter


def uninstall(counter: UsageCounter) -> None:
    global _counter
    with _lock:
        if _counter is counter:
            _counter = None


def installed() -> UsageCounter | None:
    return _counter


def _count(metric: str, key: str) -> None:
    counter = _counter
    if counter is None:
        return
    try:
        counter.record(metric, key)
    except Exception:
        log.exception("usage %s not counted", metric)


def session_started() -> None:
    counter = _counter
    if counter is not None:
        try:
            counter.session_started()
        except Exception:
            log.exception("usage session not counted")


def screen_opened(screen: str) -> None:
    _count(SCREEN, screen)


def guide_viewed(service_code: str) -> None:
    _count(GUIDE_VIEWED, service_code)


def guide_printed(service_code: str) -> None:
    _count(GUIDE_PRINTED, service_code)


def form_submitted(template_code: str) -> None:
    _count(FORM_SUBMITTED, template_code)


def ticket_taken(service_code: str) -> None:
    _count(TICKET_TAKEN, service_code)


def rated(level: int) -> None:
    _count(RATING, str(level))


def error_shown(kind: str) -> None:
    """An error the citizen saw, by its support code (``E-SEARCH``, ``E-PRINT`` …)."""
    _count(ERROR, kind)


def search_found_nothing(text: str) -> None:
    counter = _counter
    if counter is not None:
        try:
            counter.search_found_nothing(text)
        except Exception:
            log.exception("usage search not counted")
