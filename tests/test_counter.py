"""The counter (窗口叫号) as staff use it: the real window offscreen, signed in to a real ``kiosk hall serve``
process on 127.0.0.1, every action through its key (sent with QTest), the hall's answers and events on screen.

A citizen's ticket is taken by another enrolled terminal of the hall, as a kiosk would take it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.config import Settings
from kiosk.hall_client import HallClient
from kiosk.roles.counter.app import COUNTER_SIZE, CounterUi, WindowOptions
from kiosk.roles.counter.entry import hall_client
from kiosk.roles.counter.screenshots import SCREENS
from kiosk.services.lazy_terminal import LazyTerminal
from kiosk.ui.shell.app import create_application
from tests.counter_support import PIN, CounterWindow, F
from tests.hall_support import CuttableLink, HallProcess, running_hall


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[HallProcess]:
    yield from running_hall(tmp_path)


@pytest.fixture
def kiosk(hall: HallProcess) -> Iterator[HallClient]:
    with hall.client("1号取号机") as client:
        yield client


@pytest.fixture
def counters(hall: HallProcess, settings: Settings, qtbot: Any) -> Iterator[Any]:
    opened: list[CounterWindow] = []

    def open_counter(name: str = "counter-pc", url: str | None = None) -> CounterWindow:
        window = CounterWindow(hall, settings, qtbot, name, url)
        opened.append(window)
        return window

    yield open_counter
    for window in opened:
        window.close()


def take(kiosk: HallClient, service: str = "ZH", n: int = 1) -> list[str]:
    return [kiosk.take(service).ticket.number for _ in range(n)]


def ticket_state(kiosk: HallClient, number: str) -> str:
    return next(t.state for t in kiosk.tickets().tickets if t.number == number)


def test_staff_sign_in_and_a_wrong_pin_is_refused_without_showing_or_logging_it(
    counters: Any, hall: HallProcess, qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    counter = counters()
    assert counter.shows("窗口登录")
    counter.item("pinFieldInput").forceActiveFocus()
    counter.type("9999")
    assert counter.item("pinFieldInput").property("displayText") == "●●●●"  # never shown
    counter.sign_in(1, "1001", "9999")
    assert counter.desk.phase == "signIn"
    assert counter.shows("工号或密码不对，请重新输入")
    assert counter.item("pinFieldInput").property("text") == ""  # cleared after each try
    counter.sign_in(1, "1001")
    assert counter.desk.phase == "desk"
    assert counter.shows("1号窗口·综合受理") and counter.shows("王丽（工号 1001）")
    assert counter.shows("服务中")
    hall_log = "".join(p.read_text(encoding="utf-8") for p in hall.db_path.parent.glob("hall-*.err"))
    assert "9999" not in hall_log and "9999" not in caplog.text and f"pin={PIN}" not in caplog.text
    assert "staff 1001 signing in at counter 1" in caplog.text


def test_wrong_pins_are_limited(counters: Any, qtbot: Any) -> None:
    counter = counters()
    for _ in range(5):
        counter.sign_in(2, "1002", "0000")
        assert counter.shows("工号或密码不对")
    counter.sign_in(2, "1002")  # the right PIN, too late: locked for a while
    assert counter.desk.phase == "signIn" and counter.shows("这个工号已锁定 5 分钟")


def test_call_recall_no_show_put_back_and_finish_by_key(counters: Any, kiosk: HallClient, qtbot: Any) -> None:
    counter = counters()
    counter.sign_in(1, "1001")
    first, second = take(kiosk, "ZH", 2)
    qtbot.waitUntil(lambda: [r["number"] for r in counter.desk.queue] == [first, second], timeout=10_000)
    assert counter.shows("下一位")

    counter.key(F[1])  # 叫号
    counter.settle()
    assert counter.current == first and counter.item("currentNumber").property("text") == first
    assert counter.shows(f"已叫 {first} 号") and counter.shows("已等 0 分钟")
    assert [r["number"] for r in counter.desk.queue] == [second]

    counter.key(F[2])  # 重呼
    counter.settle()
    assert counter.desk.current["callCount"] == 2 and counter.shows(f"已重呼 {first} 号")

    counter.key(F[4])  # 过号 asks once
    qtbot.waitUntil(lambda: counter.desk.dialog == "noShow")
    assert counter.shows(f"确认 {first} 号过号？")
    counter.key(Qt.Key.Key_Escape)  # no: nothing happens
    qtbot.waitUntil(lambda: counter.desk.dialog == "")
    assert counter.current == first and ticket_state(kiosk, first) == "called"
    counter.key(F[4])
    qtbot.waitUntil(lambda: counter.desk.dialog == "noShow")
    counter.enter()
    counter.settle()
    assert not counter.desk.hasCurrent and ticket_state(kiosk, first) == "no_show"
    assert [r["number"] for r in counter.desk.noShows] == [first] and counter.desk.noShowCount == 1

    counter.key(F[9])  # 过号归队: the latest no-show is offered first
    qtbot.waitUntil(lambda: counter.desk.dialog == "putBack")
    assert counter.item("numberInput").property("text") == first
    counter.enter()
    counter.settle()
    assert ticket_state(kiosk, first) == "waiting" and not counter.desk.noShows
    qtbot.waitUntil(
        lambda: [r["number"] for r in counter.desk.queue] == [first, second]
    )  # it kept its arrival

    counter.key(F[1])
    counter.settle()
    assert counter.current == first
    counter.key(F[3])  # 办结
    counter.settle()
    assert ticket_state(kiosk, first) == "finished" and not counter.desk.hasCurrent
    assert counter.desk.served == 1 and counter.desk.meanServiceMin >= 0
    assert counter.shows("办结 1") and counter.shows(f"{first} 号已办结")


def test_transfer_to_a_service_or_a_counter_and_hold_and_resume_by_key(
    counters: Any, kiosk: HallClient, qtbot: Any
) -> None:
    counter = counters()
    counter.sign_in(1, "1001")  # serves ZH and SB
    a, b, c = take(kiosk, "ZH", 3)
    counter.key(F[1])
    counter.settle()
    assert counter.current == a

    counter.key(F[7])  # 转移: the services first, ↓ to 社保医保, Enter
    qtbot.waitUntil(lambda: counter.desk.dialog == "transfer")
    assert [s["key"] for s in counter.desk.services][:2] == ["ZH", "SB"]
    counter.key(Qt.Key.Key_Down)
    counter.enter()
    counter.settle()
    assert counter.shows(f"{a} 号已转到社保医保")
    waiting = {t.number: t for t in kiosk.state().waiting}
    assert waiting[a].service == "SB" and waiting[a].to_counter is None

    # The queue is shown in the order the hall calls (weights: 综合受理 3, 社保医保 1 at this counter).
    expected = counter.desk.queue[0]["number"]
    assert expected == b and {r["number"] for r in counter.desk.queue} == {a, b, c}
    counter.key(F[1])
    counter.settle()
    assert counter.current == expected

    counter.key(F[7])  # → the counters' list, ↓ to the second one (3号窗口), Enter
    qtbot.waitUntil(lambda: counter.desk.dialog == "transfer")
    counter.key(Qt.Key.Key_Right)
    counter.key(Qt.Key.Key_Down)
    counter.enter()
    counter.settle()
    assert counter.shows(f"{b} 号已转到3号窗口·社保医保")
    waiting = {t.number: t for t in kiosk.state().waiting}
    assert waiting[b].to_counter == 3
    assert b not in [r["number"] for r in counter.desk.queue]  # 3号窗口's only now

    for number in (c, a):  # served in turn, each held (挂起) while the citizen fetches a paper
        assert counter.desk.queue[0]["number"] == number
        counter.key(F[1])
        counter.settle()
        assert counter.current == number
        counter.key(F[5])
        counter.settle()
        assert not counter.desk.hasCurrent and ticket_state(kiosk, number) == "held"
    assert [r["number"] for r in counter.desk.held] == [a, c]  # in the order they were taken

    counter.key(F[6])  # 恢复挂起 with two held: which one
    qtbot.waitUntil(lambda: counter.desk.dialog == "resume")
    counter.key(Qt.Key.Key_Down)  # the second held ticket
    counter.enter()
    counter.settle()
    assert counter.current == c and [r["number"] for r in counter.desk.held] == [a]
    assert ticket_state(kiosk, c) == "called"
    counter.key(F[3])
    counter.settle()
    counter.key(F[6])  # one held: resumed at once
    counter.settle()
    assert counter.current == a and not counter.desk.held


def test_call_a_given_number_mark_green_pause_and_sign_out_by_key(
    counters: Any, kiosk: HallClient, hall: HallProcess, qtbot: Any
) -> None:
    counter = counters()
    counter.sign_in(2, "1002")  # serves ZH and SW
    numbers = take(kiosk, "ZH", 4)

    counter.key(F[10])  # 绿色通道: the number, Enter, the reason's key, Enter
    qtbot.waitUntil(lambda: counter.desk.dialog == "green")
    counter.type(numbers[3].lower().replace("00", ""))  # a4 is A004
    counter.enter()
    counter.type("2")  # 孕妇
    counter.enter()
    counter.settle()
    assert counter.shows(f"{numbers[3]} 号已走绿色通道（孕妇）")
    queue = counter.desk.queue
    assert queue[0]["number"] == numbers[3] and queue[0]["priority"] == "green"

    counter.key(F[8])  # 呼叫指定号: typed, Enter
    qtbot.waitUntil(lambda: counter.desk.dialog == "callNumber")
    counter.item("numberInput").setProperty("text", "")
    counter.type(numbers[2])
    counter.enter()
    counter.settle()
    assert counter.current == numbers[2] and counter.shows(f"已叫 {numbers[2]} 号")

    counter.key(F[12])  # 退出登录 with a ticket open: asked once, 办结并退出
    qtbot.waitUntil(lambda: counter.desk.dialog == "signOut")
    assert counter.shows(f"{numbers[2]} 号还在办理")
    counter.key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: counter.desk.dialog == "")
    assert counter.desk.phase == "desk"

    counter.key(F[3])
    counter.settle()
    counter.key(F[11])  # 暂停服务
    counter.settle()
    assert counter.desk.counterState == "paused" and counter.shows("暂停服务")
    assert next(c for c in kiosk.state().counters if c.number == 2).state == "paused"
    counter.key(F[1])  # a paused counter calls nobody: the hall's refusal, plainly
    counter.settle()
    assert counter.shows("本窗口已暂停服务") and not counter.desk.hasCurrent
    counter.key(F[11])  # 恢复服务
    counter.settle()
    assert counter.desk.counterState == "open"
    counter.key(F[1])
    counter.settle()
    assert counter.current == numbers[3]  # 绿色通道 first

    counter.key(F[12])
    qtbot.waitUntil(lambda: counter.desk.dialog == "signOut")
    counter.enter()  # 办结并退出
    counter.settle()
    assert counter.desk.phase == "signIn" and ticket_state(kiosk, numbers[3]) == "finished"
    assert next(c for c in kiosk.state().counters if c.number == 2).staff_no == ""


def test_every_action_works_with_the_mouse_too(counters: Any, kiosk: HallClient, qtbot: Any) -> None:
    counter = counters()
    counter.item("counterFieldInput").setProperty("text", "3")
    counter.item("staffFieldInput").setProperty("text", "1003")
    counter.item("pinFieldInput").setProperty("text", PIN)
    counter.click("signInButton")
    counter.settle()
    assert counter.desk.phase == "desk"
    (number,) = take(kiosk, "SB")
    qtbot.waitUntil(lambda: len(counter.desk.queue) == 1)
    counter.click("action_call")
    counter.settle()
    assert counter.current == number
    counter.click("action_noShow")
    qtbot.waitUntil(lambda: counter.desk.dialog == "noShow")
    counter.click("dialogOk")
    counter.settle()
    assert ticket_state(kiosk, number) == "no_show"

    # Closing the window while signed in would leave the counter open in the hall with nobody at it.
    counter.ui.window.close()
    qtbot.wait(50)
    assert counter.ui.window.isVisible() and counter.desk.phase == "desk"
    assert counter.shows("请先退出登录（F12），再关闭窗口")


def test_two_counter_windows_never_get_the_same_ticket(counters: Any, kiosk: HallClient, qtbot: Any) -> None:
    one, two = counters("counter-pc-1"), counters("counter-pc-2")
    one.sign_in(1, "1001")
    two.sign_in(2, "1002")  # both serve 综合受理
    numbers = take(kiosk, "ZH", 6)
    called: list[str] = []
    for _ in range(3):
        one.key(F[1])
        two.key(F[1])  # while the first may still be under way
        one.settle()
        two.settle()
        called += [one.current, two.current]
        one.key(F[3])
        two.key(F[3])
        one.settle()
        two.settle()
    assert sorted(called) == sorted(numbers)  # each once, by one of them
    tickets = {t.number: t for t in kiosk.tickets().tickets}
    assert all(tickets[n].state == "finished" and tickets[n].call_count == 1 for n in numbers)

    # A ticket the other counter serves cannot be called by number here: the hall's refusal, plainly.
    (last,) = take(kiosk, "ZH")
    one.key(F[1])
    one.settle()
    assert one.current == last
    two.key(F[8])
    qtbot.waitUntil(lambda: two.desk.dialog == "callNumber")
    two.item("numberInput").setProperty("text", last)
    two.enter()
    two.settle()
    assert not two.desk.hasCurrent and two.shows(f"{last} 号不在等候中，不能叫")


def test_one_staff_number_is_refused_at_a_second_counter(counters: Any, qtbot: Any) -> None:
    one, two = counters("counter-pc-1"), counters("counter-pc-2")
    one.sign_in(1, "1001")
    two.sign_in(2, "1001")
    assert two.desk.phase == "signIn"
    assert two.shows("工号 1001 已在1号窗口·综合受理登录：请先在那里退出")
    two.sign_in(1, "1002")  # nor may another staff number take a counter someone holds
    assert two.desk.phase == "signIn" and two.shows("这个窗口已由别的工号登录")


def test_a_lost_link_says_reconnecting_within_5_s_and_no_action_is_sent(
    counters: Any, hall: HallProcess, kiosk: HallClient, qtbot: Any
) -> None:
    link = CuttableLink(hall.port)
    try:
        counter = counters("counter-pc", link.url)
        counter.sign_in(1, "1001")
        take(kiosk, "ZH", 2)
        qtbot.waitUntil(lambda: len(counter.desk.queue) == 2, timeout=10_000)

        link.freeze()  # the link falls silent (a cable pulled): no reset, no error, nothing comes
        lost_at = time.monotonic()
        qtbot.waitUntil(lambda: counter.desk.link == "reconnecting", timeout=10_000)
        assert time.monotonic() - lost_at < 5.0
        qtbot.waitUntil(lambda: counter.item("linkBanner").isVisible(), timeout=2_000)
        assert counter.shows("正在重新连接…")

        counter.key(F[1])  # said, not sent
        qtbot.wait(300)
        assert counter.shows("与排队服务的连接已断开，操作没有执行") and not counter.desk.busy
        counter.key(F[8])  # nor a dialog that would send later
        assert counter.desk.dialog == ""
        link.cut()
        take(kiosk, "ZH")  # meanwhile the hall goes on
        link.restore()
        qtbot.waitUntil(lambda: counter.desk.link == "online", timeout=15_000)
        qtbot.waitUntil(lambda: len(counter.desk.queue) == 3, timeout=10_000)  # caught up
        assert all(t.state == "waiting" for t in kiosk.tickets().tickets)  # nothing was called meanwhile
        assert not counter.item("linkBanner").isVisible()
    finally:
        link.close()


def test_a_pc_not_enrolled_with_a_hall_says_so_and_whom_to_ask(settings: Settings, qtbot: Any) -> None:
    terminal = LazyTerminal(settings)
    ui = CounterUi(
        terminal,  # type: ignore[arg-type]
        create_application(),
        WindowOptions(size=COUNTER_SIZE),
        lambda: hall_client(settings),
    )
    try:
        desk = ui.desk
        qtbot.waitUntil(lambda: desk.phase == "unenrolled", timeout=10_000)
        assert "kiosk hall enroll" in desk.message
        ui.window.requestActivate()
        QTest.keyClick(ui.window, F[1])  # nothing to do, nothing breaks
        assert desk.phase == "unenrolled"
    finally:
        ui.close()
        qtbot.wait(20)
        terminal.close()


def test_without_a_display_the_counter_role_renders_its_screens(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    screens = tmp_path / "screens"
    data = tmp_path / "data"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--data-dir",
            str(data),
            "--role",
            "counter",
            "run",
            "--screens-dir",
            str(screens),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name in SCREENS:
        image = QImage(str(screens / f"{name}.png"))
        assert not image.isNull() and (image.width(), image.height()) == COUNTER_SIZE, name
    assert not (data / "kiosk.db").exists()  # nothing of a citizen's terminal is opened at a counter
