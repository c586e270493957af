"""Browsing the catalog: departments, categories or 一件事 themes, then the items of the one the citizen picked."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.services.background import Background
from kiosk.services.usage import events as usage
from kiosk.ui.shell.list_models import ValueListModel
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:  # types only: the cache's modules load after the first frame
    from kiosk.services.catalog.service import CatalogService

log = logging.getLogger(__name__)

KINDS = ("department", "category", "theme")

# A list longer than this offers to narrow it: by department (a category's or theme's items) or by category (a
# department's), chosen from big rows, no typing; and a search within it. Shorter lists fit a few pages.
NARROW_FROM = 30

# Load states a screen shows: loading (a quiet spinner after a moment), ready, error (a plain message + retry).
IDLE, LOADING, READY, ERROR = "idle", "loading", "ready", "error"


class CatalogBrowser(QObject):
    kindChanged = Signal()
    facetsStateChanged = Signal()
    itemsStateChanged = Signal()
    selectionChanged = Signal()
    narrowingChanged = Signal()

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
        self._kind = KINDS[0]
        self._key = ""
        self._label = ""
        self._facets_state = IDLE
        self._items_state = IDLE
        self._facets = ValueListModel(("key", "label", "count"), self)
        self._items = ValueListModel(("code", "name", "department", "handling_type"), self)
        self._parts = ValueListModel(("key", "label", "count"), self)
        self._total = 0  # items in the whole list, narrowed or not
        self._part_key = ""
        self._part_label = ""
        self._facets_call: BackgroundCall | None = None
        self._items_call: BackgroundCall | None = None
        navigator.left.connect(self._on_screen_left)

    # --- what QML reads ----------------------------------------------------------------------------------

    @Property(str, notify=kindChanged)
    def kind(self) -> str:
        return self._kind

    @Property(QObject, constant=True)
    def facets(self) -> ValueListModel:
        return self._facets

    @Property(QObject, constant=True)
    def items(self) -> ValueListModel:
        return self._items

    @Property(str, notify=facetsStateChanged)
    def facetsState(self) -> str:
        return self._facets_state

    @Property(str, notify=itemsStateChanged)
    def itemsState(self) -> str:
        return self._items_state

    @Property(str, notify=selectionChanged)
    def selectedKey(self) -> str:
        return self._key

    @Property(str, notify=selectionChanged)
    def selectedLabel(self) -> str:
        return self._label

    @Property(QObject, constant=True)
    def parts(self) -> ValueListModel:
        """How the list narrows (departments of a category or theme, categories of a department)."""
        return self._parts

    @Property(str, notify=narrowingChanged)
    def partKind(self) -> str:
        """``department`` or ``category``: what the list narrows by; empty while it is not offered."""
        if self._parts.count == 0:
            return ""
        return "category" if self._kind == "department" else "department"

    @Property(int, notify=narrowingChanged)
    def itemsTotal(self) -> int:
        return self._total

    @Property(bool, notify=narrowingChanged)
    def longList(self) -> bool:
        """Whether the list is long enough to offer narrowing and a search within it."""
        return self._total > NARROW_FROM

    @Property(str, notify=narrowingChanged)
    def partKey(self) -> str:
        return self._part_key

    @Property(str, notify=narrowingChanged)
    def partLabel(self) -> str:
        """The department or category the list is narrowed to; empty for the whole list."""
        return self._part_label

    # --- what the citizen does ---------------------------------------------------------------------------

    @Slot(str)
    def showFacets(self, kind: str) -> None:
        """Open the list of departments, categories or themes."""
        if kind not in KINDS:
            raise ValueError(f"unknown browse kind {kind!r}")
        if self._kind != kind:
            self._kind = kind
            self._facets.clear()
            self.kindChanged.emit()
        self._load_facets()
        self._navigator.push("facets")

    @Slot(str, str)
    def showItems(self, key: str, label: str) -> None:
        """Open the items of one department, category or theme."""
        self._key, self._label = key, label
        self.selectionChanged.emit()
        self._items.clear()
        self._set_part("", "")
        self._parts.clear()
        self._total = 0
        self.narrowingChanged.emit()
        self._load_items()
        self._navigator.push("items")

    @Slot()
    def showParts(self) -> None:
        """Open the choice of departments (or categories) to narrow the list to."""
        if self._parts.count:
            self._navigator.push("narrow")

    @Slot(str, str)
    def narrowTo(self, key: str, label: str) -> None:
        """Show only the items of one department (or category) of the list; an empty key shows them all."""
        if self._navigator.current == "narrow":
            self._navigator.back()
        if key == self._part_key:
            return
        self._set_part(key, label)
        self._load_items()

    @Slot()
    def retryFacets(self) -> None:
        self._load_facets()

    @Slot()
    def retryItems(self) -> None:
        self._load_items()

    def clear(self) -> None:
        self._clear_items()
        self._clear_facets()

    # --- loading -----------------------------------------------------------------------------------------

    def _load_facets(self) -> None:
        if self._facets_call is not None:
            self._facets_call.cancel()
        lister = {
            "department": self._catalog.departments,
            "category": self._catalog.categories,
            "theme": self._catalog.themes,
        }[self._kind]
        self._set_facets_state(LOADING)
        self._facets_call = run_in_background(
            self._background.run(lister), self._on_facets, self._on_facets_failed, parent=self
        )

    def _on_facets(self, facets: list) -> None:
        self._facets_call = None
        self._facets.replace(facets)
        self._set_facets_state(READY)

    def _on_facets_failed(self, exc: BaseException) -> None:
        self._facets_call = None
        log.error("cannot list %s facets (E-BROWSE): %s", self._kind, exc)
        usage.error_shown("E-BROWSE")
        self._set_facets_state(ERROR)

    def _load_items(self) -> None:
        if self._items_call is not None:
            self._items_call.cancel()
        self._set_items_state(LOADING)
        first = self._parts.count == 0 and not self._part_key
        self._items_call = run_in_background(
            self._background.run(_list_items, self._catalog, self._kind, self._key, self._part_key, first),
            self._on_items,
            self._on_items_failed,
            parent=self,
        )

    def _on_items(self, loaded: tuple[list, list | None]) -> None:
        self._items_call = None
        items, parts = loaded
        if parts is not None:  # the whole list, read first: how it narrows comes with it
            self._total = len(items)
            useful = [p for p in parts if p.count < len(items)]  # a part holding every item narrows nothing
            self._parts.replace(useful if len(items) > NARROW_FROM else ())
            self.narrowingChanged.emit()
        self._items.replace(items)
        self._set_items_state(READY)

    def _on_items_failed(self, exc: BaseException) -> None:
        self._items_call = None
        log.error("cannot list the items of %s %s (E-BROWSE): %s", self._kind, self._key, exc)
        usage.error_shown("E-BROWSE")
        self._set_items_state(ERROR)

    def _set_facets_state(self, state: str) -> None:
        if state != self._facets_state:
            self._facets_state = state
            self.facetsStateChanged.emit()

    def _set_items_state(self, state: str) -> None:
        if state != self._items_state:
            self._items_state = state
            self.itemsStateChanged.emit()

    def _set_part(self, key: str, label: str) -> None:
        if (key, label) != (self._part_key, self._part_label):
            self._part_key, self._part_label = key, label
            self.narrowingChanged.emit()

    def _on_screen_left(self, screen: str) -> None:
        if screen == "items":
            self._clear_items()
        elif screen == "facets":
            self._clear_facets()

    def _clear_items(self) -> None:
        if self._items_call is not None:
            self._items_call.cancel()
            self._items_call = None
        self._items.clear()
        self._parts.clear()
        self._total = 0
        self._part_key = self._part_label = ""
        self.narrowingChanged.emit()
        self._key = self._label = ""
        self.selectionChanged.emit()
        self._set_items_state(IDLE)

    def _clear_facets(self) -> None:
        if self._facets_call is not None:
            self._facets_call.cancel()
            self._facets_call = None
        self._facets.clear()
        self._set_facets_state(IDLE)


def _list_items(
    catalog: CatalogService, kind: str, key: str, part: str, with_parts: bool
) -> tuple[list, list | None]:
    """On a worker: the items of the list (narrowed to ``part``), and how the list narrows when asked."""
    items = catalog.items_in(kind, key, part)
    return items, (catalog.parts(kind, key) if with_parts else None)
