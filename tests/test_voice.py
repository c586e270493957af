"""Spoken prompts through Qt's text-to-speech: spoken where an engine exists (here Qt's silent "mock" engine,
a real engine plugin), silent and harmless where none does, never blocking."""

from __future__ import annotations

import contextlib
import socket
import threading
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.services import speech_probe
from kiosk.ui.tasks import pending_calls
from kiosk.ui.voice import VoicePrompts, choose_voice

ZH = SimpleNamespace(language="zh_CN")
EN = SimpleNamespace(language="en")


def test_a_prompt_is_spoken_without_blocking(qapp, qtbot):
    voice = VoicePrompts(True, EN, "mock")  # Qt's mock engine has English voices (and no Chinese one)
    voice.start()
    assert voice.available
    voice.say("take_printout")  # returns at once; the engine speaks on its own
    qtbot.waitUntil(lambda: voice.engine().state() == QTextToSpeech.State.Speaking, timeout=3_000)
    assert voice.engine().voice().locale().language() == QLocale.Language.English
    voice.stop()
    qtbot.waitUntil(lambda: voice.engine().state() == QTextToSpeech.State.Ready, timeout=3_000)


def test_a_prompt_without_a_voice_of_its_language_is_silent_not_misread(qapp, qtbot):
    voice = VoicePrompts(True, ZH, "mock")
    voice.start()
    assert voice.available and voice.voice_for("zh_CN") is None
    voice.say("take_printout")  # a Chinese prompt is not read out by an English voice
    qtbot.wait(200)
    assert voice.engine().state() == QTextToSpeech.State.Ready


class FakeVoice:
    def __init__(self, name: str, locale: str) -> None:
        self._name, self._locale = name, QLocale(locale)

    def name(self) -> str:
        return self._name

    def locale(self) -> QLocale:
        return self._locale


def test_each_language_gets_a_voice_of_its_own():
    espeak = [
        FakeVoice("Bishnupriya Manipuri", "C"),
        FakeVoice("English (Caribbean)", "en_US"),
        FakeVoice("English (America)+Max", "en_US"),
        FakeVoice("English (America)", "en_US"),
        FakeVoice("English (Great Britain)", "en_GB"),
        FakeVoice("Chinese (Cantonese)", "yue_HK"),
        FakeVoice("Hakka Chinese", "C"),
        FakeVoice("Chinese (Mandarin, latin as English)", "C"),
    ]
    assert choose_voice(espeak, "en").name() == "English (America)"
    assert choose_voice(espeak, "zh_CN").name() == "Chinese (Mandarin, latin as English)"
    assert choose_voice(espeak[:-1], "zh_CN").name() == "Chinese (Cantonese)"  # understood in Guangdong
    windows = [FakeVoice("Microsoft Zira", "en_US"), FakeVoice("Microsoft Huihui", "zh_CN")]
    assert choose_voice(windows, "zh_CN").name() == "Microsoft Huihui"
    assert choose_voice(windows, "en").name() == "Microsoft Zira"
    assert choose_voice(windows[:1], "zh_CN") is None
    assert choose_voice([], "en") is None


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
    kiosk.app_state.setProperty("language", "en")  # the mock engine speaks English only
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


# --- the real engine: speech-dispatcher with espeak-ng -------------------------------------------------------------


@pytest.fixture
def speech_daemon(tmp_path, monkeypatch):
    """A speech-dispatcher of this test's own (its socket in tmp_path), where one is installed."""
    import os
    import shutil
    import signal
    import subprocess
    import tempfile
    import time
    from pathlib import Path

    program = shutil.which("speech-dispatcher")
    if program is None:
        pytest.skip("speech-dispatcher is not installed")
    # A Unix socket's path must be short (108 bytes): not under pytest's long tmp_path.
    folder = Path(tempfile.mkdtemp(prefix="kiosk-sd-"))
    socket_path = folder / "speechd.sock"
    daemon = subprocess.Popen(
        [program, "-s", "-c", "unix_socket", "-S", str(socket_path), "-t", "0",
         "-P", str(tmp_path / "pid"), "-L", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: its output modules go with it
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not (socket_path.is_socket() and speech_probe.daemon_answers(socket_path, timeout=1)):
            if time.monotonic() > deadline or daemon.poll() is not None:
                pytest.skip("speech-dispatcher does not start here")
            time.sleep(0.1)
        monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{socket_path}")
        yield socket_path
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait(5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(daemon.pid, signal.SIGKILL)  # a module the daemon left behind
        shutil.rmtree(folder, ignore_errors=True)


def test_with_the_real_engine_english_prompts_get_an_english_voice_and_chinese_ones_a_chinese_voice(
    qapp, qtbot, speech_daemon
):
    language = SimpleNamespace(language="en")
    voice = VoicePrompts(True, language, "speechd")
    voice.start()
    qtbot.waitUntil(lambda: voice.available, timeout=10_000)
    english, chinese = voice.voice_for("en"), voice.voice_for("zh_CN")
    if english is None or chinese is None:
        pytest.skip("espeak-ng's English and Chinese voices are not installed")
    assert english.locale().language() == QLocale.Language.English
    assert "Chinese" in chinese.name() or chinese.locale().language() == QLocale.Language.Chinese
    voice.say("take_printout")
    assert voice.engine().voice().name() == english.name()
    language.language = "zh_CN"
    voice.say("take_printout")
    assert voice.engine().voice().name() == chinese.name()
    voice.stop()
