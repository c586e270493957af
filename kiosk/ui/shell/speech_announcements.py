"""Announcements in the speech process (:mod:`kiosk.ui.shell.speech_process`): the hall display's calls, each a
chime and then its text spoken ``times`` times, one after another, each to its end.

A spoken prompt (``say``) cuts off whatever is being said, as a prompt for the citizen at the screen should. A call
in a hall must not be cut off by the next call (Novo SGA's issue 78: the next call interrupted the one playing, and
the citizen called first never heard their number), so an announcement waits for the one before it: the engine
reports its states, and an utterance is over when the engine went back to ``ready`` after speaking.

The chime is a short WAV file (``resources/sounds/chime.wav``, made by ``build/make_chime.py``) played through Qt
Multimedia's ``QSoundEffect``, which needs no media back-end plugin, only an audio output. Where there is no audio
output (a machine without sound, a display whose speakers are unplugged) the call is spoken without its chime.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl

log = logging.getLogger("kiosk.speech")

CHIME_MS = 1200  # the chime's length (build/make_chime.py), rounded up
CHIME_SLACK_MS = 1500  # a chime not ended by its length and this is over (an output that never says so)
REPEAT_PAUSE_MS = 700  # between the two readings of a call
START_GRACE_MS = 3000  # an engine that did not begin to speak by then is silent for this text: go on


def chime_path() -> str:
    from kiosk.resources_path import resources_dir

    return str(resources_dir() / "sounds" / "chime.wav")


@dataclass
class _Run:
    """The announcement being made."""

    id: Any
    text: str
    language: str
    times: int
    chime: bool
    spoken: int = 0
    busy: bool = False  # the engine left "ready" for the current utterance
    chimed: bool = False


class Announcer(QObject):
    """Runs the announcements sent to the speech process in order (on its event loop, never blocking it)."""

    def __init__(
        self, speech: Any, voices: dict[str, Any], send: Callable[[dict[str, Any]], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._speech = speech
        self._voices = voices
        self._send = send
        self._queue: deque[dict[str, Any]] = deque()
        self._run: _Run | None = None
        self._step = ""  # chime, speaking, pause
        self._chime: Any = None  # the QSoundEffect, made at the first chime; False: no chime on this machine
        self._guard = QTimer(self, singleShot=True)
        self._guard.timeout.connect(self._on_guard)
        self._pause = QTimer(self, singleShot=True, interval=REPEAT_PAUSE_MS)
        self._pause.timeout.connect(self._speak)
        speech.stateChanged.connect(self._on_state)

    def add(self, message: dict[str, Any]) -> None:
        self._queue.append(message)
        if self._run is None:
            self._next()

    def interrupt(self) -> None:
        """A prompt or a stop cuts in: the announcement being made and those waiting end unfinished."""
        ended = ([self._run.id] if self._run is not None else []) + [m.get("id") for m in self._queue]
        self._queue.clear()
        self._guard.stop()
        self._pause.stop()
        if self._step == "chime" and self._chime:
            self._chime.stop()
        self._run, self._step = None, ""
        for announcement in ended:
            self._send({"event": "done", "id": announcement, "completed": False, "chime": False})

    # --- one announcement ----------------------------------------------------------------------------------

    def _next(self) -> None:
        if not self._queue:
            self._run, self._step = None, ""
            return
        message = self._queue.popleft()
        self._run = _Run(
            id=message.get("id"),
            text=str(message.get("text", "")),
            language=str(message.get("language", "")),
            times=max(1, min(int(message.get("times", 1) or 1), 5)),
            chime=bool(message.get("chime", False)),
        )
        effect = self._chime_effect() if self._run.chime else None
        if effect is None:
            self._speak()
            return
        from PySide6.QtMultimedia import QSoundEffect

        if effect.status() == QSoundEffect.Status.Error:
            self._speak()
            return
        self._step = "chime"
        self._guard.start(CHIME_MS + CHIME_SLACK_MS)
        effect.play()  # (one still loading plays once loaded)

    def _speak(self) -> None:
        run = self._run
        if run is None:
            return
        voice = self._voices.get(run.language)
        if voice is None:  # no voice speaks this language: silent rather than read in another one
            self._finish(True)
            return
        self._step = "speaking"
        run.busy = False
        run.spoken += 1
        if self._speech.voice() != voice:
            self._speech.setVoice(voice)
        self._speech.say(run.text)
        self._guard.start(START_GRACE_MS)

    def _on_state(self, state: Any) -> None:
        run = self._run
        if run is None or self._step != "speaking":
            return
        name = state.name.lower()
        if name in ("speaking", "synthesizing", "paused"):
            run.busy = True
            self._guard.stop()
        elif name == "error" or (name == "ready" and run.busy):
            self._utterance_over()

    def _utterance_over(self) -> None:
        run = self._run
        if run is None:
            return
        self._guard.stop()
        if run.spoken < run.times:
            self._step = "pause"
            self._pause.start()
        else:
            self._finish(True)

    def _on_guard(self) -> None:
        run = self._run
        if run is None:
            return
        if self._step == "chime":
            log.warning("the chime did not end in time: speaking the call without waiting for it")
            self._speak()
        elif self._step == "speaking" and not run.busy:
            log.warning("the speech engine did not begin to speak an announcement: going on")
            self._utterance_over()

    def _finish(self, completed: bool) -> None:
        run = self._run
        self._run, self._step = None, ""
        if run is not None:
            self._send({"event": "done", "id": run.id, "completed": completed, "chime": run.chimed})
        self._next()

    # --- the chime -------------------------------------------------------------------------------------------

    def _chime_effect(self) -> Any:
        """The chime, loaded at first use; None where this machine cannot play it (no audio output)."""
        if self._chime is None:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if QMediaDevices.defaultAudioOutput().isNull():
                log.info("no audio output for the chime: calls are spoken without it")
                self._chime = False
            else:
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(chime_path()))
                effect.playingChanged.connect(self._on_chime_playing)
                effect.statusChanged.connect(self._on_chime_status)
                self._chime = effect
        return self._chime or None

    def _on_chime_playing(self) -> None:
        run = self._run
        if run is None or self._step != "chime":
            return
        if self._chime.isPlaying():
            run.chimed = True
        else:
            self._guard.stop()
            self._speak()

    def _on_chime_status(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if self._chime.status() == QSoundEffect.Status.Error:
            log.warning("the chime cannot be played here (%s): calls are spoken without it", chime_path())
            if self._run is not None and self._step == "chime":
                self._guard.stop()
                self._speak()
