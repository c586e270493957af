"""A citizen's ways through the touch UI: search, browse, read a guide, preview it for printing."""

from __future__ import annotations

from pathlib import Path

from ui_support import (
    PIN,
    item,
    scene_rect,
    settle,
    shows_text,
    tap,
    type_text,
    wait_for,
)

from kiosk.ui.shell.navigator import HOME


def test_home_offers_only_the_ways_in_that_exist(kiosk):
    for tile in ("departmentsTile", "categoriesTile", "themesTile", "searchTile"):
        assert item(kiosk, tile).isVisible()
    assert shows_text(kiosk, "您好！请问您要办理什么事？")
    assert shows_text(kiosk, "QY-QC-0001")  # the terminal id, small, in the footer
    assert not shows_text(kiosk, "事项目录暂未加载")


def test_search_sbk_ranks_the_social_security_card_first_then_guide_and_print_preview(kiosk, qtbot):
    tap(kiosk, "homeSearchEntry", qtbot)
    assert kiosk.navigator.current == "search"
    field = item(kiosk, "searchField")
    wait_for(qtbot, lambda: field.hasActiveFocus())

    type_text(kiosk, "sbk")
    wait_for(qtbot, lambda: kiosk.search.state == "ready" and kiosk.search.shownQuery == "sbk")
    names = [hit.name for hit in kiosk.search.results.rows()]
    assert names[0] == "社保卡"  # the exact initials match first
    assert {"社保卡补换卡", "社保卡挂失", "社保卡启用"} <= set(names[:5])
    assert all(hit.department for hit in kiosk.search.results.rows())  # rows show the department too

    settle(kiosk, qtbot)
    tap(kiosk, "resultRow_0", qtbot)
    assert kiosk.navigator.current == "guide"
    wait_for(qtbot, lambda: kiosk.guide.state == "ready")
    assert kiosk.guide.name == "社保卡"
    assert [m["name"] for m in kiosk.guide.materials] == ["居民身份证原件", "一寸近期免冠彩色照片"]
    assert kiosk.guide.materials[0]["required"] and not kiosk.guide.materials[1]["required"]
    assert kiosk.guide.qrSource.startswith("image://qr/")
    settle(kiosk, qtbot)
    assert (
        shows_text(kiosk, "居民身份证原件")
        and shows_text(kiosk, "必须提供")
        and shows_text(kiosk, "按需提供")
    )

    tap(kiosk, "printPreviewButton", qtbot)
    assert kiosk.navigator.current == "preview"
    wait_for(qtbot, lambda: kiosk.preview.state == "ready", 30_000)
    assert kiosk.preview.pageCount >= 1
    pdf = kiosk.preview.document_path()
    assert pdf is not None and pdf.exists() and pdf.parent == kiosk.settings.data_dir / "tmp"
    wait_for(qtbot, lambda: item(kiosk, "previewPage_0").property("loaded") is True, 30_000)
    assert item(kiosk, "previewPage_0").height() > 1000  # an A4 page at nearly full width

    tap(kiosk, "backButton", qtbot)  # leaving the preview deletes its PDF
    assert kiosk.navigator.current == "guide"
    wait_for(qtbot, lambda: not pdf.exists())


def test_search_without_results_helps_with_initials(kiosk, qtbot):
    kiosk.search.show()
    settle(kiosk, qtbot)
    type_text(kiosk, "qqxxzz")
    wait_for(qtbot, lambda: kiosk.search.state == "ready" and kiosk.search.shownQuery == "qqxxzz")
    assert kiosk.search.results.count == 0
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "没有找到“qqxxzz”相关的事项")
    assert shows_text(kiosk, "sbk")


def test_only_the_newest_search_is_shown_while_typing(kiosk, qtbot):
    kiosk.search.show()
    for text in ("s", "sh", "she", "di", "dib", "dibao"):
        kiosk.search.setProperty("query", text)
    wait_for(qtbot, lambda: kiosk.search.state == "ready")
    qtbot.wait(300)
    assert kiosk.search.shownQuery == "dibao"
    assert kiosk.search.results.rows()[0].name == "最低生活保障申请"


def test_the_keyboard_never_covers_the_search_field_or_the_first_results(kiosk, qtbot):
    kiosk.search.show()
    settle(kiosk, qtbot)
    wait_for(qtbot, lambda: bool(kiosk.root_property("keyboardVisible")))
    type_text(kiosk, "sbk")
    wait_for(qtbot, lambda: kiosk.search.state == "ready")
    settle(kiosk, qtbot)
    keyboard_top = item(kiosk, "keyboardLoader").y()
    assert keyboard_top < kiosk.window.height()
    _, field_y, _, field_h = scene_rect(item(kiosk, "searchField"))
    assert field_y + field_h <= keyboard_top
    _, row_y, _, row_h = scene_rect(item(kiosk, "resultRow_0"))
    assert row_y + row_h <= keyboard_top
    _, list_y, _, list_h = scene_rect(item(kiosk, "searchResults"))
    assert list_y + list_h <= keyboard_top + 1  # the screen ends at the keyboard's top edge


def test_browse_by_department_category_and_theme(kiosk, qtbot):
    tap(kiosk, "departmentsTile", qtbot)
    assert kiosk.navigator.current == "facets"
    wait_for(qtbot, lambda: kiosk.browser.facetsState == "ready")
    departments = {f.label: f.count for f in kiosk.browser.facets.rows()}
    assert departments == {"市人力资源和社会保障局": 7, "市民政局": 2, "市公安局": 2, "市卫生健康局": 1}

    settle(kiosk, qtbot)
    labels = [f.label for f in kiosk.browser.facets.rows()]
    tap(kiosk, f"facetRow_{labels.index('市民政局')}", qtbot)
    assert kiosk.navigator.current == "items"
    wait_for(qtbot, lambda: kiosk.browser.itemsState == "ready")
    assert {i.name for i in kiosk.browser.items.rows()} == {"最低生活保障申请", "临时救助申请"}
    assert shows_text(kiosk, "共 2 个事项")

    kiosk.navigator.home()
    settle(kiosk, qtbot)
    tap(kiosk, "categoriesTile", qtbot)
    wait_for(qtbot, lambda: kiosk.browser.facetsState == "ready")
    categories = {f.label: f.count for f in kiosk.browser.facets.rows()}
    assert categories["婚姻生育"] == 2 and categories["民政救助"] == 2
    kiosk.browser.showItems("婚姻生育", "婚姻生育")
    wait_for(qtbot, lambda: kiosk.browser.itemsState == "ready")
    assert {i.name for i in kiosk.browser.items.rows()} == {"出生登记", "生育登记"}

    kiosk.navigator.home()
    settle(kiosk, qtbot)
    tap(kiosk, "themesTile", qtbot)
    wait_for(qtbot, lambda: kiosk.browser.facetsState == "ready")
    assert {f.label for f in kiosk.browser.facets.rows()} == {"新生儿出生一件事", "退休一件事"}
    kiosk.browser.showItems("新生儿出生一件事", "新生儿出生一件事")
    wait_for(qtbot, lambda: kiosk.browser.itemsState == "ready")
    assert {i.name for i in kiosk.browser.items.rows()} == {"出生登记", "生育登记"}
    settle(kiosk, qtbot)
    tap(kiosk, "itemRow_0", qtbot)
    wait_for(qtbot, lambda: kiosk.guide.state == "ready")
    assert kiosk.guide.name in {"出生登记", "生育登记"}


def test_back_and_home_are_on_every_screen_and_leaving_clears_the_screen(kiosk, qtbot):
    kiosk.browser.showFacets("department")
    wait_for(qtbot, lambda: kiosk.browser.facetsState == "ready")
    kiosk.browser.showItems("GA", "市公安局")
    wait_for(qtbot, lambda: kiosk.browser.itemsState == "ready")
    kiosk.guide.show("GA-001")
    wait_for(qtbot, lambda: kiosk.guide.state == "ready")
    settle(kiosk, qtbot)
    for screen in ("guide", "items", "facets"):
        assert kiosk.navigator.current == screen
        assert item(kiosk, "backButton").isVisible() and item(kiosk, "homeButton").isVisible()
        tap(kiosk, "backButton", qtbot)
    assert kiosk.navigator.current == HOME
    assert kiosk.browser.items.count == 0 and kiosk.browser.facets.count == 0
    assert kiosk.guide.state == "idle"


def test_an_item_without_online_handling_says_so(kiosk, qtbot):
    kiosk.guide.show("GA-001")
    wait_for(qtbot, lambda: kiosk.guide.state == "ready")
    settle(kiosk, qtbot)
    assert kiosk.guide.qrSource == ""
    assert shows_text(kiosk, "本事项暂时不能在网上办理")


def test_an_item_gone_from_the_catalog_is_explained(kiosk, qtbot):
    kiosk.guide.show("NO-SUCH-ITEM")
    wait_for(qtbot, lambda: kiosk.guide.state == "missing")
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "这个事项已经调整")


def test_a_failing_service_shows_a_plain_message_and_logs_the_detail(kiosk, qtbot, monkeypatch, caplog):
    def broken(*_args: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(kiosk.terminal.catalog, "search", broken)
    kiosk.search.show()
    kiosk.search.setProperty("query", "sbk")
    wait_for(qtbot, lambda: kiosk.search.state == "error")
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "搜索暂时出了点问题")
    assert shows_text(kiosk, "E-SEARCH")
    assert not shows_text(kiosk, "disk I/O error")
    assert "disk I/O error" in caplog.text


def test_leftover_preview_files_from_a_crash_are_removed_at_start(qapp, qtbot, catalog_terminal, ui_settings):
    from ui_support import build_ui, close_ui

    tmp = ui_settings.data_dir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    leftover = Path(tmp / "guide-preview-crashed.pdf")
    leftover.write_bytes(b"%PDF-1.4")
    ui = build_ui(catalog_terminal, ui_settings)
    try:
        wait_for(qtbot, lambda: not leftover.exists())
    finally:
        close_ui(ui, qtbot)


def test_the_pin_used_in_these_tests_is_not_the_demo_pin():
    assert PIN != "246810"
