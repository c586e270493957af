"""The rating pad (评价器, docs/rating-pad.md) as a citizen at counter 3 meets it: the real hall (``kiosk hall serve``
as a process on 127.0.0.1, reached through a link the test can cut), the pad's real Qt Quick scene offscreen, taps
through QTest. A call shows "正在为 … 号办理"; 办结 shows the five levels; a rating reaches the hall once and a
second is refused; the countdown warns, then leaves the rating with the way to rate later; a lost link says
"正在重新连接…" within 5 s, and a rating given meanwhile is kept on the pad and reaches the hall once it is back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.config import Settings
from kiosk.hall_client import HallClient, HallRefused
from kiosk.protocol import HMAC_SHA256
from kiosk.roles.rating.app import PORTRAIT, PadUi
from kiosk.roles.rating.pad import RatingPad
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.store.hall_credentials import store_hall_credentials
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import find_item, visual_items
from kiosk.ui.shell.tasks import pending_calls
from tests.hall_support import CuttableLink, HallProcess, running_hall

COUNTER = 3


@pytest.fixture
def hall_process(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


@pytest.fixture
def link(hall_process: HallProcess) -> Iterator[CuttableLink]:
    relay = CuttableLink(hall_process.port)
    yield relay
    relay.close()


@pytest.fixture
def desk(hall_process: HallProcess) -> Iterator[HallClient]:
    """Counter 3's own terminal, with 李秀梅 (1003) signed in."""
    client = hall_process.client("3号窗口")
    client.sign_in(COUNTER, "1003", "1234")
    yield client
    client.close()


@pytest.fixture
def pad_settings(settings: Settings, hall_process: HallProcess, link: CuttableLink) -> Settings:
    terminal_id, secret = hall_process.add_terminal("3号窗口评价器")
    enrolled = store_hall_credentials(settings, link.url, terminal_id, HMAC_SHA256, bytes.fromhex(secret))
    return replace(
        enrolled, rating_counter=COUNTER, voice_prompts=False, idle_timeout_s=30, idle_warning_s=10
    )


def build_pad(settings: Settings) -> PadUi:
    app = create_application()
    ui = PadUi(
        LazyTerminal(settings), app, WindowOptions(size=PORTRAIT), settings, thanks_s=1.0, missed_s=1.0
    )
    ui.window.requestActivate()
    return ui


@pytest.fixture
def pad_ui(qapp: QGuiApplication, qtbot: Any, pad_settings: Settings) -> Iterator[PadUi]:
    ui = build_pad(pad_settings)
    qtbot.waitUntil(
        lambda: ui.view_model("pad") is not None and ui.rating_pad.link == "online", timeout=15_000
    )
    yield ui
    qtbot.waitUntil(lambda: pending_calls() == 0, timeout=10_000)
    ui.close()
    ui.terminal.background.shutdown()
    qtbot.wait(20)


# --- looking and touching ----------------------------------------------------------------------------------------


def shown(ui: PadUi, object_name: str) -> QQuickItem | None:
    found = find_item(ui.window.contentItem(), object_name)
    return found if found is not None and found.isVisible() else None


def texts(ui: PadUi) -> str:
    return " ".join(
        str(i.property("text")).replace("\u2060", "")
        for i in visual_items(ui.window.contentItem())
        if i.isVisible() and i.inherits("QQuickText") and i.property("text")
    )


def tap(ui: PadUi, object_name: str) -> None:
    target = shown(ui, object_name)
    assert target is not None, f"{object_name} is not on screen; the screen says: {texts(ui)}"
    top_left = target.mapToScene(QPointF(0, 0))
    centre = QPoint(int(top_left.x() + target.width() / 2), int(top_left.y() + target.height() / 2))
    QTest.mouseClick(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)


def serve_one(hall: HallProcess, desk: HallClient) -> str:
    """A citizen takes a number at the kiosk and counter 3 calls it; returns the number."""
    kiosk = hall.client("1号取号机")
    kiosk.take("SB")
    kiosk.close()
    called = desk.call_next(COUNTER)
    assert called.ticket is not None
    return called.ticket.number


def ratings_in_hall(hall: HallProcess) -> list[tuple[str, int, str]]:
    rows = hall.admin.db.rows(
        "SELECT t.label, r.level, r.source FROM ratings r JOIN tickets t ON t.seq = r.ticket ORDER BY t.seq"
    )
    return [(row["label"], row["level"], row["source"]) for row in rows]


# --- the citizen at the counter ------------------------------------------------------------------------------------


def test_a_call_shows_the_number_served_and_the_finish_asks_for_one_rating_which_reaches_the_hall_once(
    hall_process: HallProcess, desk: HallClient, pad_ui: PadUi, qtbot: Any
) -> None:
    ui, pad = pad_ui, pad_ui.rating_pad
    qtbot.waitUntil(lambda: shown(ui, "padStaffName") is not None, timeout=10_000)
    assert "李秀梅" in texts(ui) and "工号 1003" in texts(ui)

    number = serve_one(hall_process, desk)
    qtbot.waitUntil(lambda: shown(ui, "padServing") is not None, timeout=10_000)
    assert "正在为" in texts(ui) and number in texts(ui) and "号办理" in texts(ui)
    tap(ui, "elderToggle")  # the citizen's choice, for as long as they are at the counter
    qtbot.waitUntil(lambda: ui.app_state.elderMode, timeout=5_000)

    finished = desk.finish(COUNTER).ticket
    assert finished is not None
    qtbot.waitUntil(
        lambda: shown(ui, "padLevel5") is not None and pad.rating.state == "rating", timeout=10_000
    )
    assert all(shown(ui, f"padLevel{level}") is not None for level in (5, 4, 3, 2, 1))
    assert shown(ui, "padCountdown") is not None and "还剩" in texts(ui)
    assert (
        pad.ticketNumber == number and pad.staffName == "李秀梅"
    )  # (elder mode has no room to say them here)

    # 不满意: the reasons first; 提交评价 without one says what is missing.
    tap(ui, "padLevel2")
    qtbot.waitUntil(lambda: shown(ui, "padSubmit") is not None, timeout=5_000)
    assert shown(ui, "padReason_其他") is None  # (words would have to be typed: the phone page takes them)
    tap(ui, "padSubmit")
    qtbot.waitUntil(lambda: "请至少选择一项不满意的原因" in texts(ui), timeout=5_000)
    tap(ui, "padReason_等待时间长")
    qtbot.waitUntil(lambda: pad.rating.flow.view()["selectedReasons"] == ["等待时间长"], timeout=5_000)
    tap(ui, "padSubmit")
    qtbot.waitUntil(lambda: shown(ui, "padThanks") is not None, timeout=10_000)
    assert "感谢您的评价" in texts(ui)
    assert ratings_in_hall(hall_process) == [(number, 2, "pad")]

    # Then the counter again, in the terminal's own display; the same ticket cannot be rated a second time.
    qtbot.waitUntil(lambda: pad.phase == "idle", timeout=10_000)
    assert not ui.app_state.elderMode
    with pytest.raises(HallRefused) as second:
        desk.rate(finished.id, 5)
    assert second.value.code == "already_rated"
    assert ratings_in_hall(hall_process) == [(number, 2, "pad")]


def test_the_countdown_warns_then_leaves_the_rating_with_the_way_to_rate_later(
    hall_process: HallProcess, desk: HallClient, pad_ui: PadUi, qtbot: Any
) -> None:
    ui, pad = pad_ui, pad_ui.rating_pad
    serve_one(hall_process, desk)
    desk.finish(COUNTER)
    qtbot.waitUntil(
        lambda: shown(ui, "padLevel5") is not None and pad.rating.state == "rating", timeout=10_000
    )
    countdown = pad.countdown

    # Near its end it says so; a touch anywhere gives the full time again.
    countdown.backdate(countdown.totalSeconds - 8)
    qtbot.waitUntil(lambda: shown(ui, "padCountdownWarning") is not None, timeout=5_000)
    assert "轻触屏幕任意处，可以继续评价" in texts(ui)
    tap(ui, "padRateTitle")
    qtbot.waitUntil(lambda: shown(ui, "padCountdown") is not None, timeout=5_000)
    assert countdown.secondsLeft == countdown.totalSeconds

    # Untouched, the warning comes first, then the rating is left: the ticket's QR code still takes one.
    countdown.backdate(countdown.totalSeconds - 3)
    seen_warning = False
    for _ in range(600):  # (at most 30 s)
        if pad.phase != "rating":
            break
        seen_warning = seen_warning or shown(ui, "padCountdownWarning") is not None
        qtbot.wait(50)
    assert seen_warning
    assert pad.phase == "missed" and "二维码" in texts(ui)
    qtbot.waitUntil(lambda: pad.phase == "idle", timeout=10_000)
    assert shown(ui, "padStaffName") is not None
    assert ratings_in_hall(hall_process) == []


def test_a_lost_link_says_reconnecting_and_a_rating_given_meanwhile_reaches_the_hall_once_it_is_back(
    hall_process: HallProcess, desk: HallClient, link: CuttableLink, pad_ui: PadUi, qtbot: Any
) -> None:
    ui, pad = pad_ui, pad_ui.rating_pad
    number = serve_one(hall_process, desk)
    desk.finish(COUNTER)
    qtbot.waitUntil(
        lambda: shown(ui, "padLevel5") is not None and pad.rating.state == "rating", timeout=10_000
    )

    link.cut()
    qtbot.waitUntil(lambda: shown(ui, "linkBanner") is not None, timeout=5_000)  # within 5 s
    assert "正在重新连接" in texts(ui)
    tap(ui, "padLevel5")
    qtbot.waitUntil(lambda: shown(ui, "padThanks") is not None, timeout=15_000)
    assert "网络恢复后会自动提交" in texts(ui)
    qtbot.waitUntil(lambda: pad.pending == 1, timeout=10_000)  # (counted on a worker)
    assert ratings_in_hall(hall_process) == []

    link.restore()
    qtbot.waitUntil(lambda: pad.link == "online" and shown(ui, "linkBanner") is None, timeout=15_000)
    qtbot.waitUntil(lambda: ratings_in_hall(hall_process) == [(number, 5, "pad")], timeout=15_000)
    qtbot.waitUntil(lambda: pad.pending == 0, timeout=10_000)
    assert ratings_in_hall(hall_process) == [(number, 5, "pad")]


def test_a_pad_without_its_counter_or_its_hall_says_what_to_set_up(
    qapp: QGuiApplication, qtbot: Any, settings: Settings
) -> None:
    for pad_settings, said in (
        (replace(settings, voice_prompts=False), "rating_counter"),
        (replace(settings, voice_prompts=False, rating_counter=COUNTER), "kiosk hall enroll"),
    ):
        ui = build_pad(pad_settings)
        qtbot.waitUntil(lambda ui=ui: ui.view_model("pad") is not None, timeout=10_000)
        qtbot.waitUntil(lambda ui=ui: shown(ui, "padProblem") is not None, timeout=5_000)
        assert said in texts(ui) and "二维码" in texts(ui)
        assert isinstance(ui.rating_pad, RatingPad)
        ui.close()
        ui.terminal.background.shutdown()
        qtbot.wait(20)


def test_kiosk_run_as_a_rating_pad_without_a_display_renders_its_screens(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    from kiosk.roles.rating.screenshots import SCREENS

    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env = {k: v for k, v in env.items() if not k.startswith("KIOSK_")}
    screens = tmp_path / "screens"
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "data"), "--role", "rating",
         "--rating-counter", "3", "run", "--screens-dir", str(screens)],
        env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for name in SCREENS:
        image = QImage(str(screens / f"{name}.png"))
        assert not image.isNull() and (image.width(), image.height()) == PORTRAIT, name
    assert not (tmp_path / "data" / "kiosk.db").exists()  # nothing of the citizen's terminal is opened
