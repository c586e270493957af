"""Searching the catalog as the citizen types: Chinese, full pinyin, initials (sbk → 社保卡) or a mix.

Each keystroke restarts a short debounce; the search then runs on a worker and only the newest answer is shown,
so a slow search for "s" can never overwrite the results for "sbk".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.services.background import Background
from kiosk.services.usage import events as usage
from kiosk.ui.shell.list_models import ValueListModel
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:  # types only: the cache's modules load after the first frame
    from kiosk.services.catalog.service import CatalogService, SearchResult

log = logging.getLogger(__name__)

DEBOUNCE_MS = 150
RESULT_LIMIT = 50  # results shown at first; 再显示 adds as many again
MAX_QUERY_LENGTH = 40

# idle: nothing typed; searching: a search for the current text is on its way; ready: results shown; error.
IDLE, SEARCHING, READY, ERROR = "idle", "searching", "ready", "error"


def normalise_query(text: str) -> str:
    """What the citizen typed, as the search wants it: pinyin separators from the input method dropped."""
    return text.replace("'", "").strip()[:MAX_QUERY_LENGTH]


class SearchScreen(QObject):
    queryChanged = Signal()
    stateChanged = Signal()
    resultChanged = Signal()
    scopeChanged = Signal()

    def __init__(
        self,
        catalog: CatalogService,
        background: Background,
        navigator: Navigator,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._background = background
        self._navigator = navigator
        self._query = ""
        self._state = IDLE
        self._total = 0
        self._truncated = False
        self._shown_query = ""
        self._limit = RESULT_LIMIT
        self._scope: tuple[str, str] | None = None  # search within one department, category or theme
        self._scope_label = ""
        self._results = ValueListModel(("code", "name", "department", "match"), self)
        self._call: BackgroundCall | None = None
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search_now)
        navigator.left.connect(self._on_screen_left)

    # --- what QML reads and writes -----------------------------------------------------------------------

    def _get_query(self) -> str:
        return self._query

    def _set_query(self, text: str) -> None:
        if text == self._query:
            return
        self._query = text
        self.queryChanged.emit()
        if not normalise_query(text):
            self._cancel()
            self._debounce.stop()
            self._show(None)
            return
        self._limit = RESULT_LIMIT  # new words: the best results first again
        self._set_state(SEARCHING)
        self._debounce.start()

    query = Property(str, _get_query, _set_query, notify=queryChanged)

    @Property(QObject, constant=True)
    def results(self) -> ValueListModel:
        return self._results

    @Property(str, notify=stateChanged)
    def state(self) -> str:
        return self._state

    @Property(int, notify=resultChanged)
    def total(self) -> int:
        return self._total

    @Property(bool, notify=resultChanged)
    def truncated(self) -> bool:
        return self._truncated

    @Property(str, notify=resultChanged)
    def shownQuery(self) -> str:
        """The text the shown results answer (lags ``query`` by one debounce while the citizen types)."""
        return self._shown_query

    @Property(str, notify=scopeChanged)
    def scopeLabel(self) -> str:
        """The department, category or theme searched within; empty when the whole catalog is searched."""
        return self._scope_label

    @Property(bool, notify=resultChanged)
    def hasMore(self) -> bool:
        """More items matched than are shown (再显示 shows the next ones)."""
        return self._results.count < self._total

    @Property(int, notify=resultChanged)
    def moreCount(self) -> int:
        """How many more 再显示 shows."""
        return max(0, min(RESULT_LIMIT, self._total - self._results.count))

    # --- actions -----------------------------------------------------------------------------------------

    @Slot()
    def show(self) -> None:
        self._navigator.push("search")

    @Slot(str, str, str)
    def showWithin(self, kind: str, key: str, label: str) -> None:
        """Search only the items of one department, category or theme (from its list)."""
        self._set_scope((kind, key), label)
        self._navigator.push("search")

    @Slot()
    def searchEverything(self) -> None:
        """Drop the scope: search the whole catalog for what is typed."""
        self._set_scope(None, "")
        self.retry()

    @Slot()
    def showMore(self) -> None:
        """Show the next results of the same search, after those shown."""
        if self._state == READY and self._results.count < self._total:
            self._limit += RESULT_LIMIT
            self._search_now()

    @Slot()
    def retry(self) -> None:
        if normalise_query(self._query):
            self._search_now()

    def clear(self) -> None:
        if self._state == READY and not self._total and self._shown_query:
            usage.search_found_nothing(self._shown_query)  # scrubbed, once a session (docs/usage.md)
        self._cancel()
        self._debounce.stop()
        if self._query:
            self._query = ""
            self.queryChanged.emit()
        self._set_scope(None, "")
        self._show(None)

    def _set_scope(self, scope: tuple[str, str] | None, label: str) -> None:
        if (scope, label) != (self._scope, self._scope_label):
            self._scope, self._scope_label = scope, label
            self.scopeChanged.emit()

    # --- searching ---------------------------------------------------------------------------------------

    def _search_now(self) -> None:
        query = normalise_query(self._query)
        if not query:
            return
        self._cancel()
        self._set_state(SEARCHING)
        future = self._background.run(self._catalog.search, query, self._limit, self._scope)
        self._call = run_in_background(future, self._on_result, self._on_failed, parent=self)

    def _on_result(self, result: SearchResult) -> None:
        self._call = None
        if result.query != normalise_query(self._query):
            return  # the citizen typed on; a newer search is on its way
        self._show(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._call = None
        # What the citizen typed stays out of the log: it may be a name or another personal detail.
        log.error("search failed (E-SEARCH, %d characters typed): %s", len(self._query), exc)
        usage.error_shown("E-SEARCH")
        self._set_state(ERROR)

    def _show(self, result: SearchResult | None) -> None:
        self._results.replace(result.hits if result else ())
        self._total = result.total if result else 0
        self._truncated = result.truncated if result else False
        self._shown_query = result.query if result else ""
        self.resultChanged.emit()
        self._set_state(READY if result else IDLE)

    def _cancel(self) -> None:
        if self._call is not None:
            self._call.cancel()
            self._call = None

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit()

    def _on_screen_left(self, screen: str) -> None:
        if screen == "search":
            self.clear()
