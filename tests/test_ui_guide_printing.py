"""The guide's print preview prints on the A4 printer: printed → take it; paper out → the printer's own words and a
retry that prints the same document once the paper is back (nothing rendered again)."""

from __future__ import annotations

from tests.pdftext import pdf_text
from tests.ui_support import item, settle, shows_text, tap, wait_for


def _open_preview(kiosk, qtbot) -> None:
    kiosk.search.show()
    settle(kiosk, qtbot)
    kiosk.search.setProperty("query", "社保卡")
    wait_for(qtbot, lambda: kiosk.search.state == "ready" and kiosk.search.results.count > 0)
    settle(kiosk, qtbot)
    tap(kiosk, "resultRow_0", qtbot)
    wait_for(qtbot, lambda: kiosk.guide.state == "ready")
    settle(kiosk, qtbot)
    tap(kiosk, "printPreviewButton", qtbot)
    wait_for(qtbot, lambda: kiosk.preview.state == "ready", 30_000)
    settle(kiosk, qtbot)


def test_print_the_guide_then_paper_out_and_retry(kiosk, qtbot):
    printed_dir = kiosk.settings.data_dir / "printed"
    _open_preview(kiosk, qtbot)
    assert kiosk.preview.canPrint
    assert item(kiosk, "printButton").isVisible()

    tap(kiosk, "printButton", qtbot)
    wait_for(qtbot, lambda: kiosk.preview.printState == "printed", 30_000)
    settle(kiosk, qtbot)
    assert shows_text(kiosk, "已打印")
    outputs = sorted(printed_dir.glob("*.pdf"))
    assert len(outputs) == 1
    assert "社保卡" in pdf_text(outputs[0])

    printer = kiosk.device_panel.devices().a4()
    printer.set_fault("paper_out")
    tap(kiosk, "printButton", qtbot)  # 再打印一份
    wait_for(qtbot, lambda: kiosk.preview.printState == "failed", 30_000)
    settle(kiosk, qtbot)
    assert "缺纸" in kiosk.preview.printMessage
    assert shows_text(kiosk, "没有打印成功")
    assert kiosk.preview.canRetryPrint

    printer.set_fault(None)
    tap(kiosk, "printButton", qtbot)  # 重新打印: the kept document
    wait_for(qtbot, lambda: kiosk.preview.printState == "printed", 30_000)
    assert len(sorted(printed_dir.glob("*.pdf"))) == 2
    assert not printer.failed_jobs()
