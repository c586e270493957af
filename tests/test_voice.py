"""Spoken prompts through Qt's text-to-speech: spoken where an engine exists (here Qt's silent "mock" engine,
a real engine plugin), silent and harmless where none does, never blocking."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtTextToSpeech import QTextToSpeech

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
