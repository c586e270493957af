"""Browsing the catalog: departments, categories or 一件事 themes, then the items of the one the citizen picked."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.services.background import Background
from kiosk.ui.list_models import ValueListModel
from kiosk.ui.navigator import Navigator
from kiosk.ui.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:  # types only: the cache's modules load after the first frame
    from kiosk.services.catalog import CatalogService

log = logging.getLogger(__name__)

KINDS = ("department", "category", "theme")

# Load states a screen shows: loading (a quiet spinner after a moment), ready, error (a plain message + retry).
IDLE, LOADING, READY, ERROR = "idle", "loading", "ready", "error"


class CatalogBrowser(QObject):
    kindChanged = Signal()
    facetsStateChanged = Signal()
    itemsStateChanged = Signal()
    selectionChanged = Signal()

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
        self._load_items()
        self._navigator.push("items")

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
        self._set_facets_state(ERROR)

    def _load_items(self) -> None:
        if self._items_call is not None:
            self._items_call.cancel()
        self._set_items_state(LOADING)
        self._items_call = run_in_background(
            self._background.run(self._catalog.items_in, self._kind, self._key),
            self._on_items,
            self._on_items_failed,
            parent=self,
        )

    def _on_items(self, items: list) -> None:
        self._items_call = None
        self._items.replace(items)
        self._set_items_state(READY)

    def _on_items_failed(self, exc: BaseException) -> None:
        self._items_call = None
        log.error("cannot list the items of %s %s (E-BROWSE): %s", self._kind, self._key, exc)
        self._set_items_state(ERROR)

    def _set_facets_state(self, state: str) -> None:
        if state != self._facets_state:
            self._facets_state = state
            self.facetsStateChanged.emit()

    def _set_items_state(self, state: str) -> None:
        if state != self._items_state:
            self._items_state = state
            self.itemsStateChanged.emit()

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
        self._key = self._label = ""
        self.selectionChanged.emit()
        self._set_items_state(IDLE)

    def _clear_facets(self) -> None:
        if self._facets_call is not None:
            self._facets_call.cancel()
            self._facets_call = None
        self._facets.clear()
        self._set_facets_state(IDLE)
