"""The hall's display (叫号屏) as people see it: a real ``kiosk hall serve`` on 127.0.0.1 and the display role's real
Qt Quick scene, offscreen. Every call reaches it in order, each once; cut off from the hall (the link dropped, the
service killed and restarted) it says it is reconnecting within 5 s, keeps the last board meanwhile and catches up
to the hall's state; a new day clears the board; calls are announced in turn, a recall again; the number is
readable from 10 m; a display without a hall says how to enrol it; the center's notices show."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from kiosk.config import Settings, load_settings
from kiosk.hall.settings import set_value
from kiosk.hall_client import HallClient
from kiosk.protocol import HMAC_SHA256
from kiosk.protocol.hall import HallState
from kiosk.roles.display.app import DisplayUi
from kiosk.roles.display.board_model import DisplayBoard
from kiosk.roles.display.screenshots import show_state
from kiosk.services.changes import NOTICES
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.services.terminal import Terminal
from kiosk.store import sync_state
from kiosk.store.hall_credentials import store_hall_credentials
from kiosk.ui.shell.app import WindowOptions, create_application
from kiosk.ui.shell.screenshot import find_item, visual_items
from kiosk.ui.shell.tasks import pending_calls
from tests.hall_support import CuttableLink, HallProcess, running_hall

LANDSCAPE, PORTRAIT = (1920, 1080), (1080, 1920)


@pytest.fixture
def hall_process(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


@pytest.fixture
def people(hall_process: HallProcess) -> Iterator[dict[str, HallClient]]:
    clients = {name: hall_process.client(name) for name in ("kiosk", "counter-1", "counter-3", "admin")}
    yield clients
    for client in clients.values():
        client.close()


def display_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values = {"role": "display", "orientation": "landscape", "fullscreen": False, "voice_prompts": False}
    return load_settings(data_dir=tmp_path / "display", environ={}, overrides={**values, **overrides})


def enrolled(settings: Settings, hall: HallProcess, url: str | None = None) -> Settings:
    terminal_id, secret_hex = hall.add_terminal("叫号屏")
    return store_hall_credentials(
        settings, url or hall.url, terminal_id, HMAC_SHA256, bytes.fromhex(secret_hex)
    )


class Display:
    """The display role's window on a terminal of its own, and what its board showed, call by call."""

    def __init__(
        self, settings: Settings, qtbot: Any, terminal: Terminal | None = None, **kwargs: Any
    ) -> None:
        self.terminal: Terminal | LazyTerminal = terminal or LazyTerminal(settings)
        size = PORTRAIT if settings.orientation == "portrait" else LANDSCAPE
        self.ui = DisplayUi(self.terminal, create_application(), WindowOptions(size=size), settings, **kwargs)
        self.qtbot = qtbot
        qtbot.waitUntil(lambda: self.ui.view_model("displayBoard") is not None, timeout=10_000)
        self.board: DisplayBoard = self.ui.display_board
        self.calls: list[tuple[str, int, bool]] = []  # each current call the board showed, in order
        self._last: Any = None
        self.board.changed.connect(self._changed)

    def _changed(self) -> None:
        current = self.board.board.current
        key = None if current is None else (current.number, current.counter, current.at, current.recall)
        if key is not None and key != self._last:
            self.calls.append(key[:2] + key[3:])
        self._last = key

    def caught_up(self, state: HallState, timeout: int = 20_000) -> None:
        self.qtbot.waitUntil(
            lambda: self.board.board.seq >= state.seq and self.board.linkState == "live", timeout=timeout
        )

    def item(self, name: str) -> Any:
        found = find_item(self.ui.window.contentItem(), name)
        assert found is not None, name
        return found

    def texts(self) -> list[str]:
        return [
            str(i.property("text"))
            for i in visual_items(self.ui.window.contentItem())
            if i.property("text") and i.isVisible()
        ]

    def close(self) -> None:
        self.qtbot.waitUntil(lambda: pending_calls() == 0, timeout=10_000)
        self.ui.close()
        self.terminal.close()
        self.qtbot.wait(20)


def shows_the_hall(display: Display, hall: HallState) -> None:
    """The board is the hall's: the current call, the calls before it (each ticket once), the waiting counts."""
    board = display.board
    latest = hall.recent_calls[0] if hall.recent_calls else None
    assert board.currentNumber == (latest.number if latest else "")
    assert board.currentCounter == (latest.counter if latest else 0)
    earlier: list[str] = []
    for call in hall.recent_calls[1:]:
        if call.number not in earlier and call.number != board.currentNumber:
            earlier.append(call.number)
    assert [c["number"] for c in board.recentCalls] == earlier[: len(board.recentCalls)]
    assert {w["code"]: w["waiting"] for w in board.waiting} == {s.code: s.waiting for s in hall.services}
    display.qtbot.waitUntil(lambda: display.item("currentNumber").property("text") == board.currentNumber)


def test_every_call_reaches_a_connected_display_in_order(
    qapp, qtbot, tmp_path: Path, hall_process: HallProcess, people: dict[str, HallClient]
) -> None:
    display = Display(enrolled(display_settings(tmp_path), hall_process), qtbot)
    try:
        display.caught_up(people["admin"].state())
        assert display.item("noCall").isVisible()  # nobody called yet today
        for n in range(12):
            people["kiosk"].take("ZH" if n % 3 else "SB")
        calls = []
        for _ in range(5):
            for counter in (1, 3):
                answer = people[f"counter-{counter}"].call_next(counter)
                assert answer.ticket is not None
                calls.append((answer.ticket.number, counter, False))
                people[f"counter-{counter}"].finish(counter)
        hall = people["admin"].state()
        display.caught_up(hall)
        assert display.calls == calls, "every call, in the order it was made, each once"
        shows_the_hall(display, hall)
        assert display.item("displayCall").property("highlight") is True  # the last one stands out
    finally:
        display.close()


def test_a_display_cut_off_says_so_keeps_its_board_and_catches_up(
    qapp, qtbot, tmp_path: Path, hall_process: HallProcess, people: dict[str, HallClient]
) -> None:
    link = CuttableLink(hall_process.port)
    display = Display(enrolled(display_settings(tmp_path), hall_process, link.url), qtbot)
    try:
        # Live first: calls made before a display starts are its first board, not calls it announces.
        display.caught_up(people["admin"].state())
        for _ in range(8):
            people["kiosk"].take("ZH")
        calls = []
        for counter in (1, 3):
            calls.append((people[f"counter-{counter}"].call_next(counter).ticket.number, counter, False))
        display.caught_up(people["admin"].state())
        shown = display.board.currentNumber

        link.cut()
        cut_at = time.monotonic()
        qtbot.waitUntil(lambda: display.board.linkState == "reconnecting", timeout=5_000)
        assert time.monotonic() - cut_at < 5.0
        qtbot.waitUntil(lambda: display.item("reconnectingBanner").isVisible(), timeout=1_000)
        assert display.item("currentNumber").property("text") == shown, "the last board stays on screen"

        # Meanwhile the hall goes on, is killed and started again, and goes on.
        people["counter-1"].finish(1)
        calls.append((people["counter-1"].call_next(1).ticket.number, 1, False))
        people["counter-3"].recall(3)
        calls.append((calls[1][0], 3, True))
        hall_process.kill()
        hall_process.start()
        people["counter-3"].finish(3)
        calls.append((people["counter-3"].call_next(3).ticket.number, 3, False))
        people["kiosk"].take("SB")
        assert display.board.linkState == "reconnecting"

        link.restore()
        hall = people["admin"].state()
        display.caught_up(hall)
        assert not display.item("reconnectingBanner").isVisible()
        assert display.calls == calls, "the calls it missed, in order, none twice"
        shows_the_hall(display, hall)
    finally:
        display.close()
        link.close()


def test_a_silent_link_is_noticed_within_five_seconds(
    qapp, qtbot, tmp_path: Path, hall_process: HallProcess, people: dict[str, HallClient]
) -> None:
    link = CuttableLink(hall_process.port)
    display = Display(enrolled(display_settings(tmp_path), hall_process, link.url), qtbot)
    try:
        display.caught_up(people["admin"].state())
        link.freeze()  # connections stay open, nothing comes through
        frozen_at = time.monotonic()
        qtbot.waitUntil(lambda: display.board.linkState == "reconnecting", timeout=6_000)
        assert time.monotonic() - frozen_at < 5.0
        link.restore()
        display.caught_up(people["admin"].state())
    finally:
        display.close()
        link.close()


def test_a_new_day_clears_the_board(
    qapp, qtbot, tmp_path: Path, hall_process: HallProcess, people: dict[str, HallClient]
) -> None:
    hour = datetime.now().hour
    if hour == 23:
        pytest.skip("the hall's business day can be moved to start later only before 23:00")
    display = Display(enrolled(display_settings(tmp_path), hall_process), qtbot)
    try:
        people["kiosk"].take("ZH")
        people["counter-1"].call_next(1)
        display.caught_up(people["admin"].state())
        assert display.board.hasCall
        # The business day now starts an hour from now: the hall starts "a new day" (the one before, by that
        # reckoning) as it does at its reset hour, and its state has no calls and nobody waiting.
        set_value(hall_process.admin.db, "reset_hour", str(hour + 1))
        qtbot.waitUntil(lambda: not display.board.hasCall, timeout=20_000)
        assert display.board.recentCalls == [] and display.board.waitingTotal == 0
        qtbot.waitUntil(lambda: display.item("noCall").isVisible(), timeout=2_000)
    finally:
        display.close()


def test_calls_are_announced_in_turn_and_a_recall_is_announced_again(
    qapp, qtbot, tmp_path: Path, hall_process: HallProcess, people: dict[str, HallClient]
) -> None:
    # Qt's mock engine speaks English only: the display in English.
    settings = display_settings(tmp_path, voice_prompts=True, voice_engine="mock", language="en")
    display = Display(enrolled(settings, hall_process), qtbot)
    voice = display.ui.voice
    announced: list[tuple[str, bool]] = []
    voice.announced.connect(lambda text, completed: announced.append((text, completed)))
    try:
        qtbot.waitUntil(lambda: voice.status == "ready", timeout=30_000)
        display.caught_up(people["admin"].state())
        people["kiosk"].take("ZH")
        people["kiosk"].take("SB")
        people["counter-1"].call_next(1)  # two counters call at once:
        people["counter-3"].call_next(3)  # the second call waits for the first to be spoken
        qtbot.waitUntil(lambda: voice.announcing and voice.queued == 1, timeout=10_000)
        people["counter-1"].recall(1)
        qtbot.waitUntil(lambda: len(announced) == 3, timeout=60_000)
        first = "Number A 0 0 1, please go to counter 1"
        assert announced == [(first, True), ("Number B 0 0 1, please go to counter 3", True), (first, True)]
    finally:
        display.close()


def glyph_height(display: Display, item_name: str, colour: str) -> int:
    """The drawn height of an item's glyphs, measured on the rendered window: the tallest unbroken run of rows of
    its area that hold pixels of the text's colour (the text's line box may reach over the panel's edge, which is
    drawn in that colour while a call is new: a run apart from the glyphs)."""
    image = display.ui.window.grabWindow()
    item = display.item(item_name)
    area = item.mapRectToScene(QRectF(0, 0, item.width(), item.height())).toAlignedRect()
    area = area.intersected(image.rect())
    wanted = QColor(colour)
    rows = [
        y
        for y in range(area.top(), area.bottom() + 1)
        if any(_close(image.pixelColor(x, y), wanted) for x in range(area.left(), area.right() + 1, 2))
    ]
    runs: list[list[int]] = []
    for y in rows:
        if runs and y - runs[-1][-1] <= 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return max((run[-1] - run[0] + 1 for run in runs), default=0)


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


@pytest.mark.parametrize(
    ("orientation", "language"), [("landscape", "zh_CN"), ("portrait", "zh_CN"), ("portrait", "en")]
)
def test_the_number_is_readable_from_ten_metres(qapp, qtbot, tmp_path: Path, orientation: str, language: str):
    settings = display_settings(tmp_path, orientation=orientation, language=language)
    display = Display(settings, qtbot, follow=False)
    try:
        show_state(display.board, "calling")
        qtbot.waitUntil(lambda: display.item("currentNumber").property("text") == "A012", timeout=5_000)
        qtbot.wait(100)
        height = display.ui.window.height()
        assert glyph_height(display, "currentNumber", "#FFD54A") >= 0.12 * height
    finally:
        display.close()


def test_a_display_without_a_hall_says_how_to_enrol_it(qapp, qtbot, tmp_path: Path) -> None:
    display = Display(display_settings(tmp_path), qtbot)
    try:
        qtbot.waitUntil(lambda: display.board.linkState == "not_enrolled", timeout=5_000)
        qtbot.waitUntil(lambda: display.item("notEnrolled").isVisible(), timeout=2_000)
        shown = " ".join(display.texts())
        assert "kiosk hall enroll" in shown and "kiosk hall terminal add" in shown
        assert display.ui.follower is None
    finally:
        display.close()


def test_the_centers_notices_show_and_follow_the_feed(
    qapp, qtbot, tmp_path: Path, hall_process: HallProcess
) -> None:
    settings = enrolled(display_settings(tmp_path), hall_process)
    terminal = Terminal.open(settings)
    conn = terminal.database.connection()
    stamp = "2026-11-23T08:00:00+00:00"

    def publish(key: str, title: str, starts: str, ends: str | None = None) -> None:
        values = {"title": title, "body": "正文", "level": "info", "starts_at": starts, "ends_at": ends}
        with conn:
            sync_state.apply_entry(conn, "notices", key, 1, values, stamp)

    publish("over", "已经结束的通知", "2020-01-01T00:00:00+00:00", "2020-02-01T00:00:00+00:00")
    publish("now", "本周六延时服务", "2020-01-01T00:00:00+00:00")
    display = Display(settings, qtbot, terminal=terminal)
    try:
        qtbot.waitUntil(
            lambda: [n["title"] for n in display.board.notices] == ["本周六延时服务"], timeout=10_000
        )
        qtbot.waitUntil(lambda: display.board.linkState == "live", timeout=10_000)
        assert "本周六延时服务：正文" in display.item("noticeText").property("text").replace("\u2060", "")
        # A sync cycle brings another and says so: the display reads them again at once.
        publish("new", "系统维护", "2021-01-01T00:00:00+00:00")
        terminal.changes.announce(NOTICES, count=1)
        qtbot.waitUntil(lambda: len(display.board.notices) == 2, timeout=10_000)
    finally:
        display.close()


def test_kiosk_run_without_a_screen_renders_the_displays_screens(tmp_path: Path) -> None:
    """The display role, started where there is no display: its screens as PNG files, nothing pretending."""
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env = {k: v for k, v in env.items() if not k.startswith("KIOSK_")}
    screens = tmp_path / "screens"
    data = tmp_path / "data"
    command = [sys.executable, "-m", "kiosk", "--data-dir", str(data), "--role", "display", "run"]
    result = subprocess.run(
        [*command, "--screens-dir", str(screens)], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name, size in (("display-calling", LANDSCAPE), ("display-calling-portrait", PORTRAIT)):
        image = QImage(str(screens / f"{name}.png"))
        assert (image.width(), image.height()) == size, name
    assert (screens / "display-not-enrolled.png").is_file() and (
        screens / "display-reconnecting.png"
    ).is_file()
    assert "not configured" not in (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
