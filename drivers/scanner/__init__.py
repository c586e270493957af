"""Code scanners: keyboard-wedge scans told from typing (wedge), serial scanners (serial_scanner), the shared
payload decoding (payload) and a simulated serial scanner on a pseudo-terminal (simulator).

The keyboard-wedge classifier is pure; the Qt event filter that applies it lives in kiosk.ui.shell.scan_filter.
"""

from drivers.scanner.framing import TERMINATORS, FrameSplitter, Terminator
from drivers.scanner.payload import PayloadError, ScanPayload, clean_text, decode_scan
from drivers.scanner.wedge import Decision, Scan, Stroke, WedgeClassifier, WedgeConfig

__all__ = [
    "TERMINATORS",
    "Decision",
    "FrameSplitter",
    "PayloadError",
    "Scan",
    "ScanPayload",
    "Stroke",
    "Terminator",
    "WedgeClassifier",
    "WedgeConfig",
    "clean_text",
    "decode_scan",
]
