"""The A4 print preview of the open guide.

The PDF is rendered on a worker into the data directory's ``tmp`` folder and its pages reach QML through the
``image://preview`` provider. The file exists only while the preview screen is open: leaving the screen (返回,
首页 or the idle reset) deletes it, and files left behind by a crash are removed at start.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

from drivers.printer.jobs import message_for
from kiosk.config import Settings
from kiosk.render.guide_print import GuideDocumentInfo, render_guide_pdf
from kiosk.render.preview import page_count
from kiosk.render.printing import (
    PREVIEW_PREFIX,
    delete_file,
    delete_leftovers,
    delete_when_done,
    print_document,
    reprint_document,
)
from kiosk.services.background import Background
from kiosk.services.usage import events as usage
from kiosk.ui.features.guide.guide_screen import GuideScreen
from kiosk.ui.features.guide.preview_images import PreviewImageProvider
from kiosk.ui.messages import on_language_switched, translate
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:  # types only: the cache's modules load after the first frame
    from collections.abc import Callable
    from concurrent.futures import Future

    from drivers.printer.a4 import A4Printer
    from drivers.printer.jobs import PrintJob
    from kiosk.domain.catalog import ServiceItem

log = logging.getLogger(__name__)

IDLE, RENDERING, READY, ERROR = "idle", "rendering", "ready", "error"
# Printing, once the preview is ready: nothing yet, on its way, printed, or failed (the job can be retried).
NOT_PRINTED, PRINTING, PRINTED, PRINT_FAILED = "", "printing", "printed", "failed"


# guide_print is imported above, on the UI thread: a worker importing a Qt extension module while the UI thread
# runs Qt's event loop can deadlock.


def _render(item: ServiceItem, out_path: Path, terminal_id: str, language: str) -> tuple[Path, int]:
    info = GuideDocumentInfo(
        terminal_id=terminal_id, printed_at=datetime.now().astimezone(), language=language
    )
    path = render_guide_pdf(item, out_path, info)
    return path, page_count(path)


class PrintPreview(QObject):
    stateChanged = Signal()
    documentChanged = Signal()
    printFinished = Signal(bool)  # printed (True) or failed (False)

    def __init__(
        self,
        settings: Settings,
        background: Background,
        guide: GuideScreen,
        navigator: Navigator,
        provider: PreviewImageProvider,
        language: object,
        parent: QObject | None = None,
        printer: Callable[[], A4Printer] | None = None,
    ) -> None:
        """``printer`` gives the A4 printer (built on first use, on a worker); without one the preview only shows."""
        super().__init__(parent)
        self._printer = printer
        self._print_state = NOT_PRINTED
        self._print_message = ""
        self._failed_job = ""
        self._print_call: BackgroundCall | None = None
        self._settings = settings
        self._background = background
        self._guide = guide
        self._navigator = navigator
        self._provider = provider
        self._language = language  # anything with a ``language`` attribute (the app state)
        self._state = IDLE
        self._path: Path | None = None
        self._pages = 0
        self._revision = 0
        self._call: BackgroundCall | None = None
        self._render: Future | None = None
        self._tmp_dir = settings.data_dir / "tmp"
        self._background.run(delete_leftovers, self._tmp_dir)
        navigator.left.connect(self._on_screen_left)
        on_language_switched(self._on_language_switched)

    @Slot()
    def show(self) -> None:
        """Render the open guide as the printout and show its pages."""
        if self._start():
            self._navigator.push("preview")

    @Slot()
    def retry(self) -> None:
        self._start()

    def _start(self) -> bool:
        item = self._guide.item()
        if item is None:
            return False
        self.close()
        self._tmp_dir.mkdir(parents=True, exist_ok=True)
        out_path = self._tmp_dir / f"{PREVIEW_PREFIX}{uuid.uuid4().hex}.pdf"
        self._path = out_path
        language = str(getattr(self._language, "language", "zh_CN"))
        self._set_state(RENDERING)
        self._render = self._background.run(_render, item, out_path, self._settings.terminal_id, language)
        self._call = run_in_background(self._render, self._on_rendered, self._on_failed, parent=self)
        return True

    # --- printing ----------------------------------------------------------------------------------------

    @Slot()
    def print(self) -> None:
        """Send the shown guide to the A4 printer; a failed job is kept by the printer for :meth:`printAgain`."""
        if self._printer is None or self._state != READY or self._path is None:
            return
        if self._print_state == PRINTING:
            return
        item = self._guide.item()
        title = f"办事指南：{item.name}" if item is not None else "办事指南"
        self._set_print(PRINTING, "")
        self._print_call = run_in_background(
            self._background.run(print_document, self._printer, self._path, title),
            self._on_printed,
            self._on_print_error,
            parent=self,
        )

    @Slot()
    def printAgain(self) -> None:
        """Retry the failed job with the document the printer kept (nothing is rendered again)."""
        if self._printer is None or not self._failed_job or self._print_state == PRINTING:
            return
        self._set_print(PRINTING, "")
        self._print_call = run_in_background(
            self._background.run(reprint_document, self._printer, self._failed_job),
            self._on_printed,
            self._on_print_error,
            parent=self,
        )

    def _on_printed(self, job: PrintJob) -> None:
        self._print_call = None
        if job.ok:
            log.info("guide printed (job %s)", job.id)
            if (item := self._guide.item()) is not None:
                usage.guide_printed(item.code)
            self._failed_job = ""
            self._set_print(PRINTED, "")
        else:
            log.warning("guide print failed (job %s): %s", job.id, job.code)
            usage.error_shown("E-PRINT-JOB")
            self._failed_job = job.id
            self._set_print(PRINT_FAILED, job.message)
        self.printFinished.emit(job.ok)

    def _on_print_error(self, exc: BaseException) -> None:
        self._print_call = None
        log.error("guide print could not be sent: %s", exc)
        usage.error_shown("E-PRINT-SEND")
        message = getattr(exc, "message", "") if getattr(exc, "code", "") else ""
        self._set_print(PRINT_FAILED, message or message_for("unavailable"))

    def _set_print(self, state: str, message: str) -> None:
        self._print_state, self._print_message = state, message
        self.stateChanged.emit()

    @Property(bool, constant=True)
    def canPrint(self) -> bool:
        return self._printer is not None

    @Property(str, notify=stateChanged)
    def printState(self) -> str:
        return self._print_state

    @Property(str, notify=stateChanged)
    def printMessage(self) -> str:
        return translate(self._print_message)

    @Property(bool, notify=stateChanged)
    def canRetryPrint(self) -> bool:
        return bool(self._failed_job)

    def close(self) -> None:
        """Forget the shown document and delete its file."""
        if self._print_call is not None:
            self._print_call.cancel()
            self._print_call = None
        self._print_state, self._print_message, self._failed_job = NOT_PRINTED, "", ""
        if self._call is not None:
            self._call.cancel()
            self._call = None
        self._provider.set_document(None)
        if self._path is not None:
            path, render = self._path, self._render
            self._path = self._render = None
            if render is None or render.done():
                delete_file(path)  # one unlink: well within a frame
            else:  # the render still writes the file: delete it once the render has finished
                self._background.run(delete_when_done, render, path)
        if self._pages:
            self._pages = 0
            self.documentChanged.emit()
        self._set_state(IDLE)

    def clear(self) -> None:
        self.close()

    def document_path(self) -> Path | None:
        return self._path

    def _on_rendered(self, result: tuple[Path, int]) -> None:
        self._call = None
        path, pages = result
        if path != self._path:
            delete_file(path)
            return
        self._provider.set_document(path)
        self._pages = pages
        self._revision += 1
        self.documentChanged.emit()
        self._set_state(READY)

    def _on_failed(self, exc: BaseException) -> None:
        self._call = None
        log.error("cannot render the guide for printing (E-PRINT): %s", exc)
        usage.error_shown("E-PRINT")
        self._set_state(ERROR)

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit()

    def _on_screen_left(self, screen: str) -> None:
        if screen == "preview":
            self.close()

    def _on_language_switched(self) -> None:
        """The printout's labels follow the screen's language: a preview on screen is made again."""
        self.stateChanged.emit()
        showing = self._navigator.current == "preview" and self._state in (RENDERING, READY)
        if showing and self._print_state != PRINTING:
            self._start()

    @Property(str, notify=stateChanged)
    def state(self) -> str:
        return self._state

    @Property(int, notify=documentChanged)
    def pageCount(self) -> int:
        return self._pages

    @Property(int, notify=documentChanged)
    def revision(self) -> int:
        """Changes with every new document, so QML never shows a cached page of an older one."""
        return self._revision
