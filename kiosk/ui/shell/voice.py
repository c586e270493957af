"""Spoken prompts for the key steps (take your printout, the idle countdown …), for citizens who read with
difficulty, and the hall display's announced calls. A prompt never blocks the UI; where no engine exists the
terminal is simply silent. A new prompt interrupts the one still being spoken, and a session's end stops speech.

Announcements (:meth:`VoicePrompts.announce`: a chime, then the text twice) are queued instead: each waits until
the one before it was spoken to its end, so a call is never cut off or overlapped by the next (Novo SGA's issue
78). The queue is kept here, in the terminal: the speech process is sent one announcement at a time and says when
it is done; an announcement not done within ``ANNOUNCE_TIMEOUT_S`` means a stuck engine (ended and started again,
as below), and one that waited longer than ``ANNOUNCE_MAX_AGE_S`` (the engine was away) is dropped, not said late.

The engine runs in a process of its own (:mod:`kiosk.ui.shell.speech_process`, the program started again with a hidden
argument), never in the terminal's: an engine may block in its own calls without limit (Qt's ``speechd`` engine
waits for every answer of the speech-dispatcher daemon, which never comes when the daemon's audio output hangs), and
a blocking call through PySide keeps Python's interpreter lock, so on any thread of the terminal it would freeze the
touch UI. The terminal sends each request on the process's standard input and expects it acknowledged; a process
that does not start, stops answering or dies is ended and started again later (with a growing pause), and the
terminal stays silent meanwhile.

A prompt is spoken in the screen's language by a voice of that language, chosen once per language by the speech
process (:func:`kiosk.ui.shell.speech_process.choose_voice`). A Chinese prompt is never read by an English voice, nor the
other way round: where the engine has no voice for a language, prompts in it are silent.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, QProcess, QTimer, Signal, Slot

from kiosk.program import SPEECH, program_command

log = logging.getLogger(__name__)
child_log = logging.getLogger("kiosk.speech")

START_TIMEOUT_S = 20.0  # from starting the process to its engine being ready (or known to be missing)
ANSWER_TIMEOUT_S = 10.0  # a request not acknowledged by then: the engine is stuck
RESTART_FIRST_S = 30.0  # the pause before starting a stuck or dead engine again, doubled each time
RESTART_MAX_S = 600.0
CLOSE_WAIT_MS = 1000
ANNOUNCE_TIMEOUT_S = 45.0  # an announcement (chime and two readings, a few seconds) not done by then: stuck
ANNOUNCE_MAX_AGE_S = 60.0  # an announcement that could not be made for this long is no longer news
ANNOUNCE_QUEUE_MAX = 20  # beyond this many waiting, the oldest go (the screen shows every call anyway)

# What the process is doing: not asked for, starting, speaking prompts, no engine (silent), waiting to restart.
OFF, STARTING, READY, SILENT, RESTARTING = "off", "starting", "ready", "silent", "restarting"


@dataclass(frozen=True)
class Announcement:
    """A call to announce: ``text`` in ``language``, spoken ``times`` times after the chime."""

    text: str
    language: str
    times: int = 2
    chime: bool = True
    queued_at: float = 0.0


@dataclass(frozen=True)
class Voice:
    """A voice of the engine, as the speech process reported it."""

    name: str
    locale: str  # e.g. "en_US", "zh_CN"; "C" where the engine gives none Qt knows


class VoicePrompts(QObject):
    """The terminal's spoken prompts, as the screens ask for them (on the UI thread)."""

    changed = Signal()
    announced = Signal(str, bool)  # an announcement's text, and whether it was spoken to its end

    def __init__(self, enabled: bool, language: Any, engine: str = "", parent: QObject | None = None) -> None:
        """``language``: anything with a ``language`` attribute ("zh_CN" or "en"), read at each prompt;
        ``engine``: a Qt text-to-speech engine by name (empty: the platform's own)."""
        super().__init__(parent)
        self._enabled = enabled
        self._language = language
        self._engine_name = engine
        self._process: QProcess | None = None
        self._status = OFF
        self._engine = ""
        self._voices: dict[str, Voice | None] = {}
        self._speaking_state = ""
        self._output = b""
        self._next_id = 0
        self._unanswered: dict[int, float] = {}  # request id -> when it was sent
        self._announcements: deque[Announcement] = deque()
        self._announcing: tuple[int, Announcement, float] | None = None  # request id, what, when sent
        self._started_at = 0.0
        self._restart_after = RESTART_FIRST_S
        self._watchdog = QTimer(self, interval=500)
        self._watchdog.timeout.connect(self._check)
        self._restart = QTimer(self, singleShot=True)
        self._restart.timeout.connect(self._launch)

    # --- the process ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the speech process (after the first frame: loading an engine takes a while)."""
        if self._enabled and self._status == OFF:
            self._launch()

    @Slot()
    def _launch(self) -> None:
        process = QProcess(self)
        command = program_command(SPEECH, *([self._engine_name] if self._engine_name else []))
        process.setProgram(command[0])
        process.setArguments(command[1:])
        if sys.platform != "win32":
            # Nothing of the terminal's open files goes with it: not the database, a serial port or a listening
            # socket (Windows passes on only handles made inheritable, and Python makes none so).
            process.setUnixProcessParameters(QProcess.UnixProcessFlag.CloseFileDescriptors)
        process.readyReadStandardOutput.connect(self._read_answers)
        process.readyReadStandardError.connect(self._read_log)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process, self._output = process, b""
        self._set_status(STARTING)
        self._started_at = time.monotonic()
        process.start()
        self._watchdog.start()

    def _abandon(self, reason: str) -> None:
        """End the process (it is stuck or gone) and start another one after a pause."""
        process, self._process = self._process, None
        self._watchdog.stop()
        self._unanswered.clear()
        self._engine, self._voices, self._speaking_state = "", {}, ""
        if self._announcing is not None:
            log.warning(
                "the announcement %r was not made (the speech engine is started again)",
                self._announcing[1].text,
            )
            self._announcing = None
        if process is not None:
            process.readyReadStandardOutput.disconnect(self._read_answers)
            process.finished.disconnect(self._on_finished)
            process.errorOccurred.disconnect(self._on_error)
            process.kill()
            process.waitForFinished(0)
            process.deleteLater()
        log.warning(
            "the speech engine %s: prompts are silent; trying again in %.0f s", reason, self._restart_after
        )
        self._set_status(RESTARTING)
        self._restart.start(int(self._restart_after * 1000))
        self._restart_after = min(self._restart_after * 2, RESTART_MAX_S)

    @Slot()
    def _check(self) -> None:
        now = time.monotonic()
        if self._status == STARTING and now - self._started_at > START_TIMEOUT_S:
            self._abandon(f"did not start within {START_TIMEOUT_S:.0f} s")
        elif self._unanswered and now - min(self._unanswered.values()) > ANSWER_TIMEOUT_S:
            self._abandon(f"did not answer within {ANSWER_TIMEOUT_S:.0f} s")
        elif self._announcing is not None and now - self._announcing[2] > ANNOUNCE_TIMEOUT_S:
            self._abandon(f"did not finish an announcement within {ANNOUNCE_TIMEOUT_S:.0f} s")

    @Slot(int, QProcess.ExitStatus)
    def _on_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._abandon(f"process ended (exit code {code})")

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._abandon("process could not be started")

    @Slot()
    def _read_log(self) -> None:
        if self._process is None:
            return
        for line in (
            bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace").splitlines()
        ):
            level, _, text = line.partition(" ")
            child_log.log(
                logging.getLevelName(level) if level.isupper() else logging.INFO, "%s", text or level
            )

    @Slot()
    def _read_answers(self) -> None:
        if self._process is None:
            return
        self._output += bytes(self._process.readAllStandardOutput().data())
        *lines, self._output = self._output.split(b"\n")
        for line in lines:
            try:
                answer = json.loads(line.decode("utf-8"))
                self._take(answer if isinstance(answer, dict) else {})
            except (ValueError, TypeError, AttributeError) as exc:
                log.warning("unreadable answer from the speech process ignored: %s", exc)

    def _take(self, answer: dict[str, Any]) -> None:
        event = answer.get("event")
        if event == "ack":
            self._unanswered.pop(answer.get("id", -1), None)
        elif event == "state":
            self._speaking_state = str(answer.get("state", ""))
            self.changed.emit()
        elif event == "done":
            self._announcement_done(answer.get("id"), answer.get("completed") is True)
        elif event == "ready":
            self._engine = str(answer.get("engine", ""))
            voices = answer.get("voices") or {}
            self._voices = {
                language: Voice(str(v["name"]), str(v["locale"])) if isinstance(v, dict) else None
                for language, v in voices.items()
            }
            for language, voice in self._voices.items():
                if voice is None:
                    log.warning(
                        "the speech engine has no %s voice: prompts in %s stay silent", language, language
                    )
                else:
                    log.info("prompts in %s are spoken by the voice %r", language, voice.name)
            log.info("spoken prompts through the %s engine", self._engine)
            self._restart_after = RESTART_FIRST_S
            self._set_status(READY)
            self._next_announcement()
        elif event == "none":
            self._set_status(SILENT)
            if self._announcements:
                log.info("no speech engine: %d announcement(s) not made", len(self._announcements))
                self._announcements.clear()

    def _send(self, request: dict[str, Any]) -> int:
        if self._process is None:
            return 0
        self._next_id += 1
        self._unanswered[self._next_id] = time.monotonic()
        line = json.dumps({**request, "id": self._next_id}, ensure_ascii=False) + "\n"
        self._process.write(line.encode("utf-8"))
        return self._next_id

    def _set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self.changed.emit()

    # --- what the terminal asks -------------------------------------------------------------------------------

    @Property(str, notify=changed)
    def status(self) -> str:
        return self._status

    @property
    def available(self) -> bool:
        return self._status == READY

    @property
    def speaking_state(self) -> str:
        """The engine's last reported state ("speaking", "ready", …; tests and the maintenance screen)."""
        return self._speaking_state

    @property
    def waiting(self) -> int:
        """Requests sent to the speech process and not yet acknowledged."""
        return len(self._unanswered)

    @property
    def process_id(self) -> int:
        return int(self._process.processId()) if self._process is not None else 0

    def voice_for(self, language: str) -> Voice | None:
        """The voice prompts in ``language`` are spoken with (None: none, they stay silent)."""
        return self._voices.get(language)

    def _texts(self) -> dict[str, str]:
        return {
            "take_printout": self.tr("已打印好，请从出纸口取走。"),
            "print_failed": self.tr("没有打印成功，请看屏幕上的提示。"),
            "idle_warning": self.tr("您还在使用吗？如果还要继续，请点屏幕上的“继续使用”。"),
            "place_card": self.tr("请把身份证平放在读卡区。"),
            "card_left": self.tr("读卡器上已经放着一张证件。如果是您的，请点屏幕上的“读取这张证件”。"),
            "sign_here": self.tr("请用手指在框内写下您的名字。"),
            "form_submitted": self.tr("表单已提交，正在打印，请稍候。"),
            "rate_service": self.tr("请您为本次服务评价，也可以点“跳过”。"),
        }

    @Slot(str)
    def say(self, key: str) -> None:
        """Speak the prompt ``key`` in the screen's language; returns at once, whatever the engine does."""
        if not self.available:
            return
        text = self._texts().get(key)
        if not text:
            log.warning("no spoken prompt called %s", key)
            return
        self._send({"op": "say", "text": text, "language": str(getattr(self._language, "language", "zh_CN"))})

    def say_text(self, text: str) -> None:
        """Speak ``text``, already in the screen's language (a prompt with numbers in it: "您的号码是 A012，前面还有
        5 人"); like :meth:`say` otherwise."""
        if not self.available or not text:
            return
        self._send({"op": "say", "text": text, "language": str(getattr(self._language, "language", "zh_CN"))})

    @Slot()
    def stop(self) -> None:
        """Silence: what is being said stops, and the announcements waiting are dropped."""
        self._announcements.clear()
        if self.available:
            self._send({"op": "stop"})

    # --- announcements (the hall display's calls) -----------------------------------------------------------

    def announce(self, text: str, language: str | None = None, *, times: int = 2, chime: bool = True) -> None:
        """Queue ``text`` to be announced: the chime, then the text ``times`` times, after every announcement
        queued before it was spoken to its end. ``language``: the voice's ("zh_CN", "en"; default the screen's).
        Returns at once; :attr:`announced` tells when it was made."""
        if not self._enabled or self._status == SILENT or not text:
            return
        language = language or str(getattr(self._language, "language", "zh_CN"))
        self._announcements.append(Announcement(text, language, times, chime, time.monotonic()))
        while len(self._announcements) > ANNOUNCE_QUEUE_MAX:
            dropped = self._announcements.popleft()
            log.warning("too many announcements waiting: %r dropped", dropped.text)
        self._next_announcement()
        self.changed.emit()

    @property
    def announcing(self) -> bool:
        """An announcement is being made now."""
        return self._announcing is not None

    @property
    def queued(self) -> int:
        """Announcements waiting for the one being made."""
        return len(self._announcements)

    def _next_announcement(self) -> None:
        if self._announcing is not None or not self.available:
            return
        now = time.monotonic()
        while self._announcements:
            announcement = self._announcements.popleft()
            if now - announcement.queued_at > ANNOUNCE_MAX_AGE_S:
                log.warning("announcement %r dropped: it could not be made in time", announcement.text)
                continue
            request = {
                "op": "announce",
                "text": announcement.text,
                "language": announcement.language,
                "times": announcement.times,
                "chime": announcement.chime,
            }
            self._announcing = (self._send(request), announcement, now)
            return

    def _announcement_done(self, request_id: Any, completed: bool) -> None:
        if self._announcing is None or self._announcing[0] != request_id:
            return  # (one the terminal gave up on)
        announcement = self._announcing[1]
        self._announcing = None
        if not completed:
            log.info("announcement %r was cut off (a prompt or a stop)", announcement.text)
        self.announced.emit(announcement.text, completed)
        self._next_announcement()
        self.changed.emit()

    def close(self) -> None:
        """End the speech process: its input closes and it ends; one that does not end at once is killed."""
        self._restart.stop()
        self._watchdog.stop()
        process, self._process = self._process, None
        self._announcements.clear()
        self._announcing = None
        if process is not None:
            process.finished.disconnect(self._on_finished)
            process.errorOccurred.disconnect(self._on_error)
            process.closeWriteChannel()
            if not process.waitForFinished(CLOSE_WAIT_MS):
                process.kill()
                process.waitForFinished(CLOSE_WAIT_MS)
        self._set_status(OFF)
