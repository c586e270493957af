"""What changed is announced once and heard where it matters: a catalog import announces ``catalog``, and the home
screen's counts follow it at once, wherever the citizen is (no polling, no reading again on coming home)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SMALL_ITEMS, catalog_document, make_item
from ui_support import build_ui, close_ui

from kiosk.services.changes import CATALOG, NOTICES, Change, Changes


def test_listeners_hear_their_topics_and_a_failing_one_stops_no_other() -> None:
    changes = Changes()
    heard: list[Change] = []
    changes.subscribe(lambda change: 1 / 0)
    stop = changes.subscribe(heard.append, topics=[CATALOG])
    changes.announce(NOTICES, count=2)
    changes.announce(CATALOG, count=3)
    assert heard == [Change(CATALOG, None, 3)]
    stop()
    changes.announce(CATALOG)
    assert len(heard) == 1
    with pytest.raises(ValueError):
        changes.announce("weather")
    with pytest.raises(ValueError):
        changes.subscribe(heard.append, topics=["weather"])


def test_an_import_that_changes_the_catalog_announces_it(terminal: Any) -> None:
    heard: list[Change] = []
    terminal.changes.subscribe(heard.append)
    terminal.catalog.import_document(catalog_document())
    assert [change.topic for change in heard] == [CATALOG] and heard[0].count == len(SMALL_ITEMS)
    terminal.catalog.import_document(catalog_document())  # the same catalog again: nothing changed
    assert len(heard) == 1


def test_the_home_counts_follow_a_catalog_change_without_going_home(
    qapp, qtbot, catalog_terminal, ui_settings
):
    ui = build_ui(catalog_terminal, ui_settings)
    qtbot.waitUntil(lambda: ui.app_state.itemCount == len(SMALL_ITEMS), timeout=10_000)
    ui.search.show()  # the citizen is searching, not at home
    more = [*SMALL_ITEMS, make_item("11440100MB2C99999Z", "新增的事项")]
    catalog_terminal.background.run(catalog_terminal.catalog.import_document, catalog_document(more)).result()
    qtbot.waitUntil(lambda: ui.app_state.itemCount == len(more), timeout=10_000)
    assert ui.navigator.current == "search"
    close_ui(ui, qtbot)
