"""The A4 printers: the PDF-file printer (faults, retained jobs, retry, corrupt input) and the Qt system printer
in its output-file mode, read back with poppler-utils."""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path

import pytest

from drivers.base import DeviceError, DeviceEvent, Health
from drivers.printer.a4 import PdfFilePrinter, inspect_pdf
from drivers.printer.jobs import JobState
from tests.pdftext import compact, normalize, pdf_text


def minimal_pdf(pages: int = 1) -> bytes:
    """A small, valid PDF with ``pages`` pages of Latin text (written by hand: no Qt needed)."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * n} 0 R" for n in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for n in range(pages):
        stream = f"BT /F1 24 Tf 72 720 Td (Page {n + 1}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * n} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def pdf_printer(tmp_path: Path):
    printer = PdfFilePrinter(tmp_path / "printed", tmp_path / "retained")
    yield printer
    printer.close()


def write_pdf(path: Path, pages: int = 1) -> Path:
    path.write_bytes(minimal_pdf(pages))
    return path


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]


def test_the_hand_written_pdf_is_a_real_pdf(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "doc.pdf", pages=2)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert info.stderr == "" and pdf_pages(path) == 2
    assert "Page 2" in pdf_text(path)
    assert inspect_pdf(path) == 2


def test_the_pdf_printer_writes_the_document_under_a_timestamped_name(pdf_printer, tmp_path: Path) -> None:
    events: list[DeviceEvent] = []
    pdf_printer.subscribe(events.append)
    source = write_pdf(tmp_path / "guide.pdf", pages=3)

    job = pdf_printer.print_pdf(source, title="社保卡补换卡 办事指南").result(timeout=10)

    assert job.state is JobState.DONE and job.ok and job.code == ""
    assert job.pages == 3 and job.copies == 1 and job.printer == "pdf"
    assert job.output is not None and job.output.parent == tmp_path / "printed"
    assert re.fullmatch(r"\d{8}-\d{6}-社保卡补换卡_办事指南-[0-9a-f]{6}\.pdf", job.output.name)
    assert job.output.read_bytes() == source.read_bytes()
    assert [p.name for p in (tmp_path / "printed").iterdir()] == [job.output.name]  # no temporary left
    assert pdf_printer.status().health is Health.OK
    assert pdf_printer.failed_jobs() == []
    pdf_printer.check().result(timeout=10)  # the worker has emitted everything by now
    assert [e.name for e in events] == ["job_done"]


def test_paper_out_fails_the_job_keeps_the_document_and_a_retry_prints_it(
    pdf_printer, tmp_path: Path
) -> None:
    source = write_pdf(tmp_path / "form.pdf", pages=2)
    original = source.read_bytes()
    pdf_printer.set_fault("paper_out")
    assert pdf_printer.status().health is Health.PAPER_OUT  # at once, before any job

    failed = pdf_printer.print_pdf(source, title="申请表").result(timeout=10)
    source.unlink()  # the caller cleans up its temporary file: nothing is lost

    assert failed.state is JobState.FAILED
    assert (failed.code, failed.message) == ("paper_out", "打印机缺纸，请联系工作人员补纸后重试")
    assert failed.document is not None and failed.document.parent == tmp_path / "retained"
    assert failed.document.read_bytes() == original
    assert pdf_printer.failed_jobs() == [failed]
    assert not (tmp_path / "printed").exists() or not list((tmp_path / "printed").iterdir())

    again = pdf_printer.retry(failed.id).result(timeout=10)  # still out of paper
    assert (again.state, again.code, again.attempts, again.id) == (JobState.FAILED, "paper_out", 2, failed.id)

    pdf_printer.set_fault(None)
    assert pdf_printer.status().health is Health.OK
    done = pdf_printer.retry(failed.id).result(timeout=10)

    assert (done.state, done.attempts, done.id, done.title) == (JobState.DONE, 3, failed.id, "申请表")
    assert done.output is not None and done.output.read_bytes() == original
    assert pdf_printer.failed_jobs() == []
    assert list((tmp_path / "retained").iterdir()) == []  # released


def test_a_discarded_job_leaves_nothing_behind(pdf_printer, tmp_path: Path) -> None:
    """A citizen's form that was not printed when their session ended must not stay on the disk."""
    pdf_printer.set_fault("paper_out")
    failed = pdf_printer.print_pdf(write_pdf(tmp_path / "form.pdf"), title="申请表").result(timeout=10)
    assert failed.document is not None and failed.document.is_file()
    pdf_printer.discard(failed.id).result(timeout=10)
    pdf_printer.discard("no-such-job").result(timeout=10)
    assert pdf_printer.failed_jobs() == []
    assert list((tmp_path / "retained").iterdir()) == []
    restarted = PdfFilePrinter(tmp_path / "printed", tmp_path / "retained")
    try:
        assert restarted.failed_jobs() == []
    finally:
        restarted.close()


@pytest.mark.parametrize(
    ("fault", "health", "words"),
    [("offline", Health.OFFLINE, "打印机未连接"), ("cover_open", Health.COVER_OPEN, "盖")],
)
def test_each_fault_shows_in_the_status_and_fails_jobs_until_cleared(
    pdf_printer, tmp_path: Path, fault: str, health: Health, words: str
) -> None:
    events: list[DeviceEvent] = []
    pdf_printer.subscribe(events.append)
    pdf_printer.set_fault(fault)  # type: ignore[arg-type]
    status = pdf_printer.status()
    assert (status.health, status.code) == (health, fault) and words in status.message

    job = pdf_printer.print_pdf(write_pdf(tmp_path / "a.pdf"), title="t").result(timeout=10)
    assert job.code == fault and words in job.message

    pdf_printer.set_fault(None)
    assert pdf_printer.print_pdf(write_pdf(tmp_path / "b.pdf"), title="t").result(timeout=10).ok
    assert pdf_printer.check().result(timeout=10).health is Health.OK
    assert [e.payload for e in events if e.name == "health_changed"] == [health.value, "ok"]
    with pytest.raises(ValueError):
        pdf_printer.set_fault("on_fire")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "content",
    [b"", b"this is not a pdf at all", minimal_pdf(2)[:300], b"\x00\xff" * 500],
    ids=["empty", "text", "truncated", "binary"],
)
def test_a_corrupt_document_fails_clearly_and_is_kept(pdf_printer, tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "broken.pdf"
    source.write_bytes(content)

    job = pdf_printer.print_pdf(source, title="坏文件").result(timeout=10)

    assert job.state is JobState.FAILED and job.code == "bad_document"
    assert "文件" in job.message and ("损坏" in job.message or "空" in job.message)
    assert pdf_printer.status().health is Health.OK  # the printer itself is fine
    assert job.document is not None and job.document.read_bytes() == content  # nothing lost
    assert not (tmp_path / "printed").exists() or not list((tmp_path / "printed").iterdir())


def test_a_missing_document_fails_and_has_nothing_to_retry(pdf_printer, tmp_path: Path) -> None:
    job = pdf_printer.print_pdf(tmp_path / "nowhere.pdf", title="x").result(timeout=10)
    assert job.code == "bad_document" and "找不到" in job.message
    assert pdf_printer.failed_jobs() == []
    with pytest.raises(DeviceError) as caught:
        pdf_printer.retry(job.id).result(timeout=10)
    assert caught.value.code == "no_such_job"


def test_failed_jobs_survive_a_restart(tmp_path: Path) -> None:
    first = PdfFilePrinter(tmp_path / "printed", tmp_path / "retained")
    first.set_fault("offline")
    job = first.print_pdf(write_pdf(tmp_path / "doc.pdf"), title="重启前的任务").result(timeout=10)
    first.close()
    (tmp_path / "retained" / "garbage.json").write_text("{not json", encoding="utf-8")  # set aside, not fatal
    (tmp_path / "retained").rename(tmp_path / "moved")  # the data folder moved to another disk meanwhile

    second = PdfFilePrinter(tmp_path / "printed", tmp_path / "moved")
    try:
        assert [j.id for j in second.failed_jobs()] == [job.id]
        assert second.failed_jobs()[0].title == "重启前的任务"
        assert second.failed_jobs()[0].document == tmp_path / "moved" / f"{job.id}.pdf"
        done = second.retry(job.id).result(timeout=10)
        assert done.ok and done.attempts == 2
    finally:
        second.close()


def test_an_unwritable_output_folder_fails_the_job(tmp_path: Path) -> None:
    (tmp_path / "printed").write_text("a file where the folder should be")
    printer = PdfFilePrinter(tmp_path / "printed", tmp_path / "retained")
    try:
        job = printer.print_pdf(write_pdf(tmp_path / "doc.pdf"), title="x").result(timeout=10)
        assert job.code == "write_failed" and printer.status().health is Health.ERROR
        assert [j.id for j in printer.failed_jobs()] == [job.id]
    finally:
        printer.close()


def test_a_closed_printer_says_so(tmp_path: Path) -> None:
    printer = PdfFilePrinter(tmp_path / "printed", tmp_path / "retained")
    printer.close()
    with pytest.raises(DeviceError) as caught:
        printer.print_pdf(write_pdf(tmp_path / "doc.pdf"), title="x").result(timeout=10)
    assert caught.value.code == "closed"
    other = PdfFilePrinter(tmp_path / "p", tmp_path / "r")
    try:
        with pytest.raises(ValueError):
            other.print_pdf(tmp_path / "doc.pdf", title="x", copies=0)
    finally:
        other.close()


def test_jobs_from_many_threads_all_print(pdf_printer, tmp_path: Path) -> None:
    source = write_pdf(tmp_path / "doc.pdf")
    futures = []
    lock = threading.Lock()

    def submit() -> None:
        future = pdf_printer.print_pdf(source, title="并发")
        with lock:
            futures.append(future)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    jobs = [future.result(timeout=10) for future in futures]
    assert all(job.ok for job in jobs)
    assert len({job.output for job in jobs}) == 8


# -- the Qt system printer, in its output-file mode ---------------------------------------------------------------

PAGE_TEXTS = [
    "第一页 社保卡补换卡 Page one",
    "第二页 居民身份证换领 Page two",
    "第三页 最低生活保障申请 Page three",
]


def qt_pdf(path: Path, texts: list[str]) -> Path:
    """A multi-page A4 PDF of real CJK text, written with Qt as the guides are."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QFont, QPageSize, QPainter, QPdfWriter

    from kiosk.render.fonts import ensure_fonts

    ensure_fonts()
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    font = QFont()
    font.setFamilies(["Noto Sans CJK SC"])
    font.setPointSize(20)
    painter.setFont(font)
    for n, text in enumerate(texts):
        if n:
            writer.newPage()
        painter.drawText(QRectF(100, 200, 2000, 200), int(Qt.AlignmentFlag.AlignLeft), text)
    painter.end()
    return path


def test_the_system_printer_prints_every_page_with_its_text(qapp, tmp_path: Path) -> None:
    from kiosk.render.a4_system_printer import QtSystemPrinter

    source = qt_pdf(tmp_path / "three.pdf", PAGE_TEXTS)
    printer = QtSystemPrinter(retained_dir=tmp_path / "retained", output_dir=tmp_path / "out")
    try:
        job = printer.print_pdf(source, title="三页文件").result(timeout=60)
    finally:
        printer.close()

    assert job.ok, job.message
    assert job.printer == "system" and job.pages == 3
    assert job.output is not None and job.output.parent == tmp_path / "out"
    assert pdf_pages(job.output) == 3
    info = subprocess.run(["pdfinfo", str(job.output)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info), info
    text = compact(pdf_text(job.output))
    for expected in PAGE_TEXTS:
        assert compact(normalize(expected)) in text
    pages = pdf_text(job.output).split("\f")
    assert "第二页" in compact(pages[1])  # each page's text on its own page
    assert [p.name for p in (tmp_path / "out").iterdir()] == [job.output.name]


def test_a_system_printer_that_does_not_exist_is_offline_and_keeps_the_job(qapp, tmp_path: Path) -> None:
    from kiosk.render.a4_system_printer import QtSystemPrinter

    source = qt_pdf(tmp_path / "one.pdf", PAGE_TEXTS[:1])
    printer = QtSystemPrinter("没有这台打印机-HP-9999", retained_dir=tmp_path / "retained")
    try:
        job = printer.print_pdf(source, title="x").result(timeout=60)
        status = printer.check().result(timeout=60)
    finally:
        printer.close()
    assert job.state is JobState.FAILED and job.code == "offline"
    assert "没有这台打印机-HP-9999" in job.message
    assert status.health is Health.OFFLINE
    assert job.document is not None and job.document.parent == tmp_path / "retained"


def test_the_system_printer_rejects_a_corrupt_pdf(qapp, tmp_path: Path) -> None:
    from kiosk.render.a4_system_printer import QtSystemPrinter

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100 + b"\n%%EOF\n")  # looks like a PDF, is not
    printer = QtSystemPrinter(retained_dir=tmp_path / "retained", output_dir=tmp_path / "out")
    try:
        job = printer.print_pdf(broken, title="x").result(timeout=60)
    finally:
        printer.close()
    assert job.code == "bad_document" and "损坏" in job.message
    assert not list((tmp_path / "out").glob("*"))
