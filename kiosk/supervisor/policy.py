"""When to start the role again: the backoff after a crash, and what counts as a crash loop."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 60.0
STABLE_AFTER_S = 600.0  # up this long: the next crash starts the backoff from the beginning
CRASH_LOOP_COUNT = 3
CRASH_LOOP_WINDOW_S = 600.0


@dataclass
class Backoff:
    """The first crash is restarted at once (a citizen may be standing there: the terminal is back as fast as
    it cold-starts); another in a row waits 1 s, doubling at each, at most 60 s; back to "at once" after the
    role stayed up 10 minutes. Three crashes in ten minutes are a crash loop anyway (:class:`CrashHistory`)."""

    first_s: float = BACKOFF_FIRST_S
    max_s: float = BACKOFF_MAX_S
    stable_after_s: float = STABLE_AFTER_S
    _next: float = 0.0

    def after_crash(self, up_for_s: float) -> float:
        """The wait before the next start, after a crash of a process that ran ``up_for_s`` seconds."""
        if up_for_s >= self.stable_after_s:
            self._next = 0.0
        delay = self._next
        self._next = min(max(self._next * 2, self.first_s), self.max_s)
        return delay

    def reset(self) -> None:
        self._next = 0.0


class CrashHistory:
    """Crashes (monotonic times) within the last window: three in ten minutes is a crash loop."""

    def __init__(self, count: int = CRASH_LOOP_COUNT, window_s: float = CRASH_LOOP_WINDOW_S) -> None:
        self.count = count
        self.window_s = window_s
        self._times: deque[float] = deque()

    def add(self, at: float) -> None:
        self._times.append(at)
        self._trim(at)

    def in_loop(self, now: float) -> bool:
        self._trim(now)
        return len(self._times) >= self.count

    def recent(self, now: float) -> int:
        self._trim(now)
        return len(self._times)

    def clear(self) -> None:
        self._times.clear()

    def _trim(self, now: float) -> None:
        while self._times and now - self._times[0] > self.window_s:
            self._times.popleft()
