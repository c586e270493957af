"""Long lists on the demo catalog: the pager keeps its page across a guide and back, a long list can be
narrowed by department (or category) without typing, or searched within, and search shows more than its first
results."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, Qt
from ui_support import build_ui, close_ui, find_item, item, settle, shows_text, tap, wait_for

from kiosk.config import Settings
from kiosk.roles.kiosk.app import KioskUi
from kiosk.services.catalog.demo import generate_catalog
from kiosk.services.terminal import Terminal

BIG = "企业开办"  # the demo catalog's longest category


@pytest.fixture
def demo_terminal(terminal: Terminal) -> Terminal:
    terminal.catalog.import_document(generate_catalog(1500))
    return terminal


@pytest.fixture
def long_ui(qapp, qtbot, demo_terminal: Terminal, ui_settings: Settings) -> Iterator[KioskUi]:
    ui = build_ui(demo_terminal, ui_settings)
    settle(ui, qtbot)
    yield ui
    close_ui(ui, qtbot)


def open_category(ui: KioskUi, qtbot: Any, label: str = BIG) -> None:
    ui.browser.showFacets("category")
    wait_for(qtbot, lambda: ui.browser.facetsState == "ready")
    ui.browser.showItems(label, label)
    wait_for(qtbot, lambda: ui.browser.itemsState == "ready")
    settle(ui, qtbot)


def pager_page(ui: KioskUi, list_name: str) -> tuple[int, int]:
    pager = find_item(item(ui, list_name), "pager")
    assert pager is not None
    return pager.property("page"), pager.property("pages")


def first_visible_row(ui: KioskUi, list_name: str) -> str:
    view = find_item(item(ui, list_name), "pagedListView")
    assert view is not None
    index = QMetaObject.invokeMethod(
        view,
        "indexAt",
        Qt.ConnectionType.DirectConnection,
        Q_RETURN_ARG("int"),
        Q_ARG("qreal", 10.0),
        Q_ARG("qreal", view.property("contentY") + 10.0),
    )
    return ui.browser.items.row(index).code


def test_the_pager_keeps_its_page_after_a_guide_and_back(long_ui, qtbot):
    ui = long_ui
    open_category(ui, qtbot)
    for _ in range(5):
        tap(ui, "pageDownButton", qtbot)
        qtbot.wait(300)  # the page scroll is animated
    page, pages = pager_page(ui, "itemList")
    row = first_visible_row(ui, "itemList")
    assert 5 <= page < pages

    ui.guide.show(row)
    wait_for(qtbot, lambda: ui.guide.state == "ready")
    settle(ui, qtbot)
    tap(ui, "backButton", qtbot)
    qtbot.wait(300)
    assert ui.navigator.current == "items"
    assert pager_page(ui, "itemList") == (page, pages)
    assert first_visible_row(ui, "itemList") == row
    tap(ui, "pageDownButton", qtbot)
    qtbot.wait(300)
    assert pager_page(ui, "itemList") == (page + 1, pages)


def test_a_long_category_narrows_by_department_without_typing(long_ui, qtbot):
    ui = long_ui
    open_category(ui, qtbot)
    total = ui.browser.items.count
    assert total > 300 and ui.browser.itemsTotal == total
    assert shows_text(ui, f"共 {total} 个事项")

    tap(ui, "narrowButton", qtbot)
    assert ui.navigator.current == "narrow"
    parts = ui.browser.parts.rows()
    assert len(parts) >= 5 and sum(p.count for p in parts) == total  # each item has one department
    assert all(p.count < total for p in parts)
    assert shows_text(ui, parts[0].label)

    tap(ui, "partRow_1", qtbot)
    wait_for(qtbot, lambda: ui.browser.itemsState == "ready")
    settle(ui, qtbot)
    assert ui.navigator.current == "items"
    assert ui.browser.partLabel == parts[1].label
    assert ui.browser.items.count == parts[1].count
    assert {row.department for row in ui.browser.items.rows()} == {parts[1].label}
    assert shows_text(ui, f"{parts[1].label}：{parts[1].count} 个事项（全部 {total} 个）")

    # A guide and back keep the narrowed list; 显示全部 brings the whole list back.
    tap(ui, "itemRow_0", qtbot)
    wait_for(qtbot, lambda: ui.guide.state == "ready")
    tap(ui, "backButton", qtbot)
    assert ui.browser.items.count == parts[1].count
    tap(ui, "showAllButton", qtbot)
    wait_for(qtbot, lambda: ui.browser.itemsState == "ready" and ui.browser.items.count == total)
    assert ui.browser.partLabel == ""


def test_a_department_narrows_by_category_and_short_lists_do_not_offer_it(long_ui, qtbot):
    ui = long_ui
    ui.browser.showFacets("department")
    wait_for(qtbot, lambda: ui.browser.facetsState == "ready")
    facets = ui.browser.facets.rows()
    biggest = max(facets, key=lambda f: f.count)
    smallest = min(facets, key=lambda f: f.count)
    ui.browser.showItems(biggest.key, biggest.label)
    wait_for(qtbot, lambda: ui.browser.itemsState == "ready")
    assert ui.browser.partKind == "category"
    assert all(p.count < biggest.count for p in ui.browser.parts.rows())
    part = ui.browser.parts.row(0)
    ui.browser.narrowTo(part.key, part.label)
    wait_for(qtbot, lambda: ui.browser.itemsState == "ready" and ui.browser.items.count == part.count)

    ui.navigator.back()
    assert smallest.count <= 30
    ui.browser.showItems(smallest.key, smallest.label)
    wait_for(qtbot, lambda: ui.browser.itemsState == "ready")
    settle(ui, qtbot)
    assert ui.browser.partKind == "" and not item(ui, "itemTools").isVisible()


def test_searching_within_a_long_list_finds_only_its_items(long_ui, qtbot):
    ui = long_ui
    open_category(ui, qtbot)
    members = {row.code for row in ui.browser.items.rows()}
    tap(ui, "searchWithinButton", qtbot)
    assert ui.navigator.current == "search"
    assert shows_text(ui, f"只在“{BIG}”里找")
    ui.search.query = "fp"  # 发票…
    wait_for(qtbot, lambda: ui.search.state == "ready" and ui.search.shownQuery == "fp")
    within = [hit.code for hit in ui.search.results.rows()]
    assert within and set(within) <= members

    tap(ui, "searchEverythingButton", qtbot)
    wait_for(qtbot, lambda: ui.search.state == "ready" and ui.search.scopeLabel == "")
    assert ui.search.total >= len(within)
    tap(ui, "backButton", qtbot)
    assert ui.navigator.current == "items" and ui.browser.items.count == len(members)


def test_search_shows_how_many_matched_and_the_rest_on_request(long_ui, qtbot):
    ui = long_ui
    ui.search.show()
    settle(ui, qtbot)
    ui.search.query = "sb"
    wait_for(qtbot, lambda: ui.search.state == "ready" and ui.search.shownQuery == "sb")
    settle(ui, qtbot)
    total = ui.search.total
    assert total > 100 and ui.search.results.count == 50 and ui.search.hasMore
    assert shows_text(ui, f"找到 {total} 个相关事项，已显示最相关的 50 个")
    first = [hit.code for hit in ui.search.results.rows()]

    view = find_item(item(ui, "searchResults"), "pagedListView")
    for _ in range(3):  # to the end of the list (a list view learns its height as it shows its rows)
        view.setProperty(
            "contentY", view.property("originY") + view.property("contentHeight") - view.height()
        )
        settle(ui, qtbot)
    tap(ui, "moreResultsButton", qtbot)
    wait_for(qtbot, lambda: ui.search.state == "ready" and ui.search.results.count == 100)
    assert [hit.code for hit in ui.search.results.rows()][:50] == first  # the same first 50, then the next
    assert len({hit.code for hit in ui.search.results.rows()}) == 100
    assert view.property("contentY") > 0  # the place is kept
