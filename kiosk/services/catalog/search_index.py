"""The live search index: read back from its file at start, kept in step with the catalog, saved again when enough
has changed.

The index is a base segment and a delta (:mod:`kiosk.domain.search`). At start the base is the saved file (a few
copies, well under a second at 100,000 items) and the delta the items changed since it was saved; after a catalog
change the delta is built anew from the changed items alone. When the delta grows past :data:`SAVE_AFTER` items
a new base is built and saved in the background while searches go on with the old one; when a change is so large
that the delta would be a good part of the catalog, the index is built whole there and then.

Building happens on whichever worker asks first, never on the UI thread, and gives the interpreter lock back
often (see :mod:`kiosk.domain.search_segment`), so the UI keeps drawing meanwhile.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from kiosk.domain.search import SearchIndex
from kiosk.domain.search_segment import Segment, build_segment, release
from kiosk.store.search_index_store import SearchIndexStore

log = logging.getLogger(__name__)

SAVE_AFTER = 2000  # changed items after which a new base is built and saved in the background
WHOLE_SHARE = 0.25  # a delta larger than this share of the base (and than SAVE_AFTER) means building anew

Runner = Callable[[Callable[[], Any]], "Future[Any]"]


@dataclass(frozen=True, slots=True)
class _Base:
    segment: Segment
    revision: int


class SearchIndexKeeper:
    """Thread-safe; ``run`` and ``write`` (a worker and the database writer, from Background) are used for the
    background rebuild and to record a saved file; without them both happen on the caller's thread."""

    def __init__(
        self,
        store: SearchIndexStore,
        *,
        run: Runner | None = None,
        write: Runner | None = None,
        save_after: int = SAVE_AFTER,
    ) -> None:
        self.store = store
        self.save_after = save_after
        self._run = run
        self._write = write
        self._lock = threading.Lock()
        self._base: _Base | None = None
        self._read_file = False
        self._codes: dict[str, int] | None = None  # base position of each code, made when a delta needs it
        self._index: SearchIndex | None = None
        self._revision = -1
        self._rebuilding = False

    def current(self) -> SearchIndex:
        """The index of the catalog as it is now (brought up to date first if it changed)."""
        with self._lock:
            whole: list[Any] = []
            with self.store.snapshot():
                revision = self.store.revision()
                if self._index is not None and revision == self._revision:
                    return self._index
                if not self._read_file:
                    self._read_file = True
                    saved = self.store.load()
                    if saved is not None and saved.revision <= revision:
                        self._adopt_base(_Base(saved.segment, saved.revision))
                        log.info(
                            "search index read from %s: %d items (catalog revision %d)",
                            self.store.path,
                            len(saved.segment),
                            saved.revision,
                        )
                if self._base is not None and self._catch_up(revision):
                    return self._ready()
                whole = list(self.store.rows())
            started = time.monotonic()
            segment = build_segment(whole)
            release(whole)
            self._adopt_base(_Base(segment, revision))
            self._index, self._revision = SearchIndex.of(segment), revision
            log.info(
                "search index built: %d items (catalog revision %d) in %.1f s",
                len(segment),
                revision,
                time.monotonic() - started,
            )
            index = self._ready()
        self._save(segment, revision)
        return index

    @property
    def rebuilding(self) -> bool:
        """Whether a new base is being built in the background."""
        return self._rebuilding

    def refresh_soon(self) -> None:
        """Bring the index up to date in the background (after a catalog change), so the next search finds it
        ready."""
        if self._run is not None:
            self._run(self.current)

    def _ready(self) -> SearchIndex:
        assert self._index is not None
        return self._index

    def _adopt_base(self, base: _Base) -> None:
        self._base = base
        self._codes = None

    def _catch_up(self, revision: int) -> bool:
        """Make the index of ``revision`` from the base and the items changed since; False if so many changed
        that building the whole index is better."""
        assert self._base is not None
        base = self._base
        changed = self.store.changed_since(base.revision) if revision != base.revision else []
        if len(changed) > max(self.save_after, WHOLE_SHARE * len(base.segment)):
            log.info(
                "%d catalog items changed since the search index was saved: building it anew", len(changed)
            )
            return False
        delta = build_segment(self.store.rows(changed)) if changed else None
        if self._codes is None and changed:
            codes = base.segment.codes
            self._codes = {codes[i]: i for i in range(len(base.segment))}
        removed = [self._codes[c] for c in changed if c in self._codes] if self._codes else []
        self._index, self._revision = SearchIndex.of(base.segment, delta, removed), revision
        if changed:
            log.info(
                "search index brought up to date: %d items changed since catalog revision %d",
                len(changed),
                base.revision,
            )
        if len(changed) >= self.save_after:
            self._rebuild_soon()
        return True

    def _rebuild_soon(self) -> None:
        if self._run is None or self._rebuilding:
            return
        self._rebuilding = True
        self._run(self._rebuild)

    def _rebuild(self) -> None:
        """In the background: a new base of the catalog as it is, saved; searches use the old one meanwhile."""
        try:
            with self.store.snapshot():
                revision = self.store.revision()
                rows = list(self.store.rows())
            segment = build_segment(rows)
            release(rows)
            with self._lock:
                if self._base is None or self._base.revision < revision:
                    self._adopt_base(_Base(segment, revision))
                    self._index, self._revision = None, -1  # the next search catches up from the new base
            log.info(
                "search index rebuilt in the background: %d items (catalog revision %d)",
                len(segment),
                revision,
            )
            self._save(segment, revision)
        finally:
            self._rebuilding = False

    def _save(self, segment: Segment, revision: int) -> None:
        try:
            token = self.store.save(segment, revision)
        except OSError as exc:
            log.warning(
                "search index not saved to %s (%s); it is built again at the next start", self.store.path, exc
            )
            return
        if self._write is not None:
            self._write(lambda: self.store.adopt(token, revision))
            return
        try:
            self.store.adopt(token, revision)
        except sqlite3.Error as exc:  # busy or damaged: the search goes on, the file is built again next time
            log.warning("saved search index not recorded in the database (%s)", exc)
