"""The Qt binding must survive a terminal's day: millions of calls without leaking interpreter singletons.

PySide6 6.12.0 on Python 3.11 dropped a reference to ``None`` on every call returning nothing and to ``True`` on
every signal emission, until the interpreter aborted (``none_dealloc``). This keeps such a release out.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject, QSize, Signal

class Probe(QObject):
    fired = Signal(bool)

probe = Probe()
probe.fired.connect(lambda value: None)
size = QSize()
before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
for _ in range(20000):
    size.setWidth(3)
    size.isEmpty()
    probe.fired.emit(True)
    probe.fired.emit(False)
after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
print(before, after)
assert all(a >= b - 100 for a, b in zip(after, before)), (before, after)
"""


def test_calls_and_signals_do_not_leak_interpreter_singletons():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
