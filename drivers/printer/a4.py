"""The A4 printer every screen prints through, whatever stands behind it: a folder of PDF files (development, the
demo, terminals that hand documents on) or a system printer (kiosk.ui.a4_system_printer, which needs Qt).

A job that fails keeps its document: the printer copies it into a retained-jobs folder of its own (with a small
JSON record beside it), so nothing is lost when the caller deletes its temporary file or the terminal restarts,
and :meth:`A4Printer.retry` prints it once the fault is cleared. A job that succeeds on retry releases its copy.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeVar

from drivers.base import DeviceError, DeviceEvent, DeviceKind, DeviceStatus, EventListener, Health
from drivers.printer.jobs import JobState, PrintJob, message_for, new_job_id, printer_error
from drivers.worker import DeviceWorker
from kiosk.domain.messages import define

log = logging.getLogger(__name__)

T = TypeVar("T")
Fault = Literal["paper_out", "offline", "cover_open"]
FAULTS: tuple[Fault, ...] = ("paper_out", "offline", "cover_open")
MAX_COPIES = 99

_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")

DOCUMENT_MISSING = define("printer.document_missing", "找不到要打印的文件，请返回重新生成后再试")()
DOCUMENT_EMPTY = define("printer.document_empty", "要打印的文件是空的，请返回重新生成后再试")()


def inspect_pdf(path: Path) -> int | None:
    """Check that ``path`` holds a whole PDF (header and end marker) and count its pages when the page objects
    are visible (None when they sit in compressed object streams). Raises DeviceError ``bad_document``."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DeviceError(DOCUMENT_MISSING, code="bad_document", health=Health.OK) from None
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise DeviceError(message_for("bad_document"), code="bad_document", health=Health.OK) from None
    if not data:
        raise DeviceError(DOCUMENT_EMPTY, code="bad_document", health=Health.OK)
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        log.warning("%s is not a whole PDF (%d bytes, starts %r)", path, len(data), data[:16])
        raise DeviceError(message_for("bad_document"), code="bad_document", health=Health.OK)
    pages = len(_PAGE.findall(data))
    return pages or None


class A4Printer(ABC):
    """The interface and the job bookkeeping; a backend implements :meth:`_probe` and :meth:`_print`, which run
    on the printer's own worker thread only."""

    kind = DeviceKind.A4_PRINTER
    backend = "abstract"

    def __init__(self, retained_dir: Path) -> None:
        self._worker = DeviceWorker(f"a4-{self.backend}")
        self._lock = threading.Lock()
        self._health = Health.OK
        self._code = ""
        self._message = ""
        self._retained_dir = Path(retained_dir)
        self._failed: dict[str, PrintJob] = {}
        self._load_retained()

    # -- what backends implement ------------------------------------------------------------------------------

    @abstractmethod
    def _probe(self) -> None:
        """Raise DeviceError (paper out, offline, ...) when the printer cannot take a job now."""

    @abstractmethod
    def _print(
        self, document: Path, *, title: str, copies: int, job_id: str
    ) -> tuple[int | None, Path | None]:
        """Print a validated PDF; return the pages printed (None when unknown) and the output file, if any."""

    # -- the public face, safe from any thread --------------------------------------------------------------------

    def status(self) -> DeviceStatus:
        with self._lock:
            return DeviceStatus(self.kind, self.backend, self._health, self._code, self._message)

    def check(self) -> Future[DeviceStatus]:
        """Ask the printer (on its thread) whether it can print now, and report its health."""
        return self._submit(self._check)

    def subscribe(self, listener: EventListener) -> None:
        self._worker.subscribe(listener)

    def unsubscribe(self, listener: EventListener) -> None:
        self._worker.unsubscribe(listener)

    def print_pdf(self, path: Path, *, title: str, copies: int = 1) -> Future[PrintJob]:
        """Print the PDF at ``path``. The future holds the job, done or failed; a failed job keeps a copy of the
        document for :meth:`retry`, so the caller may delete its file once this returns."""
        if not 1 <= copies <= MAX_COPIES:
            raise ValueError(f"copies must be 1 to {MAX_COPIES}, not {copies}")
        submitted = datetime.now(UTC)
        return self._submit(
            self._run, Path(path), title=title, copies=copies, job_id=new_job_id(), submitted=submitted
        )

    def retry(self, job_id: str) -> Future[PrintJob]:
        """Print a failed job's retained document again (same id, one more attempt)."""
        return self._submit(self._retry, job_id)

    def discard(self, job_id: str) -> Future[None]:
        """Give up a failed job: its retained document is deleted (a citizen's form must not outlive their
        session on the terminal's disk). Unknown ids are ignored."""
        return self._submit(self._release, job_id)

    def failed_jobs(self) -> list[PrintJob]:
        """The failed jobs still held for a retry, oldest first."""
        with self._lock:
            return sorted(self._failed.values(), key=lambda job: job.submitted_at)

    def close(self) -> None:
        """Cancel what is queued, let a running job finish, then release the backend."""
        if not self._worker.closed:
            self._worker.close()
            self._shutdown()

    # -- worker side ------------------------------------------------------------------------------------------

    def _submit(self, fn: Callable[..., T], *args: object, **kwargs: object) -> Future[T]:
        try:
            return self._worker.submit(fn, *args, **kwargs)
        except RuntimeError:  # the worker was shut down
            future: Future[T] = Future()
            future.set_exception(printer_error("closed"))
            return future

    def _shutdown(self) -> None:
        """Release what the backend holds; override when there is something."""
        return None

    def _set_health(self, health: Health, code: str = "", message: str = "") -> None:
        with self._lock:
            changed = health != self._health
            self._health, self._code, self._message = health, code, message
        if changed:
            self._worker.emit(DeviceEvent(self.kind, "health_changed", health.value))

    def _check(self) -> DeviceStatus:
        try:
            self._probe()
        except DeviceError as exc:
            self._set_health(exc.health, exc.code, exc.message)
        else:
            self._set_health(Health.OK)
        return self.status()

    def _run(
        self,
        document: Path,
        *,
        title: str,
        copies: int,
        job_id: str,
        submitted: datetime,
        attempts: int = 1,
        retained: bool = False,
    ) -> PrintJob:
        pages: int | None = None
        try:
            pages = inspect_pdf(document)
            self._probe()
            printed_pages, output = self._print(document, title=title, copies=copies, job_id=job_id)
        except DeviceError as exc:
            failure: tuple[str, str] = (exc.code, exc.message)
            if exc.health != Health.OK:
                self._set_health(exc.health, exc.code, exc.message)
        except Exception:  # a backend bug must not take the job (or the worker) down with it
            log.exception("a4 %s: job %s failed unexpectedly", self.backend, job_id)
            failure = ("printer_error", message_for("printer_error"))
            self._set_health(Health.ERROR, "printer_error", failure[1])
        else:
            self._set_health(Health.OK)
            job = PrintJob(
                id=job_id,
                title=title,
                printer=self.backend,
                state=JobState.DONE,
                document=None if retained else document,  # a retried job's copy is released below
                pages=printed_pages if printed_pages is not None else pages,
                copies=copies,
                output=output,
                attempts=attempts,
                submitted_at=submitted,
            )
            if retained:
                self._release(job_id)
            log.info(
                "a4 %s: job %s printed (%s pages, attempt %d)", self.backend, job_id, job.pages, attempts
            )
            self._worker.emit(DeviceEvent(self.kind, "job_done", job_id))
            return job
        code, message = failure
        job = PrintJob(
            id=job_id,
            title=title,
            printer=self.backend,
            state=JobState.FAILED,
            document=document,
            pages=pages,
            copies=copies,
            code=code,
            message=message,
            attempts=attempts,
            submitted_at=submitted,
        )
        job = self._retain(job, already=retained)
        log.warning(
            "a4 %s: job %s failed: %s (%s), attempt %d", self.backend, job_id, message, code, attempts
        )
        self._worker.emit(DeviceEvent(self.kind, "job_failed", job_id))
        return job

    def _retry(self, job_id: str) -> PrintJob:
        with self._lock:
            job = self._failed.get(job_id)
        if job is None or job.document is None:
            raise printer_error("no_such_job")
        return self._run(
            job.document,
            title=job.title,
            copies=job.copies,
            job_id=job.id,
            submitted=job.submitted_at,
            attempts=job.attempts + 1,
            retained=True,
        )

    # -- the retained-jobs folder -------------------------------------------------------------------------------

    def _retain(self, job: PrintJob, *, already: bool) -> PrintJob:
        """Keep the failed job's document in the retained folder (unless it is there already) and record it."""
        source = job.document
        if source is None or not source.is_file():
            return job  # nothing to keep: the job cannot be retried
        folder = self._retained_dir
        if not already:
            kept = folder / f"{job.id}.pdf"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                _atomic_copy(source, kept)
            except OSError as exc:
                log.error("a4 %s: cannot keep job %s for a retry: %s", self.backend, job.id, exc)
                with self._lock:
                    self._failed[job.id] = job  # held in memory at least, from the caller's file
                return job
            job = replace(job, document=kept)
        try:
            _atomic_write(folder / f"{job.id}.json", json.dumps(job.to_dict(), ensure_ascii=False).encode())
        except OSError as exc:
            log.error("a4 %s: cannot record job %s: %s", self.backend, job.id, exc)
        with self._lock:
            self._failed[job.id] = job
        return job

    def _release(self, job_id: str) -> None:
        with self._lock:
            self._failed.pop(job_id, None)
        for suffix in (".json", ".pdf"):
            with contextlib.suppress(OSError):
                (self._retained_dir / f"{job_id}{suffix}").unlink(missing_ok=True)

    def _load_retained(self) -> None:
        """Pick up the failed jobs of earlier runs; a damaged record is set aside, never fatal."""
        if not self._retained_dir.is_dir():
            return
        for record in sorted(self._retained_dir.glob("*.json")):
            try:
                job = PrintJob.from_dict(json.loads(record.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning(
                    "a4 %s: retained record %s is damaged (%s); ignored", self.backend, record.name, exc
                )
                continue
            kept = self._retained_dir / f"{job.id}.pdf"  # where it is, even if the data folder moved
            if not kept.is_file() and (job.document is None or not job.document.is_file()):
                log.warning("a4 %s: retained job %s lost its document; dropped", self.backend, job.id)
                with contextlib.suppress(OSError):
                    record.unlink()
                continue
            self._failed[job.id] = replace(job, document=kept) if kept.is_file() else job


class PdfFilePrinter(A4Printer):
    """ "Prints" by putting the PDF into ``out_dir`` under a timestamped name: for development, the demo, and
    terminals whose documents are collected from a folder. Faults can be injected to rehearse the screens."""

    backend = "pdf"

    def __init__(self, out_dir: Path, retained_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self._fault: Fault | None = None
        super().__init__(retained_dir)

    def set_fault(self, fault: Fault | None) -> None:
        """Pretend the printer is out of paper, offline or open (None: all clear). status() shows it at once;
        jobs fail with that code until it is cleared."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(FAULTS)} or None, not {fault!r}")
        error = printer_error(fault) if fault is not None else None
        with self._lock:
            self._fault = fault
            health = error.health if error is not None else Health.OK
            changed = health != self._health
            self._health = health
            self._code, self._message = (error.code, error.message) if error is not None else ("", "")
        if changed:  # listeners hear it on the printer's thread, like every other event
            event = DeviceEvent(self.kind, "health_changed", health.value)
            self._submit(self._worker.emit, event)

    def _probe(self) -> None:
        with self._lock:
            fault = self._fault
        if fault is not None:
            raise printer_error(fault)
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.error("pdf printer: cannot create %s: %s", self.out_dir, exc)
            raise printer_error("write_failed") from None
        if not os.access(self.out_dir, os.W_OK):
            log.error("pdf printer: %s is not writable", self.out_dir)
            raise printer_error("write_failed")

    def _print(
        self, document: Path, *, title: str, copies: int, job_id: str
    ) -> tuple[int | None, Path | None]:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.out_dir / f"{stamp}-{_slug(title)}-{job_id[-6:]}.pdf"
        try:
            _atomic_copy(document, target)
        except OSError as exc:
            log.error("pdf printer: cannot write %s: %s", target, exc)
            raise printer_error("write_failed") from None
        return None, target


def _slug(title: str) -> str:
    """A file-name-safe short form of the title (Chinese kept: the folder is read by people)."""
    cleaned = re.sub(r"[^\w\-]+", "_", title, flags=re.UNICODE).strip("_")
    return cleaned[:40] or "document"


def _atomic_copy(source: Path, target: Path) -> None:
    """The copy appears complete or not at all."""
    part = target.with_name(f".{target.name}.part")
    try:
        shutil.copyfile(source, part)
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise


def _atomic_write(target: Path, data: bytes) -> None:
    part = target.with_name(f".{target.name}.part")
    try:
        part.write_bytes(data)
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise
