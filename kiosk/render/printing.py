"""Printing a rendered A4 document and cleaning up after it: shared by every screen that prints one (the guide's
print preview, the filled form). Run on a worker: printing waits for the job."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drivers.printer.a4 import A4Printer
    from drivers.printer.jobs import PrintJob

log = logging.getLogger(__name__)

PRINT_WAIT_S = 180
PREVIEW_PREFIX = "guide-preview-"


def print_document(printer: Callable[[], A4Printer], path: Path, title: str) -> PrintJob:
    """Print ``path`` on the A4 printer and wait for the job (on a worker): done, or failed and kept for a retry.
    Shared by every screen that prints an A4 document (guides, forms)."""
    return printer().print_pdf(path, title=title).result(timeout=PRINT_WAIT_S)


def reprint_document(printer: Callable[[], A4Printer], job_id: str) -> PrintJob:
    """Retry a failed job with the document the printer kept (nothing is rendered again)."""
    return printer().retry(job_id).result(timeout=PRINT_WAIT_S)


def delete_file(path: Path) -> None:
    """Delete a temporary document; a failure is logged, never raised (the next start removes leftovers)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot delete the temporary file %s: %s", path, exc)


def delete_when_done(render: Future, path: Path) -> None:
    """Delete ``path`` once the work writing it has finished (run on a worker: it waits)."""
    with contextlib.suppress(BaseException):
        render.result()
    delete_file(path)


def delete_leftovers(tmp_dir: Path, prefix: str = PREVIEW_PREFIX) -> None:
    """Delete the documents (and half-written ``.part`` files) named ``prefix*`` that a crash left behind."""
    for pattern in (f"{prefix}*.pdf", f"{prefix}*.pdf.part"):
        for path in tmp_dir.glob(pattern):
            delete_file(path)
