"""Telling a keyboard-wedge scan from a person typing, from key timings alone.

A scanner in keyboard mode types its payload as a burst (a few milliseconds between keys) ending in Enter, or
framed by STX (Ctrl+B) … ETX (Ctrl+C) when configured so; people leave 80 ms and more between keys. The first
key of a burst cannot be known to be a scan, so every text key is *held* until the classifier knows:

- a burst of at least ``min_length`` characters, no gap above ``max_gap_ms``, ending in Enter: a scan; its keys
  (Enter included) are swallowed;
- STX … ETX: a scan whatever its length and pace (framing wins), as long as no gap exceeds ``frame_gap_ms``;
- anything else (a slow key, a gap passing with nothing after it, a non-text key, Enter after too few
  characters): typing; the held keys are released, in order, before whatever comes next.

The classifier is pure: callers pass each keystroke's time (milliseconds, any base) and an opaque token, and call
:meth:`WedgeClassifier.expire` when :attr:`WedgeClassifier.deadline` passes, so held typing is never later than
``max_gap_ms``. Decisions depend only on the keystroke times, never on when ``expire`` happened to be called:
every token comes back exactly once, released or part of a scan, in the order it went in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, Literal, TypeVar

from drivers.base import DeviceError
from drivers.scanner.payload import clean_text

T = TypeVar("T")


class Stroke(Enum):
    CHAR = "char"  # a key that typed text
    ENTER = "enter"
    STX = "stx"  # Ctrl+B, how keyboard-mode scanners send 0x02
    ETX = "etx"  # Ctrl+C, 0x03
    OTHER = "other"  # any key that is never part of a scan (arrows, Backspace, shortcuts, auto-repeat)


@dataclass(frozen=True, slots=True)
class WedgeConfig:
    """How fast a burst must be to count as a scanner. Scanners type keys < 30 ms apart; people ≥ 80 ms."""

    max_gap_ms: float = 40.0
    min_length: int = 4
    frame_gap_ms: float = 250.0
    max_length: int = 4096
    strip_aim: bool = False

    def __post_init__(self) -> None:
        if self.max_gap_ms <= 0 or self.frame_gap_ms <= 0 or self.min_length < 1 or self.max_length < 1:
            raise ValueError(f"unusable scanner timing: {self}")


@dataclass(frozen=True, slots=True, repr=False)
class Scan(Generic[T]):
    """A complete scan: its clean text, and the tokens of every keystroke it swallowed (terminator included)."""

    text: str
    keys: tuple[T, ...]
    framed: bool = False
    symbology: str = ""

    def __repr__(self) -> str:  # the text may be personal data
        return f"Scan({len(self.text)} chars, {len(self.keys)} keys, framed={self.framed})"


@dataclass(frozen=True, slots=True)
class Decision(Generic[T]):
    """What to do after one keystroke: first deliver ``release`` (held keys that proved to be typing) in order,
    then take ``scan`` if any, then treat the current keystroke as ``current`` says."""

    release: tuple[T, ...] = ()
    current: Literal["pass", "hold", "swallow"] = "pass"
    scan: Scan[T] | None = None


_IDLE, _BURST, _FRAME = "idle", "burst", "frame"


@dataclass(slots=True)
class _Held(Generic[T]):
    tokens: list[T] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    chars: int = 0


class WedgeClassifier(Generic[T]):
    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._state = _IDLE
        self._held: _Held[T] = _Held()
        self._last = 0.0

    @property
    def holding(self) -> bool:
        return self._state != _IDLE

    @property
    def held(self) -> tuple[T, ...]:
        return tuple(self._held.tokens)

    @property
    def deadline(self) -> float | None:
        """The time after which the held keys are typing unless another key comes first."""
        if self._state == _BURST:
            return self._last + self.config.max_gap_ms
        if self._state == _FRAME:
            return self._last + self.config.frame_gap_ms
        return None

    def expire(self, now: float) -> tuple[T, ...]:
        """Release the held keys if their deadline has passed at ``now``."""
        deadline = self.deadline
        if deadline is not None and now > deadline:
            return self.flush()
        return ()

    def flush(self) -> tuple[T, ...]:
        """Release everything held now (the window lost focus, the application is closing)."""
        tokens = tuple(self._held.tokens)
        self._state, self._held = _IDLE, _Held()
        return tokens

    def feed(self, stroke: Stroke, t: float, token: T, text: str = "") -> Decision[T]:
        """Classify one keystroke typed at ``t`` ms; ``text`` is what a CHAR typed."""
        released = self.expire(t)
        decision = self._classify(stroke, t, token, text)
        if released:
            decision = Decision(released + decision.release, decision.current, decision.scan)
        return decision

    # -- the state machine ---------------------------------------------------------------------------------

    def _classify(self, stroke: Stroke, t: float, token: T, text: str) -> Decision[T]:
        state = self._state
        if stroke is Stroke.OTHER or (stroke is Stroke.ETX and state != _FRAME):
            return Decision(self.flush(), "pass")
        if stroke is Stroke.STX:
            released = self.flush()
            self._start(_FRAME, t, token, "")
            return Decision(released, "hold")
        if stroke is Stroke.CHAR:
            if state == _IDLE:
                self._start(_BURST, t, token, text)
                return Decision((), "hold")
            if self._held.chars + len(text) > self.config.max_length:
                return Decision(self.flush(), "pass")
            self._add(t, token, text)
            return Decision((), "hold")
        if stroke is Stroke.ENTER:
            if state == _FRAME:
                self._add(t, token, "\n", counts=False)
                return Decision((), "hold")
            if state == _BURST and self._held.chars >= self.config.min_length:
                return self._finish(token, framed=False)
            return Decision(self.flush(), "pass")
        # ETX closing a frame
        return self._finish(token, framed=True)

    def _start(self, state: str, t: float, token: T, text: str) -> None:
        self._state, self._held = state, _Held()
        self._add(t, token, text, counts=bool(text))

    def _add(self, t: float, token: T, text: str, *, counts: bool = True) -> None:
        self._held.tokens.append(token)
        self._held.text.append(text)
        if counts:
            self._held.chars += len(text)
        self._last = t

    def _finish(self, token: T, *, framed: bool) -> Decision[T]:
        raw = "".join(self._held.text)
        keys = (*self._held.tokens, token)
        self._state, self._held = _IDLE, _Held()
        try:
            text, symbology = clean_text(raw, strip_aim=self.config.strip_aim)
        except DeviceError:
            text, symbology = "", ""  # an empty frame, or noise: swallowed all the same, nothing to report
        return Decision((), "swallow", Scan(text, keys, framed=framed, symbology=symbology))


__all__ = ["Decision", "Scan", "Stroke", "WedgeClassifier", "WedgeConfig"]
