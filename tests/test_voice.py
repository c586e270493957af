"""Spoken prompts through Qt's text-to-speech: spoken where an engine exists (here Qt's silent "mock" engine, a
real engine plugin, and a real speech-dispatcher with espeak-ng where one is installed), silent and harmless where
none does, never blocking. The engine runs in a process of its own: an engine that hangs in its own calls leaves
the terminal silent, not frozen, and is started again later. The hall display's calls are announced in turn: each
waits for the one before it to be spoken to its end, twice, and none is cut off by the next."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QLocale, QTimer

from kiosk.ui.shell import voice as voice_module
from kiosk.ui.shell.speech_process import choose_voice
from kiosk.ui.shell.voice import VoicePrompts

ZH = SimpleNamespace(language="zh_CN")
EN = SimpleNamespace(language="en")


def started(voice: VoicePrompts, qtbot, status: str = "ready") -> VoicePrompts:
    voice.start()
    qtbot.waitUntil(lambda: voice.status == status, timeout=30_000)
    return voice


@contextlib.contextmanager
def ui_heartbeat() -> Iterator[list[float]]:
    """The moments a 20 ms timer on the UI thread fired: a gap means the UI thread was held."""
    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    try:
        yield ticks
    finally:
        timer.stop()


def longest_gap(ticks: list[float]) -> float:
    return max((b - a for a, b in itertools.pairwise(ticks)), default=float("inf"))


def test_a_prompt_is_spoken_without_blocking(qapp, qtbot):
    voice = started(VoicePrompts(True, EN, "mock"), qtbot)  # Qt's mock engine has English voices, no Chinese
    try:
        english = voice.voice_for("en")
        assert english is not None and QLocale(english.locale).language() == QLocale.Language.English
        voice.say("take_printout")  # returns at once; the engine speaks in its own process
        qtbot.waitUntil(lambda: voice.speaking_state == "speaking", timeout=5_000)
        voice.stop()
        qtbot.waitUntil(lambda: voice.speaking_state == "ready", timeout=5_000)
    finally:
        voice.close()
    assert voice.status == "off" and voice.process_id == 0


def test_a_prompt_without_a_voice_of_its_language_is_silent_not_misread(qapp, qtbot):
    voice = started(VoicePrompts(True, ZH, "mock"), qtbot)
    try:
        assert voice.voice_for("zh_CN") is None
        voice.say("take_printout")  # a Chinese prompt is not read out by an English voice
        qtbot.wait(300)
        assert voice.speaking_state != "speaking"
    finally:
        voice.close()


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


def test_switched_off_or_without_an_engine_the_terminal_is_silent(qapp, qtbot):
    off = VoicePrompts(False, ZH, "mock")
    off.start()
    assert off.status == "off" and not off.available
    off.say("take_printout")

    missing = started(VoicePrompts(True, ZH, "no-such-engine"), qtbot, status="silent")
    try:
        missing.say("idle_warning")
        missing.say("not-a-prompt")
        assert not missing.available
    finally:
        missing.close()


def test_the_guide_printout_is_announced(kiosk, qtbot):
    from tests.test_ui_guide_printing import _open_preview
    from tests.ui_support import tap

    started(kiosk.voice, qtbot)  # the kiosk starts it after its first frame
    kiosk.app_state.setProperty("language", "en")  # the mock engine speaks English only
    _open_preview(kiosk, qtbot)
    spoken: list[str] = []
    kiosk.voice.changed.connect(lambda: spoken.append(kiosk.voice.speaking_state))
    tap(kiosk, "printButton", qtbot)
    qtbot.waitUntil(lambda: kiosk.preview.printState == "printed", timeout=30_000)
    qtbot.waitUntil(lambda: "speaking" in spoken, timeout=5_000)


# --- an engine that hangs must not hang the screen -------------------------------------------------------------


@pytest.fixture
def quick_watchdog(monkeypatch):
    """The watchdog's limits shortened, so that a test sees a stuck engine ended and started again."""
    monkeypatch.setattr(voice_module, "START_TIMEOUT_S", 3.0)
    monkeypatch.setattr(voice_module, "ANSWER_TIMEOUT_S", 1.0)
    monkeypatch.setattr(voice_module, "RESTART_FIRST_S", 0.5)


@pytest.fixture
def hung_daemon(monkeypatch) -> Iterator[Path]:
    """A speech-dispatcher socket that takes connections and never answers (a wedged daemon): Qt's speechd
    engine waits for its first answer without limit."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kiosk-hung-"))  # a Unix socket's path must be short
    path = folder / "speechd.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{path}")
    yield path
    server.close()
    shutil.rmtree(folder, ignore_errors=True)


def test_an_engine_that_never_starts_leaves_the_terminal_silent_not_frozen(
    qapp, qtbot, quick_watchdog, hung_daemon
):
    voice = VoicePrompts(True, ZH, "speechd")
    try:
        with ui_heartbeat() as ticks:
            voice.start()  # returns at once: the engine loads in its own process, and hangs there
            for key in ("place_card", "take_printout", "idle_warning"):
                voice.say(key)
                voice.stop()
            qtbot.waitUntil(lambda: voice.status == "restarting", timeout=10_000)
        assert not voice.available
        assert longest_gap(ticks) < 0.5
    finally:
        voice.close()


def test_an_engine_that_stops_answering_is_ended_and_started_again(qapp, qtbot, quick_watchdog):
    voice = started(VoicePrompts(True, EN, "mock"), qtbot)
    try:
        stuck = voice.process_id
        os.kill(stuck, signal.SIGSTOP)  # the engine hangs in a call, as a wedged audio output makes it
        with ui_heartbeat() as ticks:
            voice.say("take_printout")
            qtbot.waitUntil(lambda: voice.status == "restarting", timeout=10_000)
            assert not voice.available
            voice.say("idle_warning")  # silent meanwhile, and harmless
            qtbot.waitUntil(lambda: voice.status == "ready", timeout=30_000)
        assert voice.process_id not in (0, stuck)
        with pytest.raises(ProcessLookupError):
            os.kill(stuck, 0)  # the stuck process was ended, not left behind
        assert longest_gap(ticks) < 0.5
        voice.say("take_printout")
        qtbot.waitUntil(lambda: voice.speaking_state == "speaking", timeout=5_000)
    finally:
        voice.close()


def test_a_speech_process_that_dies_is_started_again(qapp, qtbot, quick_watchdog):
    voice = started(VoicePrompts(True, EN, "mock"), qtbot)
    try:
        dead = voice.process_id
        os.kill(dead, signal.SIGKILL)
        qtbot.waitUntil(lambda: voice.status == "ready" and voice.process_id not in (0, dead), timeout=30_000)
    finally:
        voice.close()


# --- the real engine: speech-dispatcher with espeak-ng -------------------------------------------------------------


def _daemon_answers(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1)
            conn.connect(str(path))
            conn.sendall(b"SET SELF CLIENT_NAME kiosk:test:main\r\n")
            return conn.recv(256).startswith(b"2")
    except OSError:
        return False


@pytest.fixture
def speech_daemon(tmp_path, monkeypatch):
    """A speech-dispatcher of this test's own (its socket in a short temporary folder), where one is installed."""
    yield from _speech_daemon(tmp_path, monkeypatch)


@pytest.fixture
def speech_daemon_with_output(tmp_path, monkeypatch):
    """The same, its audio going to ALSA's "null" device: a machine without a sound card still plays every
    utterance to its end, so the engine reports each one over, as it does with speakers."""
    yield from _speech_daemon(tmp_path, monkeypatch, 'AudioOutputMethod "alsa"\nAudioALSADevice "null"\n')


def _speech_daemon(tmp_path, monkeypatch, audio: str = "") -> Iterator[Path]:
    import shutil
    import subprocess
    import tempfile

    program = shutil.which("speech-dispatcher")
    if program is None:
        pytest.skip("speech-dispatcher is not installed")
    # A Unix socket's path must be short (108 bytes): not under pytest's long tmp_path.
    folder = Path(tempfile.mkdtemp(prefix="kiosk-sd-"))
    socket_path = folder / "speechd.sock"
    config: list[str] = []
    if audio:  # the system's configuration with these audio settings last
        system = Path("/etc/speech-dispatcher")
        if not (system / "speechd.conf").is_file():
            pytest.skip("speech-dispatcher's configuration is not in /etc/speech-dispatcher")
        shutil.copytree(system, tmp_path / "speechd-conf")
        conf = tmp_path / "speechd-conf" / "speechd.conf"
        conf.write_text(conf.read_text(encoding="utf-8") + "\n" + audio, encoding="utf-8")
        config = ["-C", str(conf.parent)]
    daemon = subprocess.Popen(
        [program, "-s", "-c", "unix_socket", "-S", str(socket_path), "-t", "0", *config,
         "-P", str(tmp_path / "pid"), "-L", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: its output modules go with it
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not (socket_path.is_socket() and _daemon_answers(socket_path)):
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
    voice = started(VoicePrompts(True, language, "speechd"), qtbot)
    try:
        english, chinese = voice.voice_for("en"), voice.voice_for("zh_CN")
        if english is None or chinese is None:
            pytest.skip("espeak-ng's English and Chinese voices are not installed")
        assert QLocale(english.locale).language() == QLocale.Language.English
        assert "Chinese" in chinese.name or QLocale(chinese.locale).language() == QLocale.Language.Chinese
        voice.say("take_printout")
        language.language = "zh_CN"
        voice.say("take_printout")
        # Both requests answered by the engine's process: nothing left waiting, nothing restarted. (Without a
        # sound device, speech-dispatcher may then hang in a cancel: the watchdog's case, tested above.)
        qtbot.waitUntil(lambda: voice.waiting == 0, timeout=10_000)
        assert voice.status == "ready"
    finally:
        voice.close()


def test_the_speech_process_holds_none_of_the_terminals_files(qapp, qtbot, tmp_path):
    """A listening socket, the database or a serial port left open in the speech process would outlive them."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    listening.set_inheritable(True)  # as the center's socket is, for its workers
    kept = tmp_path / "kiosk.db"
    with kept.open("wb") as database:
        os.set_inheritable(database.fileno(), True)
        voice = started(VoicePrompts(True, EN, "mock"), qtbot)
        try:
            child_files = {os.readlink(f) for f in Path(f"/proc/{voice.process_id}/fd").iterdir()}
            assert str(kept) not in child_files
            assert f"socket:[{os.fstat(listening.fileno()).st_ino}]" not in child_files
        finally:
            voice.close()
            listening.close()


# --- announcements: the hall display's calls -------------------------------------------------------------------


class Heard:
    """What the engine did, as the terminal was told: each utterance begun, each announcement over."""

    def __init__(self, voice: VoicePrompts) -> None:
        self.voice = voice
        self.utterances = 0
        self.announced: list[tuple[str, bool]] = []
        self._state = voice.speaking_state
        voice.changed.connect(self._changed)
        voice.announced.connect(lambda text, completed: self.announced.append((text, completed)))

    def _changed(self) -> None:
        state = self.voice.speaking_state
        if state == "speaking" and self._state != "speaking":
            self.utterances += 1
        self._state = state


CALLS = ["Number A 0 1 2, please go to counter 3", "Number A 0 1 3, please go to counter 4"]


def test_calls_are_announced_in_turn_each_twice_and_none_is_cut_off(qapp, qtbot):
    voice = started(VoicePrompts(True, EN, "mock"), qtbot)
    heard = Heard(voice)
    try:
        for text in CALLS:
            voice.announce(text)  # both at once, as two counters call at once
        assert voice.announcing and voice.queued == 1  # the second waits for the first
        qtbot.waitUntil(lambda: heard.utterances == 1, timeout=5_000)
        voice.announce(CALLS[0])  # 重呼: the first call again, after the others
        qtbot.waitUntil(lambda: len(heard.announced) == 3, timeout=30_000)
        assert heard.announced == [(CALLS[0], True), (CALLS[1], True), (CALLS[0], True)]
        assert heard.utterances == 6, "each call read twice, each reading to its end"
        assert not voice.announcing and voice.queued == 0
    finally:
        voice.close()


def test_a_prompt_cuts_in_where_a_call_does_not(qapp, qtbot):
    """A prompt for the citizen at the screen stops whatever is being said; a stop drops the calls waiting."""
    voice = started(VoicePrompts(True, EN, "mock"), qtbot)
    heard = Heard(voice)
    try:
        voice.announce(CALLS[0])
        qtbot.waitUntil(lambda: heard.utterances == 1, timeout=5_000)
        voice.say("take_printout")
        qtbot.waitUntil(lambda: heard.announced == [(CALLS[0], False)], timeout=5_000)
        voice.announce(CALLS[0])
        voice.announce(CALLS[1])
        voice.stop()
        qtbot.waitUntil(lambda: len(heard.announced) == 2 and not voice.announcing, timeout=5_000)
        assert heard.announced[1] == (CALLS[0], False) and voice.queued == 0
    finally:
        voice.close()


def test_an_announcement_that_never_ends_restarts_the_engine_and_the_next_call_is_made(
    qapp, qtbot, quick_watchdog, monkeypatch
):
    monkeypatch.setattr(voice_module, "ANNOUNCE_TIMEOUT_S", 8.0)
    voice = started(VoicePrompts(True, EN, "mock"), qtbot)
    heard = Heard(voice)
    try:
        voice.announce(CALLS[0])
        qtbot.waitUntil(lambda: heard.utterances == 1 and voice.waiting == 0, timeout=5_000)
        stuck = voice.process_id
        os.kill(stuck, signal.SIGSTOP)  # the engine hangs mid-call (acknowledged, never done)
        voice.announce(CALLS[1])
        qtbot.waitUntil(lambda: voice.status == "restarting", timeout=10_000)
        qtbot.waitUntil(lambda: heard.announced == [(CALLS[1], True)], timeout=30_000)
        assert voice.process_id not in (0, stuck)
    finally:
        voice.close()


def test_with_the_real_engine_calls_are_announced_in_turn_in_their_language(
    qapp, qtbot, speech_daemon_with_output
):
    voice = started(VoicePrompts(True, ZH, "speechd"), qtbot)
    heard = Heard(voice)
    try:
        if voice.voice_for("zh_CN") is None or voice.voice_for("en") is None:
            pytest.skip("espeak-ng's Chinese and English voices are not installed")
        chinese = "请A零一二号到3号窗口办理"
        voice.announce(chinese)  # the screen's language
        voice.announce(CALLS[1], "en")
        voice.announce(chinese)  # 重呼
        qtbot.waitUntil(lambda: len(heard.announced) == 3, timeout=60_000)
        assert heard.announced == [(chinese, True), (CALLS[1], True), (chinese, True)]
        assert heard.utterances == 6
        assert voice.status == "ready" and voice.waiting == 0
    finally:
        voice.close()
