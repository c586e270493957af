"""The speech engine's own process (``kiosk _speech [ENGINE]``, started by :mod:`kiosk.ui.shell.voice`).

An engine may block in its own calls without limit: Qt's ``speechd`` engine waits for every answer of the
speech-dispatcher daemon, and a daemon whose audio output hangs never answers. A blocking call through PySide keeps
Python's interpreter lock, so on a thread of the terminal it would stop the touch UI with it. Here it stops only
this process, which the terminal notices (requests go unanswered), ends and starts again later.

Requests come on standard input and answers go out on standard output, one JSON object a line:

    in:  {"op": "say", "id": 3, "text": "…", "language": "en"}    {"op": "stop", "id": 4}
         {"op": "announce", "id": 5, "text": "…", "language": "zh_CN", "times": 2, "chime": true}
    out: {"event": "ready", "engine": "speechd", "voices": {"zh_CN": {"name": …, "locale": "zh_CN"} | null, …}}
         {"event": "none"}   (no engine: the terminal stays silent)
         {"event": "ack", "id": 3}
         {"event": "state", "state": "speaking" | "ready" | "paused" | "error" | "synthesizing"}
         {"event": "done", "id": 5, "completed": true, "chime": true}

``say`` cuts off whatever is being said (a prompt for the citizen at the screen). ``announce`` waits for the
announcements before it: the chime, then the text ``times`` times, each utterance to its end
(:mod:`kiosk.ui.shell.speech_announcements`); ``done`` says when it is over (``completed`` false: a ``say`` or a
``stop`` cut it off; ``chime`` false: it was spoken without the chime, where there is no audio output). Every
request is acknowledged at once, an announcement long before it is done.

The process ends when its standard input closes. Its log lines go to standard error, which the terminal logs.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal, Slot

log = logging.getLogger("kiosk.speech")

LANGUAGES = ("zh_CN", "en")
# Engines that make no sound: chosen only when asked for by name (tests use Qt's "mock").
SILENT_ENGINES = {"mock"}
# Elderly listeners follow a slightly slower voice (-1.0 … 1.0; 0 is the engine's normal rate).
RATE = -0.2
# Seconds the process waits for its event loop to end once the terminal has gone, before it ends anyway.
EXIT_GRACE_S = 3.0

# Words in voice names that make a voice the better choice for a language (espeak-ng's names; SAPI and WinRT name
# their voices by person, and their locales already say enough).
_PREFERRED_WORDS = {"en": ("America", "Great Britain"), "zh": ("Mandarin",)}  # the UI has no third language
_CHINESE_BY_NAME = ("Mandarin", "普通话", "中文")  # voices of an unknown locale that speak Mandarin


def choose_voice(voices: list[Any], language: str) -> Any:
    """The voice, among ``voices`` (QVoice, or anything with ``name()`` and ``locale()``), that should speak
    ``language`` ("zh_CN" or "en"); None when none speaks it. A voice of the exact locale comes first, then one of
    the same language (for English, America and Great Britain first), then for Chinese a Mandarin voice known by
    name only, then a Cantonese one. espeak-ng's variants ("English (America)+Max") come after the plain voices."""
    wanted = QLocale(language)
    chinese = wanted.language() == QLocale.Language.Chinese
    preferred = _PREFERRED_WORDS["zh" if chinese else "en"]

    def tier(voice: Any) -> int | None:
        locale, name = voice.locale(), voice.name()
        if locale.language() == wanted.language():
            return 0 if locale.territory() == wanted.territory() else 1
        if chinese and locale.language() == QLocale.Language.C and any(w in name for w in _CHINESE_BY_NAME):
            return 2
        if chinese and locale.language() == QLocale.Language.Cantonese:
            return 3
        return None

    ranked = []
    for index, voice in enumerate(voices):
        level = tier(voice)
        if level is not None:
            name = voice.name()
            ranked.append((level, "+" in name, not any(w in name for w in preferred), index, voice))
    return min(ranked, key=lambda r: r[:4])[4] if ranked else None


def _send(message: dict[str, Any]) -> None:
    """One answer line, UTF-8 whatever the platform's own encoding of pipes."""
    sys.stdout.buffer.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()


class Speaker(QObject):
    """The engine and the voice of each language; runs the requests in this process's event loop."""

    request = Signal(object)  # from the reader thread
    finished = Signal()

    def __init__(self, engine_name: str) -> None:
        super().__init__()
        self._engine_name = engine_name
        self._speech: Any = None
        self._voices: dict[str, Any] = {}
        self._announcer: Any = None
        self.request.connect(self._handle)

    def load(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = QTextToSpeech.availableEngines()
        name = self._engine_name or next((e for e in engines if e not in SILENT_ENGINES), "")
        if not name or name not in engines:
            log.info("no speech engine%s: prompts stay silent", f" called {name!r}" if name else "")
            _send({"event": "none"})
            return
        speech = QTextToSpeech(name, self)
        if speech.state() == QTextToSpeech.State.Error:
            log.warning("speech engine %s cannot be used: %s", name, speech.errorString())
            _send({"event": "none"})
            return
        speech.setRate(RATE)
        speech.stateChanged.connect(lambda state: _send({"event": "state", "state": state.name.lower()}))
        self._speech = speech
        found: dict[str, dict[str, str] | None] = {}
        for language in LANGUAGES:
            voice = choose_voice(self._candidates(language), language)
            self._voices[language] = voice
            found[language] = (
                None if voice is None else {"name": voice.name(), "locale": voice.locale().name()}
            )
        from kiosk.ui.shell.speech_announcements import Announcer

        self._announcer = Announcer(speech, self._voices, _send, self)
        _send({"event": "ready", "engine": name, "voices": found})

    def _candidates(self, language: str) -> list[Any]:
        """The engine's voices that may speak ``language``: those of its locales in that language (and, for
        Chinese, of the locales Qt cannot name, and Cantonese). Asked locale by locale: an engine may hold many
        thousands of voices in all."""
        wanted = QLocale(language).language()
        related = {wanted}
        if wanted == QLocale.Language.Chinese:
            related |= {QLocale.Language.C, QLocale.Language.Cantonese}
        speech = self._speech
        before = speech.locale()
        voices: list[Any] = []
        for locale in speech.availableLocales():
            if locale.language() in related:
                speech.setLocale(locale)
                voices.extend(speech.availableVoices())
        if speech.locale() != before:
            speech.setLocale(before)
        return voices

    @Slot(object)
    def _handle(self, message: Any) -> None:
        if message is None:  # standard input closed: the terminal is gone or ends us
            self.finished.emit()
            return
        op = message.get("op") if isinstance(message, dict) else None
        if self._announcer is not None and op in ("say", "stop"):
            self._announcer.interrupt()  # a prompt or a stop cuts in
        if op == "announce":
            if self._announcer is not None:
                self._announcer.add(message)
            else:  # no engine: over at once, unspoken
                _send({"event": "done", "id": message.get("id"), "completed": False, "chime": False})
        elif self._speech is not None and op == "say":
            self._speech.stop()
            voice = self._voices.get(str(message.get("language", "")))
            if voice is not None:  # no voice speaks this language: silent rather than read in another one
                if self._speech.voice() != voice:
                    self._speech.setVoice(voice)
                self._speech.say(str(message.get("text", "")))
        elif self._speech is not None and op == "stop":
            self._speech.stop()
        if isinstance(message, dict) and "id" in message:
            _send({"event": "ack", "id": message["id"]})


def _read_requests(speaker: Speaker) -> None:
    for line in sys.stdin.buffer:
        try:
            speaker.request.emit(json.loads(line.decode("utf-8")))
        except ValueError:
            log.warning("unreadable request ignored (%d characters)", len(line))
    speaker.request.emit(None)
    # The terminal is gone (its end of the pipe closed: it ended, or it was killed). The event loop may be stuck
    # in an engine's call that never returns (a speech daemon without audio), so it may never quit: end the
    # process anyway, or every crash of the terminal would leave one more of these behind.
    time.sleep(EXIT_GRACE_S)
    log.warning("the engine did not stop within %.0f s of the terminal leaving: ending anyway", EXIT_GRACE_S)
    os._exit(0)


def _end_with_the_terminal() -> None:
    """On Linux, have the kernel end this process when the terminal's process ends, however it ends (a SIGKILL
    included): an engine's call may block holding Python's lock (a speech daemon that accepts no more
    connections), so no thread of ours could notice. Elsewhere the end of standard input does it (below)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL))
    except (OSError, AttributeError) as exc:
        log.warning("cannot ask to end with the terminal: %s", exc)
        return
    if os.getppid() == 1:  # the terminal ended before the request above: end now
        os._exit(0)


def main(argv: list[str]) -> int:
    _end_with_the_terminal()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    app = QCoreApplication([sys.argv[0]])
    from kiosk.ui.shell.qt_log import forward_qt_messages

    forward_qt_messages()
    speaker = Speaker(argv[0] if argv else "")
    speaker.finished.connect(app.quit)
    # Requests are read before the engine loads: loading may block for good (a speech daemon that accepts no more
    # connections), and the end of the terminal must still be seen, to end this process too.
    threading.Thread(target=_read_requests, args=(speaker,), name="requests", daemon=True).start()
    speaker.load()
    code = app.exec()
    # Out now, without the engine's destructors: speechd's blocks on a daemon's socket that is no longer read
    # (seen leaving one process behind per crash of the terminal).
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
