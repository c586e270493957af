"""暂停服务: when the terminal is taken out of service (by the supervisor in another process, by the center's command
or an operator in this one) every screen gives way to one plain page, never in the middle of a citizen's session,
and the home screen comes back with the service (real terminal, the real QML scene offscreen, the state file
written by a real second process)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from ui_support import item, settle, shows_text, tap, wait_for

from kiosk.ops.exit_codes import RESTART
from kiosk.ops.service_state import back_in_service, take_out_of_service
from kiosk.program import OUT_OF_SERVICE, program_command
from kiosk.services.changes import SERVICE_STATE

WHERE = "请到村委会一楼的粤智助终端，或到镇政务服务中心办理。"


def in_another_process(data_dir, call: str) -> None:
    """What the supervisor does: change the state file from a process of its own."""
    code = f"import sys\nfrom kiosk.ops.service_state import take_out_of_service, back_in_service\n{call}\n"
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True, timeout=60)


def page_shown(ui) -> bool:
    return ui.service_state.outOfService and item(ui, "outOfService").property("visible")


def test_the_page_follows_the_state_file_written_by_another_process(kiosk, qtbot):
    data_dir = kiosk.settings.data_dir
    assert not shows_text(kiosk, "暂停服务")
    in_another_process(data_dir, f"take_out_of_service(sys.argv[1], 'crash_loop', 'supervisor', {WHERE!r})")
    wait_for(qtbot, lambda: page_shown(kiosk), 6_000)
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "本机暂停服务，给您带来不便，敬请谅解。")
    assert shows_text(kiosk, WHERE)
    assert shows_text(kiosk, f"终端编号 {kiosk.settings.terminal_id}")
    assert kiosk.service_state.by == "supervisor"

    in_another_process(data_dir, "back_in_service(sys.argv[1], 'supervisor')")
    wait_for(qtbot, lambda: not kiosk.service_state.outOfService, 6_000)
    settle(kiosk, qtbot)
    assert not shows_text(kiosk, "暂停服务")
    assert kiosk.navigator.atHome and item(kiosk, "homeScreen").isVisible()


def test_the_page_waits_for_the_citizens_session_to_end(kiosk, qtbot):
    tap(kiosk, "homeSearchEntry", qtbot)  # a citizen at work: the search screen
    assert kiosk.navigator.current == "search"
    in_another_process(kiosk.settings.data_dir, "take_out_of_service(sys.argv[1], 'command', 'center')")
    wait_for(qtbot, lambda: kiosk.service_state.waiting, 6_000)
    qtbot.wait(300)
    assert not kiosk.service_state.outOfService and not shows_text(kiosk, "本机暂停服务")

    kiosk.reset_session()  # the session ends (the idle reset, 首页 or 结束办理)
    wait_for(qtbot, lambda: page_shown(kiosk), 3_000)
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "本机暂停服务，给您带来不便，敬请谅解。")
    assert not item(kiosk, "outOfServiceWhere").isVisible()  # nothing said of where to go: no empty card


def test_a_change_in_this_process_shows_at_once(kiosk, qtbot):
    data_dir = kiosk.settings.data_dir
    kiosk.service_state.stop()  # no polling: only the announcement can show it
    take_out_of_service(data_dir, "command", "center", WHERE)
    kiosk.terminal.changes.announce(SERVICE_STATE)
    wait_for(qtbot, lambda: page_shown(kiosk), 2_000)
    back_in_service(data_dir, "center")
    kiosk.terminal.changes.announce(SERVICE_STATE)
    wait_for(qtbot, lambda: not kiosk.service_state.outOfService, 2_000)


def test_the_bare_window_shows_the_page_syncs_and_ends_when_back_in_service(tmp_path):
    """The window the supervisor starts when the program keeps crashing: a process of its own that shows only the
    page, starts the sync engine, and ends with RESTART once the terminal is back in service."""
    take_out_of_service(tmp_path, "crash_loop", "supervisor")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [*program_command(OUT_OF_SERVICE), "--data-dir", str(tmp_path), "--windowed"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        log = tmp_path / "logs" / "kiosk.log"
        deadline = time.monotonic() + 60
        while "nothing to sync" not in (log.read_text(encoding="utf-8") if log.exists() else ""):
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            assert time.monotonic() < deadline, "the window did not start its sync engine"
            time.sleep(0.2)
        assert process.poll() is None  # it stays while the terminal is out of service
        back_in_service(tmp_path, "operator")
        assert process.wait(timeout=30) == RESTART
        text = log.read_text(encoding="utf-8")
        assert "the out-of-service page shows" in text and "back in service" in text
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
