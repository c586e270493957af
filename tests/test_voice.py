"""Spoken prompts through Qt's text-to-speech: spoken where an engine exists (here Qt's silent "mock" engine,
a real engine plugin), silent and harmless where none does, never blocking."""

from __future__ import annotations

import contextlib
import socket
import threading
from types import SimpleNamespace

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.services import speech_probe
from kiosk.ui.tasks import pending_calls
from kiosk.ui.voice import VoicePrompts

ZH = SimpleNamespace(language="zh_CN")


def test_a_prompt_is_spoken_without_blocking(qapp, qtbot):
    voice = VoicePrompts(True, ZH, "mock")
    voice.start()
    assert voice.available
    voice.say("take_printout")  # returns at once; the engine speaks on its own
    qtbot.waitUntil(lambda: voice.engine().state() == QTextToSpeech.State.Speaking, timeout=3_000)
    voice.stop()
    qtbot.waitUntil(lambda: voice.engine().state() == QTextToSpeech.State.Ready, timeout=3_000)


def test_switched_off_or_without_an_engine_the_terminal_is_silent(qapp):
    off = VoicePrompts(False, ZH, "mock")
    off.start()
    assert not off.available
    off.say("take_printout")

    missing = VoicePrompts(True, ZH, "no-such-engine")
    missing.start()
    assert not missing.available
    missing.say("idle_warning")
    missing.say("not-a-prompt")


def test_the_guide_printout_is_announced(kiosk, qtbot):
    from tests.test_ui_guide_printing import _open_preview
    from tests.ui_support import tap

    kiosk.voice.start()  # the kiosk starts it after its first frame
    assert kiosk.voice.available
    _open_preview(kiosk, qtbot)
    spoken: list[str] = []
    kiosk.voice.engine().stateChanged.connect(lambda state: spoken.append(state.name))
    tap(kiosk, "printButton", qtbot)
    qtbot.waitUntil(lambda: kiosk.preview.printState == "printed", timeout=30_000)
    qtbot.waitUntil(lambda: "Speaking" in spoken, timeout=3_000)


# --- a speech daemon that hangs must not hang the screen ------------------------------------------------------


@pytest.fixture
def hung_daemon(tmp_path, monkeypatch):
    """A speech-dispatcher socket that takes connections and never answers (a wedged daemon)."""
    path = tmp_path / "speechd.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{path}")
    yield path
    server.close()


@pytest.fixture
def answering_daemon(tmp_path):
    path = tmp_path / "ok.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)

    def serve() -> None:
        with contextlib.suppress(OSError):
            conn, _ = server.accept()
            with conn:
                conn.recv(256)
                conn.sendall(b"208 OK CLIENT NAME SET\r\n")
                conn.recv(256)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path
    server.close()
    thread.join(5)


def test_the_daemon_is_asked_with_a_time_limit(hung_daemon, answering_daemon):
    assert speech_probe.socket_path() == hung_daemon
    assert speech_probe.daemon_answers(hung_daemon, timeout=0.3) is False
    assert speech_probe.daemon_answers(answering_daemon, timeout=3) is True
    assert speech_probe.daemon_answers(hung_daemon.parent / "missing.sock") is True  # none yet: none can hang


def test_a_hung_speech_daemon_leaves_the_terminal_silent_not_frozen(qapp, qtbot, hung_daemon, terminal):
    voice = VoicePrompts(True, ZH, "speechd", background=terminal.background)
    voice.start()  # returns at once: the daemon is asked on a worker
    voice.say("take_printout")
    qtbot.waitUntil(lambda: pending_calls() == 0, timeout=10_000)
    assert not voice.available
