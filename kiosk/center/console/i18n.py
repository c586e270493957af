"""The console's words: Chinese in the source (``t("终端")``), English from one catalog file in the package
(``en.json``: Chinese → English). A string missing from the catalog shows in Chinese (and a test lists it)."""

from __future__ import annotations

import functools
import json
import logging
from importlib.resources import files
from typing import Any, Final

log = logging.getLogger(__name__)

LANGUAGES: Final = ("zh", "en")
CATALOG: Final = "en.json"


@functools.cache
def catalog() -> dict[str, str]:
    try:
        loaded = json.loads((files("kiosk.center.console") / CATALOG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.error("the console's English catalog cannot be read: %s", exc)
        return {}
    return {str(k): str(v) for k, v in loaded.items()}


def translate(text: str, language: str, **values: Any) -> str:
    """``text`` in ``language``, with ``{name}`` fields filled from ``values``."""
    shown = catalog().get(text, text) if language == "en" else text
    if values:
        try:
            return shown.format(**values)
        except (KeyError, IndexError, ValueError):
            log.error("console string %r does not take %s", shown, sorted(values))
            return shown
    return shown
