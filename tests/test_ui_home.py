"""The home screen: the catalog's ways in and, in a group of their own, the citizen's transactions (办理业务),
all on one screen in either orientation."""

from __future__ import annotations

import pytest
from ui_support import (
    LANDSCAPE,
    PORTRAIT,
    build_ui,
    close_ui,
    item,
    scene_rect,
    settle,
    shows_text,
    tap,
    wait_for,
)

from kiosk.ui.shell.paths import icons_dir

CATALOG_TILES = ("departmentsTile", "categoriesTile", "themesTile", "searchTile")
TRANSACTIONS = {
    "formsTile": ("自助填表", "身份证自动填写，打印提交"),
    "progressTile": ("办件进度", "查询已提交事项的办理进度"),
    "ratingTile": ("服务评价", "对办事服务进行评价"),
}


def test_the_home_screen_offers_the_three_transactions(kiosk):
    assert shows_text(kiosk, "办理业务")
    for name, (title, description) in TRANSACTIONS.items():
        tile = item(kiosk, name)
        assert tile.isVisible()
        assert tile.property("text") == title
        assert shows_text(kiosk, title) and shows_text(kiosk, description)
        icon = tile.property("iconName")
        assert icon and (icons_dir() / f"{icon}.svg").is_file()
    assert len({item(kiosk, name).property("iconName") for name in TRANSACTIONS}) == 3


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_the_home_screen_fits_one_screen_without_scrolling(qapp, qtbot, catalog_terminal, ui_settings, size):
    ui = build_ui(catalog_terminal, ui_settings, size)
    try:
        wait_for(qtbot, lambda: ui.app_state.catalogState == "ready")
        settle(ui, qtbot)
        page = item(ui, "homeFlickable")
        assert page.property("contentHeight") <= page.height()
        for name in (*CATALOG_TILES, *TRANSACTIONS):
            x, y, w, h = scene_rect(item(ui, name))
            assert x >= 0 and y >= 0 and x + w <= ui.window.width() and y + h <= ui.window.height(), name
        _, tiles_y, _, tiles_h = scene_rect(item(ui, "themesTile"))
        tasks_x, tasks_y, tasks_w, _ = scene_rect(item(ui, "formsTile"))
        catalog_x, _, _, _ = scene_rect(item(ui, "departmentsTile"))
        if size == PORTRAIT:
            assert tasks_y >= tiles_y + tiles_h  # below the catalog's tiles
        else:
            assert tasks_x + tasks_w <= catalog_x  # beside them
    finally:
        close_ui(ui, qtbot)


def test_the_transactions_stay_when_the_catalog_is_empty(qapp, qtbot, terminal, ui_settings):
    ui = build_ui(terminal, ui_settings)
    try:
        wait_for(qtbot, lambda: ui.app_state.catalogState == "empty")
        settle(ui, qtbot)
        assert shows_text(ui, "事项目录暂未加载")
        assert not item(ui, "departmentsTile").isVisible()
        for name in TRANSACTIONS:
            assert item(ui, name).isVisible()
    finally:
        close_ui(ui, qtbot)


def test_the_tip_says_what_home_and_finish_do(kiosk, qtbot):
    """首页 forgets what was looked at and keeps the citizen whose card was read; 结束办理 ends the session. The
    tip on the home screen says which to tap."""
    from drivers.idcard.cards import SAMPLES

    wait_for(qtbot, lambda: kiosk.app_state.catalogState == "ready")
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "办完后请点“首页”，您查看过的内容就会清除")

    kiosk.session.begin(SAMPLES["elder"])
    kiosk.guide.show("RS-001")
    wait_for(qtbot, lambda: kiosk.guide.state == "ready")
    settle(kiosk, qtbot)
    tap(kiosk, "homeButton", qtbot)
    assert kiosk.navigator.current == "home"
    assert kiosk.guide.state == "idle"  # what was looked at is forgotten ...
    assert kiosk.session.active and item(kiosk, "sessionBar").isVisible()  # ... the citizen's session is not
    assert shows_text(kiosk, "办完后请点上方的“结束办理”，并取走您的证件；只点“首页”不会结束办理")

    tap(kiosk, "sessionEndButton", qtbot)
    assert not kiosk.session.active
    assert shows_text(kiosk, "办完后请点“首页”，您查看过的内容就会清除")
