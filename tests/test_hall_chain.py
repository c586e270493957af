"""The hall's whole chain, as a morning in a town service center meets it: a reference center and the hall's queue
service, each a process of its own on 127.0.0.1 (the hall enrolled with the center); the citizen's kiosk takes a
number (its ESC/POS bytes hold it); the counter's PC calls it and finishes it (``kiosk queue call|finish``, a
process of its own, acting as an enrolled terminal); the display, following the hall, shows the call; the rating
pad facing counter 3 asks for the rating and sends it; the hall's outbox brings the ticket, its calls and the
rating to the center, each once.

The kiosk, the display and the pad are the roles' real Qt Quick scenes, offscreen, in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from ui_support import close_ui

from kiosk.config import Settings, load_settings
from kiosk.hall.center_link import save_credentials
from kiosk.hall_client import HallClient
from kiosk.protocol import HMAC_SHA256, secret_from_hex
from kiosk.store.hall_credentials import store_hall_credentials
from kiosk.ui.shell.tasks import pending_calls
from tests.center_support import center_server  # noqa: F401 (fixture)
from tests.hall_support import HallProcess
from tests.test_display import Display, display_settings
from tests.test_frozen_program import read_escpos
from tests.test_rating_pad import build_pad, shown, tap, texts
from tests.test_ui_queue import open_services, open_ui, take, terminal_tickets

COUNTER = 3
WAIT_MS = 20_000


@pytest.fixture
def hall(tmp_path: Path, center_server) -> Iterator[HallProcess]:  # type: ignore[no-untyped-def]  # noqa: F811
    """The demo hall, enrolled with the center, delivering its outbox every half second."""
    (tmp_path / "hall").mkdir()
    process = HallProcess(tmp_path / "hall" / "hall.db", link_interval=0.5)
    try:
        process.demo()
        terminal_id, secret_hex = center_server.add_terminal("清城区政务服务中心 排队叫号")
        save_credentials(
            process.admin.db, center_server.url, terminal_id, secret_from_hex(secret_hex), HMAC_SHA256
        )
        process.start()
        yield process
    finally:
        process.close()


def on_this_hall(settings: Settings, hall: HallProcess, name: str, **changes: Any) -> Settings:
    terminal_id, secret_hex = hall.add_terminal(name)
    return store_hall_credentials(
        replace(settings, **changes), hall.url, terminal_id, HMAC_SHA256, bytes.fromhex(secret_hex)
    )


def counter_pc(tmp_path: Path, hall: HallProcess) -> list[str]:
    """Counter 3's PC, enrolled with the hall by the operator's commands, 李秀梅 (staff 1003) signed in at it;
    returns its command line."""
    data_dir = tmp_path / "counter-pc"
    terminal_id, secret_hex = hall.add_terminal("3号窗口")
    secret_file = tmp_path / "counter-secret"
    secret_file.write_text(secret_hex, encoding="utf-8")
    command = [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir)]
    run(
        [
            *command,
            "hall",
            "enroll",
            "--hall",
            hall.url,
            "--terminal-id",
            terminal_id,
            "--secret-file",
            str(secret_file),
        ]
    )
    secret_file.unlink()
    with HallClient(hall.url, terminal_id, bytes.fromhex(secret_hex), HMAC_SHA256) as desk:
        desk.sign_in(COUNTER, "1003", "1234")
    return command


def run(command: list[str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_ticket_goes_from_the_kiosk_to_the_counter_the_display_the_pad_and_the_center_once(  # type: ignore[no-untyped-def]
    qapp,
    qtbot,
    tmp_path: Path,
    hall: HallProcess,
    center_server,  # noqa: F811
    catalog_terminal,
    ui_settings,
) -> None:
    counter = counter_pc(tmp_path, hall)
    display = Display(on_this_hall(display_settings(tmp_path), hall, "叫号屏"), qtbot)
    pad_own = load_settings(
        data_dir=tmp_path / "pad", environ={}, overrides={"role": "rating", "fullscreen": False}
    )
    pad = build_pad(
        on_this_hall(
            pad_own, hall, "3号窗口评价器", rating_counter=COUNTER, voice_prompts=False, idle_timeout_s=30
        )
    )
    ticket_file = tmp_path / "ticket.bin"
    kiosk_settings = on_this_hall(
        ui_settings, hall, "1号取号机", ticket_printer="file", ticket_target=str(ticket_file)
    )
    kiosk = open_ui(catalog_terminal, kiosk_settings, qtbot)
    try:
        qtbot.waitUntil(lambda: pad.rating_pad.link == "online", timeout=WAIT_MS)
        display.caught_up(hall.client("看板").state())

        # The citizen takes a number at the kiosk: printed, with the number.
        open_services(kiosk, qtbot)
        take(kiosk, qtbot, "ZH")
        assert kiosk.queue.printState == "printed"
        [ticket] = terminal_tickets(hall, kiosk_settings)
        number = str(ticket["label"])
        printout = read_escpos(ticket_file.read_bytes())
        assert number in printout.text and printout.cut

        # Counter 3 calls: the display shows it, the pad says whom the counter serves.
        called = json.loads(run([*counter, "queue", "call", "--counter", str(COUNTER), "--json"]))
        assert called["number"] == number
        qtbot.waitUntil(lambda: display.board.currentNumber == number, timeout=WAIT_MS)
        assert display.board.currentCounter == COUNTER
        qtbot.waitUntil(lambda: shown(pad, "padServing") is not None, timeout=WAIT_MS)
        assert number in texts(pad)

        # 办结: the pad asks for the rating; the citizen gives 非常满意.
        run([*counter, "queue", "finish", "--counter", str(COUNTER), "--json"])
        qtbot.waitUntil(
            lambda: shown(pad, "padLevel5") is not None and pad.rating_pad.rating.state == "rating",
            timeout=WAIT_MS,
        )
        tap(pad, "padLevel5")
        if shown(pad, "padSubmit") is not None:
            tap(pad, "padSubmit")
        qtbot.waitUntil(lambda: shown(pad, "padThanks") is not None, timeout=WAIT_MS)

        # The hall's outbox brings the ticket, its call and finish, and the rating to the center, each once.
        def delivered() -> dict[str, list[dict[str, Any]]]:
            records = center_server.records()
            return {
                kind: [r["body"] for r in records if r["kind"] == kind]
                for kind in ("ticket", "event", "rating")
            }

        qtbot.waitUntil(
            lambda: len(delivered()["rating"]) == 1 and len(delivered()["event"]) == 2, timeout=WAIT_MS
        )
        qtbot.wait(1_500)  # a few more rounds of the hall's link: nothing comes twice
        by_kind = delivered()
        assert [body["number"] for body in by_kind["ticket"]] == [number]
        assert [body["action"] for body in by_kind["event"]] == ["called", "finished"]
        assert all(body["counter"] == COUNTER for body in by_kind["event"])
        [rating] = by_kind["rating"]
        assert rating["level"] == 5 and rating["subject"]["id"] == by_kind["event"][0]["ticket_id"]
        keys = [r["idempotency_key"] for r in center_server.records()]
        assert len(keys) == len(set(keys)) == 4
    finally:
        close_ui(kiosk, qtbot)
        qtbot.waitUntil(lambda: pending_calls() == 0, timeout=10_000)
        pad.close()
        pad.terminal.background.shutdown()
        display.close()
