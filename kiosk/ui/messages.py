"""The one place where what the domain, the services and the drivers report is put into the citizen's language.

They report a :class:`kiosk.domain.messages.Message`: a code, its parameters and the Chinese default. Here the code is
looked up in Qt's catalogs (context ``Messages``, the code as the disambiguation, the Chinese template as the
source text), the parameters are translated too when they are messages themselves, and the result is filled in.
Any other text (a department's name, a template's label: the center's content) is shown as it is.

``python -m kiosk.ui.translations`` lists every declared code for lupdate (:func:`lupdate_source`), so the
English catalog holds them all; ``tests/test_messages.py`` fails while one has no English text.

View-models keep the message, not the translated text, and translate when QML reads it; they re-announce their
texts when the language is switched (:func:`on_language_switched`).
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from kiosk.domain.messages import Message, Wording, defined, fill
from kiosk.ui.translations import on_language_switched

__all__ = [
    "CONTEXT",
    "MESSAGE_MODULES",
    "local_date",
    "on_language_switched",
    "translate",
    "translate_all",
    "wordings",
]

log = logging.getLogger(__name__)

CONTEXT = "Messages"

# The modules that declare wordings a citizen or an operator may read on screen. The test of the catalog
# imports every module of kiosk.domain, kiosk.services and drivers and fails when one declares a wording that
# this list misses.
MESSAGE_MODULES = (
    "drivers.idcard.errors",
    "drivers.idcard.reader",
    "drivers.idcard.sdtapi",
    "drivers.idcard.sam_serial",
    "drivers.idcard.textblock",
    "kiosk.domain.identity",
    "drivers.printer.jobs",
    "drivers.printer.a4",
    "drivers.printer.escpos_status",
    "drivers.printer.links",
    "drivers.printer.ticket",
    "drivers.scanner.payload",
    "drivers.scanner.serial_scanner",
    "drivers.sscard.apdu",
    "drivers.sscard.pcsc",
    "kiosk.domain.forms",
    "kiosk.domain.rating",
    "kiosk.services.devices",
    "kiosk.services.identity.identity_code",
    "kiosk.services.progress.service",
    "kiosk.services.rating.service",
    "kiosk.services.rating_pad.ratings",
    "kiosk.services.forms.submission",
    "kiosk.services.sync.engine",
    "kiosk.services.queue.problems",
    "kiosk.services.queue.printout",
    # View-models that keep what they show as a message, so that it follows a later switch of language.
    "kiosk.render.a4_system_printer",
    "kiosk.ui.shell.device_panel",
    "kiosk.ui.features.forms.form_flow",
    "kiosk.ui.features.progress.progress_screen",
    "kiosk.flows.rating",
    "kiosk.flows.forms",
    "kiosk.flows.queue",
    "kiosk.ui.features.queue.queue_screen",
    "kiosk.roles.counter.messages",
)


def wordings() -> dict[str, Wording]:
    """Every wording the screens may show (those declared by :data:`MESSAGE_MODULES`), by code."""
    for name in MESSAGE_MODULES:
        importlib.import_module(name)
    return {code: w for code, w in defined().items() if w.module in MESSAGE_MODULES}


def translate(text: str) -> str:
    """``text`` in the current language: a :class:`Message` by its code, anything else as it is."""
    if not isinstance(text, Message):
        return text
    count = text.plural_count
    template = QCoreApplication.translate(CONTEXT, text.template, text.code, -1 if count is None else count)
    params = {
        name: translate(value) if isinstance(value, str) else value for name, value in text.params.items()
    }
    try:
        return fill(template, params)
    except (ValueError, IndexError) as exc:  # a broken translation: the Chinese is better than nothing
        log.error("the translation of message %s cannot be filled in: %s", text.code, exc)
        return str(text)


def translate_all(texts: Iterable[str]) -> list[str]:
    return [translate(t) for t in texts]


def local_date(day: date) -> str:
    """A date as the language shown writes it: 2026年11月1日 / 1 November 2026."""
    pattern = QCoreApplication.translate(
        "Dates", "yyyy年M月d日"
    )  # a QDate pattern (the English one: d MMMM yyyy)
    return QLocale().toString(QDate(day.year, day.month, day.day), pattern)


# --- for lupdate ---------------------------------------------------------------------------------------------------


def lupdate_source() -> str:
    """Python source that lupdate reads: one ``translate`` call per wording, the code as its disambiguation, a
    count for those with ``{n}`` (their translations have plural forms)."""
    lines = ["from PySide6.QtCore import QCoreApplication", ""]
    for code, wording in sorted(wordings().items()):
        template = json.dumps(wording.template, ensure_ascii=False)
        count = ", 1" if "n" in wording.fields else ""
        lines.append(f'QCoreApplication.translate("{CONTEXT}", {template}, "{code}"{count})')
    return "\n".join(lines) + "\n"
