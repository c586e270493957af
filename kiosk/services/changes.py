"""What changed: one Qt-free notifier the parts of a terminal announce into, and the screens listen to, as Anki's
operations announce their changes, instead of each screen polling or reading again when the citizen returns home.

Topics: ``catalog`` (an import or a sync cycle changed the cached catalog; the revision when known),
``form_templates``, ``notices`` and ``settings`` (the center's feeds of those, applied by a sync cycle), and
``queue`` (the hall's queue state, for the hall's roles), and ``service_state`` (the terminal was taken out of
service or put back, by a command of the center or an operator in this process; the supervisor's changes come
through the file, which the screens also watch). A listener is called on the announcing thread (a worker,
the sync thread): the touch UI's shell bridges it to the UI thread once (``kiosk.ui.shell.changes_bridge``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

CATALOG, FORM_TEMPLATES, NOTICES, SETTINGS, QUEUE, SERVICE_STATE = (
    "catalog",
    "form_templates",
    "notices",
    "settings",
    "queue",
    "service_state",
)
TOPICS = (CATALOG, FORM_TEMPLATES, NOTICES, SETTINGS, QUEUE, SERVICE_STATE)


@dataclass(frozen=True)
class Change:
    """One announcement: the topic, and what is known of it (the catalog's revision after the change; how many
    entries a feed changed)."""

    topic: str
    revision: int | None = None
    count: int = 0


Listener = Callable[[Change], None]


class Changes:
    """The terminal's one notifier. Thread-safe; a failing listener is logged and the others still hear."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[tuple[frozenset[str], Listener]] = []

    def subscribe(self, listener: Listener, topics: Iterable[str] = TOPICS) -> Callable[[], None]:
        """Call ``listener`` with every change of ``topics``; returns what ends the subscription."""
        wanted = frozenset(topics)
        unknown = wanted - set(TOPICS)
        if unknown:
            raise ValueError(f"unknown topics {sorted(unknown)}; known: {', '.join(TOPICS)}")
        entry = (wanted, listener)
        with self._lock:
            self._listeners.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._listeners:
                    self._listeners.remove(entry)

        return unsubscribe

    def announce(self, topic: str, *, revision: int | None = None, count: int = 0) -> None:
        if topic not in TOPICS:
            raise ValueError(f"unknown topic {topic!r}; known: {', '.join(TOPICS)}")
        change = Change(topic, revision, count)
        with self._lock:
            listeners = [listener for topics, listener in self._listeners if topic in topics]
        log.debug("changed: %s", change)
        for listener in listeners:
            try:
                listener(change)
            except Exception:
                log.exception("a listener of %s changes failed", topic)
