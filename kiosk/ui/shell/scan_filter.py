"""Keeping keyboard-wedge scans out of text fields: an application-wide key filter that turns them into a signal.

A scanner in keyboard mode types like a very fast keyboard. Installed on the QGuiApplication, :class:`ScanFilter`
runs every key the window system delivers through :class:`~drivers.scanner.wedge.WedgeClassifier`: text keys are
held back for a moment; when they prove to be a scan they are swallowed and ``scanned(text)`` is emitted; when
they prove to be typing they are sent on to the window they were meant for, in their original order, before
anything that came after them. A timer releases held typing once the classifier's gap has passed, so a typed key
reaches its field at most ``max_gap_ms`` (plus a timer tick) late.

Only *spontaneous* key events (those from the window system) are classified. Everything Qt or we ourselves send
with ``sendEvent`` passes untouched, which covers three things at once:

- the Qt Virtual Keyboard: it commits text through the input method (``QInputMethodEvent``, pinyin included) and
  sends its Latin keys, Enter and Backspace as non-spontaneous key events to the focus window;
- Qt Quick forwarding a window's key to the focused item (a second, non-spontaneous delivery of the same key);
- the held keys we send on ourselves (a flag guards that path too).

Shortcuts are matched by Qt before the window's key press is delivered (``ShortcutOverride``), so the filter never
sees, holds or delays a key that triggered a shortcut; keys with Ctrl, Alt or Meta, auto-repeat and non-text keys
end a burst and pass at once. Key releases are kept in step with their presses: held while the presses are held,
swallowed with a scan.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeyEvent, QWindow

from drivers.scanner.wedge import Decision, Stroke, WedgeClassifier, WedgeConfig

log = logging.getLogger(__name__)

_MODIFIER_KEYS = frozenset(
    int(k)
    for k in (
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    )
)
_ENTER_KEYS = frozenset({int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)})
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
_UNRELEASED_TTL_MS = 2000.0  # a swallowed key's release that never came is forgotten after this


@dataclass(slots=True)
class _Pending:
    """A key event held back, as a copy (Qt deletes the original once it has been filtered)."""

    receiver: QObject
    event: QKeyEvent
    press: bool


def keystroke(event: QKeyEvent) -> tuple[Stroke, str]:
    """What a key event means to the classifier: a keyboard-mode scanner sends STX/ETX as Ctrl+B / Ctrl+C."""
    if event.isAutoRepeat():
        return Stroke.OTHER, ""  # a key held down: a person, and it must not be held back
    key, text, mods = event.key(), event.text(), event.modifiers()
    ctrl, alt = bool(mods & _CTRL), bool(mods & _ALT)
    if text == "\x02" or (key == Qt.Key.Key_B and ctrl and not alt):
        return Stroke.STX, ""
    if text == "\x03" or (key == Qt.Key.Key_C and ctrl and not alt):
        return Stroke.ETX, ""
    if key in _ENTER_KEYS and not ctrl and not alt:
        return Stroke.ENTER, ""
    if text and text.isprintable() and ctrl == alt:  # no Ctrl/Alt, or both at once (AltGr on Windows)
        return Stroke.CHAR, text
    return Stroke.OTHER, ""


class ScanFilter(QObject):
    """``clock`` (milliseconds) replaces the key events' own timestamps; tests drive it to be deterministic."""

    scanned = Signal(str)

    def __init__(
        self,
        config: WedgeConfig | None = None,
        *,
        clock: Callable[[], float] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.classifier: WedgeClassifier[_Pending] = WedgeClassifier(config)
        self._clock = clock
        self._enabled = True
        self._queue: list[_Pending] = []
        self._unreleased: list[tuple[int, float]] = []  # (key, when) swallowed presses awaiting their release
        self._resending = False
        self._last_t = 0.0  # the last key's time in the classifier's base, and the monotonic ms we saw it at
        self._last_mono = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer)
        self._timer_due = 0.0
        self._deferred = False

    # -- public ------------------------------------------------------------------------------------------

    @property
    def holding(self) -> bool:
        """Whether keys are held back right now (a scan may be under way)."""
        return bool(self._queue)

    def enabled(self) -> bool:
        return self._enabled

    def setEnabled(self, enabled: bool) -> None:
        """Switched off, every key passes at once (held ones are released first)."""
        if not enabled:
            self.flush()
        self._enabled = enabled

    @Slot()
    def release_due(self) -> None:
        """Release held keys whose gap has passed (the timer calls this; so may a test that moved the clock)."""
        if self.classifier.expire(self._now()):
            self._deliver_queue()
        self._arm_timer()

    @Slot()
    def flush(self) -> None:
        """Release every held key now, whatever the classifier would still wait for."""
        self.classifier.flush()
        self._deliver_queue()
        self._timer.stop()

    # -- the filter ----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if (
            self._resending
            or not self._enabled
            or not event.spontaneous()
            or not isinstance(watched, QWindow)
        ):
            return False
        if not isinstance(event, QKeyEvent):
            return False
        if etype == QEvent.Type.KeyRelease:
            return self._release(watched, event)
        return self._press(watched, event)

    def _press(self, receiver: QObject, event: QKeyEvent) -> bool:
        if event.key() in _MODIFIER_KEYS:  # Shift before a capital: part of whatever is held, not a stroke
            return self._keep_in_step(receiver, event, press=True)
        stroke, text = keystroke(event)
        pending = _Pending(receiver, QKeyEvent(event), press=True)
        self._deferred = False
        decision = self.classifier.feed(stroke, self._key_time(event), pending, text)
        return self._apply(decision, pending)

    def _release(self, receiver: QObject, event: QKeyEvent) -> bool:
        if self._queue:
            return self._keep_in_step(receiver, event, press=False)
        now = time.monotonic() * 1000
        self._unreleased = [(k, at) for k, at in self._unreleased if now - at < _UNRELEASED_TTL_MS]
        for i, (key, _at) in enumerate(self._unreleased):
            if key == event.key():
                del self._unreleased[i]
                return True  # its press went into a scan
        return False

    def _keep_in_step(self, receiver: QObject, event: QKeyEvent, *, press: bool) -> bool:
        if not self._queue:
            return False
        self._queue.append(_Pending(receiver, QKeyEvent(event), press=press))
        return True

    def _apply(self, decision: Decision[_Pending], current: _Pending) -> bool:
        if decision.release:
            self._deliver_queue()
        consumed = True
        if decision.scan is not None:
            self._swallow_queue(current)
            if decision.scan.text:
                log.info(
                    "keyboard scan of %d chars (framed=%s)", len(decision.scan.text), decision.scan.framed
                )
                self.scanned.emit(decision.scan.text)
        elif decision.current == "hold":
            self._queue.append(current)
        else:
            consumed = False
        self._arm_timer()
        return consumed

    def _deliver_queue(self) -> None:
        queue, self._queue = self._queue, []
        self._resending = True
        try:
            for pending in queue:
                try:
                    QCoreApplication.sendEvent(pending.receiver, pending.event)
                except RuntimeError:  # the window was destroyed while its key was held
                    log.warning("a held key was dropped: its window is gone")
        finally:
            self._resending = False

    def _swallow_queue(self, current: _Pending) -> None:
        now = time.monotonic() * 1000
        waiting: list[int] = []
        for pending in (*self._queue, current):
            key = pending.event.key()
            if pending.press:
                waiting.append(key)
            elif key in waiting:
                waiting.remove(key)
        self._unreleased.extend((key, now) for key in waiting)
        self._queue = []

    # -- time ----------------------------------------------------------------------------------------------

    def _key_time(self, event: QKeyEvent) -> float:
        """The key's own timestamp when it has one: keys queued while the UI was busy keep their true spacing."""
        mono = time.monotonic() * 1000
        if self._clock is not None:
            t = float(self._clock())
        else:
            stamp = float(event.timestamp())
            t = stamp if stamp > 0 and (self._last_mono == 0 or stamp >= self._last_t) else self._mapped(mono)
        self._last_t, self._last_mono = t, mono
        return t

    def _mapped(self, mono: float) -> float:
        return mono if self._last_mono == 0 else self._last_t + (mono - self._last_mono)

    def _now(self) -> float:
        if self._clock is not None:
            return float(self._clock())
        return self._mapped(time.monotonic() * 1000)

    def _arm_timer(self) -> None:
        deadline = self.classifier.deadline
        if deadline is None:
            self._timer.stop()
            return
        wait_ms = max(1, math.ceil(deadline - self._now()) + 1)
        self._timer_due = time.monotonic() * 1000 + wait_ms
        self._timer.start(wait_ms)

    @Slot()
    def _on_timer(self) -> None:
        late = time.monotonic() * 1000 - self._timer_due
        if self._clock is None and not self._deferred and late > self.classifier.config.max_gap_ms:
            # The UI thread was busy: the rest of a scan may be waiting in the queue behind this timer. Let it in
            # before deciding, or the scan's tail would land in the text field.
            self._deferred = True
            self._timer_due = time.monotonic() * 1000 + self.classifier.config.max_gap_ms
            self._timer.start(math.ceil(self.classifier.config.max_gap_ms))
            return
        self.release_due()


def install_scan_filter(app: QGuiApplication, config: WedgeConfig | None = None) -> ScanFilter:
    """Install the scan filter on the application; connect ``scanned`` to whatever handles scans."""
    scan_filter = ScanFilter(config, parent=app)
    app.installEventFilter(scan_filter)
    return scan_filter


__all__ = ["ScanFilter", "install_scan_filter", "keystroke"]
