"""Printing a submitted form on the A4 printer: the PDF rendered on a worker into ``<data_dir>/tmp``, printed, and a
failed job retried from the copy the printer kept, so the citizen never fills anything in again.

The PDF holds personal data. It exists from the render until the done screen is left or the session ends
(:meth:`FormPrinting.close`); one still being written then is deleted as soon as its render ends, and files a
crash left behind are deleted when the terminal starts. The printing helpers are the guide preview's.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from drivers.printer.jobs import message_for
from kiosk.domain.forms import FilledForm
from kiosk.render.form_print import FILE_PREFIX, FormPrintInfo, render_form_pdf
from kiosk.render.printing import delete_file, delete_leftovers, print_document, reprint_document
from kiosk.services.background import Background
from kiosk.services.usage import events as usage
from kiosk.ui.messages import on_language_switched, translate
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:
    from drivers.printer.a4 import A4Printer
    from drivers.printer.jobs import PrintJob

log = logging.getLogger(__name__)

# No printer configured; nothing yet; rendering or printing; printed; failed (retry or finish without it).
NO_PRINTER, NOT_PRINTED, PRINTING, PRINTED, PRINT_FAILED = "noPrinter", "", "printing", "printed", "failed"


def _render(form: FilledForm, tmp_dir: Path, terminal_id: str) -> Path:
    return render_form_pdf(form, tmp_dir, FormPrintInfo(terminal_id, datetime.now().astimezone()))


def _forget(
    printer: Callable[[], A4Printer] | None,
    render: Future[Path] | None,
    printing: Future | None,
    failed_job: str,
) -> None:
    """Once a render (and a print reading its file) has ended, delete what it wrote, and give up a failed job
    the printer kept for a retry: the citizen's form must not stay on the disk after the session (on a worker:
    it waits)."""
    jobs = {failed_job} if failed_job else set()
    for future in (printing, render):
        if future is not None:
            with contextlib.suppress(BaseException):
                outcome = future.result()
                if future is printing and not getattr(outcome, "ok", True):
                    jobs.add(outcome.id)
    if render is not None:
        with contextlib.suppress(BaseException):
            delete_file(render.result())
    for job_id in jobs:
        if printer is None:
            break
        try:
            printer().discard(job_id).result(timeout=30)
            log.info("failed form print %s given up: its kept copy is deleted", job_id)
        except Exception as exc:
            log.error("cannot delete the kept copy of form print %s: %s", job_id, exc)


class FormPrinting(QObject):
    changed = Signal()
    finished = Signal(bool)  # printed (True) or failed (False)

    def __init__(
        self,
        background: Background,
        tmp_dir: Path,
        terminal_id: str,
        printer: Callable[[], A4Printer] | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._background = background
        self._tmp_dir = tmp_dir
        self._terminal_id = terminal_id
        self._printer = printer
        self._state = NO_PRINTER if printer is None else NOT_PRINTED
        self._message = ""
        self._form: FilledForm | None = None
        self._path: Path | None = None
        self._render: Future[Path] | None = None
        self._printing: Future | None = None
        self._failed_job = ""
        self._call: BackgroundCall | None = None
        background.run(delete_leftovers, tmp_dir, FILE_PREFIX)
        on_language_switched(self.changed)

    @property
    def configured(self) -> bool:
        return self._printer is not None

    def start(self, form: FilledForm) -> None:
        """Render the numbered form and print it."""
        self.close()
        if self._printer is None:
            return
        self._form = form
        self._render_and_print()

    @Slot()
    def printAgain(self) -> None:
        """After a failure: the printer's kept job again, or the rendered file, or render it again."""
        if self._printer is None or self._form is None or self._state == PRINTING:
            return
        if self._failed_job:
            self._send(self._background.run(reprint_document, self._printer, self._failed_job))
        elif self._path is not None and self._path.exists():
            self._send(self._background.run(print_document, self._printer, self._path, self._title()))
        else:
            self._render_and_print()

    def close(self) -> None:
        """Forget the form and delete its PDF (once whatever still reads or writes it has ended)."""
        if self._call is not None:
            self._call.cancel()
            self._call = None
        if self._render is not None or self._failed_job:
            render, printing = self._render, self._printing
            settled = (render is None or render.done()) and (printing is None or printing.done())
            printed_ok = printing is None or (
                printing.done()
                and not printing.cancelled()
                and not printing.exception()
                and getattr(printing.result(), "ok", False)
            )
            if settled and printed_ok and not self._failed_job:
                if render is not None:
                    with contextlib.suppress(BaseException):
                        delete_file(render.result())
            else:
                self._background.run(_forget, self._printer, render, printing, self._failed_job)
        self._form = self._path = self._render = self._printing = None
        self._failed_job = ""
        self._set(NO_PRINTER if self._printer is None else NOT_PRINTED, "")

    def document_path(self) -> Path | None:
        return self._path

    # --- the steps -----------------------------------------------------------------------------------------

    def _title(self) -> str:
        # The print queue shows the title: the form's, never the citizen's name.
        return f"表单回执：{self._form.template.title}" if self._form is not None else "表单回执"

    def _render_and_print(self) -> None:
        assert self._form is not None
        self._set(PRINTING, "")
        self._failed_job = ""
        self._path = None
        self._printing = None
        self._render = self._background.run(_render, self._form, self._tmp_dir, self._terminal_id)
        self._call = run_in_background(self._render, self._on_rendered, self._on_render_failed, parent=self)

    def _on_rendered(self, path: Path) -> None:
        self._call = None
        self._path = path
        assert self._printer is not None
        self._send(self._background.run(print_document, self._printer, path, self._title()))

    def _on_render_failed(self, exc: BaseException) -> None:
        self._call = None
        log.error("cannot render the form for printing (E-FORM-PRINT): %s", type(exc).__name__)
        usage.error_shown("E-FORM-PRINT")
        self._fail(message_for("render_failed"))

    def _send(self, future: Future) -> None:
        self._set(PRINTING, "")
        self._printing = future
        self._call = run_in_background(future, self._on_printed, self._on_print_error, parent=self)

    def _on_printed(self, job: PrintJob) -> None:
        self._call = None
        if job.ok:
            log.info("form printed (job %s)", job.id)
            self._failed_job = ""
            self._set(PRINTED, "")
            self.finished.emit(True)
            return
        log.warning("form print failed (job %s): %s", job.id, job.code)
        self._failed_job = job.id if job.document is not None else ""
        self._fail(job.message or self._unusable())

    def _on_print_error(self, exc: BaseException) -> None:
        self._call = None
        log.error("form print could not be sent: %s", exc)
        self._fail(getattr(exc, "message", "") if getattr(exc, "code", "") else self._unusable())

    def _unusable(self) -> str:
        return message_for("unavailable")

    def _fail(self, message: str) -> None:
        self._set(PRINT_FAILED, message)
        self.finished.emit(False)

    def _set(self, state: str, message: str) -> None:
        if (state, message) != (self._state, self._message):
            self._state, self._message = state, message
            self.changed.emit()

    # --- what the form flow shows ------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    @property
    def message(self) -> str:
        """What went wrong, in the language shown."""
        return translate(self._message)

    def set_demo(self, state: str, message: str = "") -> None:
        """A printing state without printing anything (screenshots)."""
        self._set(state, message)
