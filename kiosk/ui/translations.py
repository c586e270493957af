"""UI languages: the committed catalogs, switching them at run time, and regenerating them from the sources.

Source strings are Chinese (the terminal's default language), so a missing catalog still shows a usable UI.
``kiosk_zh_CN.ts`` translates every message to itself; ``kiosk_en.ts`` holds the English texts. After changing
UI strings run ``python -m kiosk.ui.translations`` (lupdate, then lrelease) and fill in the new English texts.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal
from PySide6.QtQml import QQmlEngine

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

from kiosk.ui.shell.paths import qml_dir, translations_dir, ui_source_dirs

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")


def catalog_path(language: str, suffix: str = ".qm", directory: Path | None = None) -> Path:
    return (directory or translations_dir()) / f"kiosk_{language}{suffix}"


class Translations:
    """Installs the catalog of one language and swaps it when the citizen switches language.

    Qt's own catalogs stay out: nothing of Qt's shows on these screens, and its messages in the log stay English.
    """

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self._engine: QQmlEngine | None = None
        self.language = ""

    def attach(self, engine: QQmlEngine) -> None:
        """QML bindings using qsTr() are re-evaluated on every later switch."""
        self._engine = engine

    def switch(self, language: str) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        own = QTranslator(self._app)
        if own.load(str(catalog_path(language))):
            self._installed.append(own)
        else:
            log.error("translation catalog for %s is missing: %s", language, catalog_path(language))
        for translator in self._installed:
            self._app.installTranslator(translator)
        QLocale.setDefault(QLocale(language))
        self.language = language
        if self._engine is not None:
            self._engine.retranslate()
        _the_switch().switched.emit()  # view-models translate the domain's messages again (kiosk.ui.messages)

    def close(self) -> None:
        """Take this UI's catalogs out of the application (they are the whole application's, not the UI's: a
        UI made later in the same process, as the screenshot tool and the tests make them, starts clean)."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self._engine = None


class _LanguageSwitch(QObject):
    switched = Signal()


_switch: _LanguageSwitch | None = None


def _the_switch() -> _LanguageSwitch:
    global _switch
    if _switch is None:
        _switch = _LanguageSwitch(QCoreApplication.instance())
    return _switch


def on_language_switched(slot: Callable[[], object]) -> None:
    """Call ``slot`` (a view-model's ``changed``) after each switch of language, so the texts it translates from
    messages (``kiosk.ui.messages.translate``) are read again."""
    _the_switch().switched.connect(slot)


# --- regenerating the catalogs (development time) ---------------------------------------------------------


def _tool(name: str) -> str:
    exe = Path(next(iter(PySide6.__path__))).resolve() / (name + (".exe" if sys.platform == "win32" else ""))
    if not exe.exists():
        raise FileNotFoundError(f"{name} not found next to PySide6 ({exe})")
    return str(exe)


def source_files() -> list[Path]:
    """Every file with translatable strings: the QML and the Python view-models."""
    qml = sorted(qml_dir().rglob("*.qml"))
    python = sorted(p for d in ui_source_dirs() for p in d.rglob("*.py") if p.name != "__init__.py")
    return qml + python


def run_lupdate(ts_files: Iterable[Path], sources: Iterable[Path] | None = None) -> None:
    """lupdate over ``sources`` (default: :func:`source_files`) and, always, the message codes of the domain, the
    services and the drivers (:func:`kiosk.ui.messages.lupdate_source`): they are translated by code at run time,
    so no source file spells them out for lupdate."""
    import tempfile

    from kiosk.ui.messages import lupdate_source

    with tempfile.TemporaryDirectory(prefix="kiosk-lupdate-") as scratch:
        codes = Path(scratch) / "message_codes.py"
        codes.write_text(lupdate_source(), encoding="utf-8")
        _lupdate([*(sources or source_files()), codes], ts_files)


def _lupdate(sources: Iterable[Path], ts_files: Iterable[Path]) -> None:
    files = [str(p) for p in sources]
    cmd = [
        _tool("lupdate"),
        "-silent",
        "-locations",
        "none",
        "-no-obsolete",
        "-source-language",
        "zh_CN",
        *files,
        "-ts",
        *[str(p) for p in ts_files],
    ]
    import subprocess  # the catalog tools run at build time, not when the kiosk starts

    subprocess.run(cmd, check=True, capture_output=True)


def fill_identity(ts_file: Path) -> int:
    """Translate every unfinished message of the source language's catalog to its source text."""
    import xml.etree.ElementTree as ET

    tree = ET.parse(ts_file)
    filled = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        forms = translation.findall("numerusform")  # a message with a count: Chinese has one form
        if forms:
            for form in forms:
                if (form.text or "") != source:
                    form.text = source
                    filled += 1
        elif translation.get("type") in {"unfinished", None} and (translation.text or "") != source:
            translation.text = source
            filled += 1
        if translation.attrib.pop("type", None) is not None:
            filled += 1  # lupdate's guess was already the source text: now it is final
    if filled:
        _write_ts(tree, ts_file)
    return filled


def _write_ts(tree: ET.ElementTree, path: Path) -> None:
    import xml.etree.ElementTree as ET

    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def unfinished_messages(ts_file: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    missing = []
    import xml.etree.ElementTree as ET

    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = translation.findall("numerusform") if translation is not None else []
            texts = (
                [f.text for f in forms] if forms else [translation.text if translation is not None else ""]
            )
            if (
                translation is None
                or translation.get("type") in {"unfinished", "vanished", "obsolete"}
                or not all((text or "").strip() for text in texts)
            ):
                missing.append((name, message.findtext("source") or ""))
    return missing


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    """Compile ``ts_file``. The catalog is written beside ``qm_file`` and renamed over it: a running program maps
    its catalog into memory, and rewriting that file in place would pull the pages from under it."""
    import os
    import subprocess

    part = qm_file.with_name(qm_file.name + ".part")
    try:
        subprocess.run(
            [_tool("lrelease"), "-silent", "-nounfinished", str(ts_file), "-qm", str(part)],
            check=True,
            capture_output=True,
        )
        os.replace(part, qm_file)
    finally:
        part.unlink(missing_ok=True)


def update_catalogs(directory: Path | None = None) -> dict[str, list[tuple[str, str]]]:
    """lupdate both catalogs, fill the Chinese one, lrelease both; returns the untranslated English messages."""
    directory = directory or translations_dir()
    ts = {lang: catalog_path(lang, ".ts", directory) for lang in LANGUAGES}
    run_lupdate([ts["zh_CN"]])
    run_lupdate([ts["en"]])
    if fill_identity(ts["zh_CN"]):
        run_lupdate([ts["zh_CN"]])  # lupdate's own layout again, so the file changes only where a text did
    for lang in LANGUAGES:
        run_lrelease(ts[lang], catalog_path(lang, ".qm", directory))
    return {lang: unfinished_messages(ts[lang]) for lang in LANGUAGES}


def main() -> int:
    missing = update_catalogs()
    for lang, messages in missing.items():
        for context, source in messages:
            print(f"untranslated [{lang}] {context}: {source}")
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
