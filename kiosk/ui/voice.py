"""Spoken prompts for the key steps (take your printout, the idle countdown …), for citizens who read with
difficulty. Qt's text-to-speech speaks asynchronously, so a prompt never blocks the UI; where no engine exists the
terminal is simply silent. A new prompt interrupts the one still being spoken, and a session's end stops speech.

A prompt is spoken in the screen's language by a voice of that language: the engine's voices are searched once
per language (:func:`choose_voice`) and the voice is set before each prompt. A Chinese prompt is never read by an
English voice, nor the other way round: where the engine has no voice for a language, prompts in it are silent
(and the log says so once). espeak-ng (through speech-dispatcher) names its Mandarin voices "Chinese (Mandarin…)"
without a locale Qt knows, so for Chinese those are looked for by name, before Cantonese as a last resort.

Qt's ``speechd`` engine, though, waits without limit for the speech-dispatcher daemon's answers: a daemon that
hangs would freeze the screen. So with that engine the daemon is asked first, off the UI thread and with a short
timeout (:mod:`kiosk.services.speech_probe`), before the engine is made and before each prompt; while it does not
answer, the terminal is silent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QObject, Slot

from kiosk.services.speech_probe import daemon_answers
from kiosk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from kiosk.services.background import Background

log = logging.getLogger(__name__)

# Engines that make no sound: chosen only when asked for by name (tests use Qt's "mock").
_SILENT_ENGINES = {"mock"}
# Elderly listeners follow a slightly slower voice (-1.0 … 1.0; 0 is the engine's normal rate).
RATE = -0.2

# Words in voice names that make a voice the better choice for a language (espeak-ng's names; SAPI and WinRT name
# their voices by person, and their locales already say enough).
_PREFERRED_WORDS = {"en": ("America", "Great Britain"), "zh": ("Mandarin",)}  # the UI has no third language
_CHINESE_BY_NAME = ("Mandarin", "普通话", "中文")  # voices of an unknown locale that speak Mandarin


def choose_voice(voices: Sequence[Any], language: str) -> Any:
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


class VoicePrompts(QObject):
    def __init__(
        self,
        enabled: bool,
        language: Any,
        engine: str = "",
        parent: QObject | None = None,
        background: Background | None = None,
    ) -> None:
        """``language``: anything with a ``language`` attribute ("zh_CN" or "en"), read at each prompt;
        ``background``: where the speech daemon is asked whether it answers (without it, on the UI thread with
        a short timeout)."""
        super().__init__(parent)
        self._background = background
        self._probed_engine = False
        self._enabled = enabled
        self._language = language
        self._engine_name = engine
        self._speech: Any = None
        self._started = False
        self._voices: dict[str, Any] = {}  # language -> its voice (None: the engine has none)

    def start(self) -> None:
        """Load the speech engine (on the UI thread, after the first frame: the module is not small)."""
        if self._started or not self._enabled:
            return
        self._started = True
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = QTextToSpeech.availableEngines()
        name = self._engine_name or next((e for e in engines if e not in _SILENT_ENGINES), "")
        if not name or name not in engines:
            log.info("no speech engine%s: prompts stay silent", f" called {name!r}" if name else "")
            return
        if name == "speechd":
            self._probed_engine = True
            self._when_daemon_answers(lambda: self._load(name))
            return
        self._load(name)

    def _when_daemon_answers(self, then: Any) -> None:
        """Run ``then`` on the UI thread once speech-dispatcher has answered; nothing when it does not."""

        def answered(ok: bool) -> None:
            if ok:
                then()

        if self._background is None:
            answered(daemon_answers(timeout=0.5))
            return
        run_in_background(
            self._background.run(daemon_answers),
            answered,
            lambda exc: log.warning("speech daemon check failed: %s", exc),
            parent=self,
        )

    def _load(self, name: str) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        try:
            self._speech = QTextToSpeech(name, self)
            self._speech.setRate(RATE)
        except Exception as exc:  # a broken engine must not stop the terminal
            log.warning("speech engine %s cannot be used: %s", name, exc)
            self._speech = None
            return
        log.info("spoken prompts through the %s engine", name)

    @property
    def available(self) -> bool:
        return self._speech is not None

    def engine(self) -> Any:
        return self._speech

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
        if self._speech is None:
            return
        text = self._texts().get(key)
        if not text:
            log.warning("no spoken prompt called %s", key)
            return
        if self._probed_engine:
            self._when_daemon_answers(lambda: self._speak(text))
        else:
            self._speak(text)

    def _speak(self, text: str) -> None:
        if self._speech is None:
            return
        voice = self.voice_for(str(getattr(self._language, "language", "zh_CN")))
        self._speech.stop()
        if voice is None:
            return  # no voice speaks this language: silent rather than read in another one
        if self._speech.voice() != voice:
            self._speech.setVoice(voice)
        self._speech.say(text)

    def voice_for(self, language: str) -> Any:
        """The voice prompts in ``language`` are spoken with (None: none; silent), found once per language."""
        if self._speech is None:
            return None
        if language not in self._voices:
            voice = choose_voice(self._candidates(language), language)
            self._voices[language] = voice
            if voice is None:
                log.warning(
                    "the speech engine has no %s voice: prompts in %s stay silent", language, language
                )
            else:
                log.info("prompts in %s are spoken by the voice %r", language, voice.name())
        return self._voices[language]

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

    @Slot()
    def stop(self) -> None:
        if self._speech is not None:
            self._speech.stop()
