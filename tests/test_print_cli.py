"""``kiosk print test`` end to end: real processes, a temporary data directory, the printouts read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from drivers.printer.simulator import EscPosSimulator
from tests.pdftext import compact, pdf_text

ROOT = Path(__file__).resolve().parents[1]
FOOTER_GB = "请留意叫号".encode("gb18030")


def kiosk(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "--terminal-id", "QY-QC-0001", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )


def test_the_a4_test_page_prints_to_the_pdf_folder(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "print", "test", "--printer", "a4", "--json")
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert (job["state"], job["printer"], job["title"], job["pages"]) == ("done", "pdf", "打印测试页", 1)
    output = Path(job["output"])
    assert output.parent == tmp_path / "printed" and output.suffix == ".pdf"
    text = compact(pdf_text(output))
    for expected in (
        "打印测试页",
        "终端编号",
        "QY-QC-0001",
        "长辈大字",
        "灰阶",
        "KIOSK-PRINT-TEST",
        "检查要点",
    ):
        assert expected in text
    assert not (tmp_path / "print-retained").exists() or not list((tmp_path / "print-retained").iterdir())


def test_without_an_a4_printer_the_command_says_so(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "--a4-printer", "none", "print", "test", "--printer", "a4")
    assert result.returncode != 0
    assert "no A4 printer is configured" in result.stderr


def test_a_system_printer_that_is_not_there_fails_and_keeps_the_page(tmp_path: Path) -> None:
    result = kiosk(
        tmp_path,
        "--a4-printer",
        "system",
        "--a4-printer-name",
        "无此打印机",
        "print",
        "test",
        "--printer",
        "a4",
        "--json",
    )
    assert result.returncode == 1, result.stderr
    job = json.loads(result.stdout)
    assert (job["state"], job["code"], job["printer"]) == ("failed", "offline", "system")
    assert "无此打印机" in job["message"]
    kept = Path(job["document"])
    assert kept.parent == tmp_path / "print-retained" and kept.read_bytes().startswith(b"%PDF-")


def test_the_sample_ticket_prints_to_a_file_with_a_preview(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "print", "test", "--printer", "ticket", "--json")
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert (job["state"], job["printer"]) == ("done", "file")
    output = Path(job["output"])
    assert (
        output.parent == tmp_path / "tickets"
        and output.name.startswith("ticket-")
        and output.suffix == ".bin"
    )
    data = output.read_bytes()
    assert b"\x1c&" + FOOTER_GB + b"\x1c." in data
    assert b"A012" in data and b"\x1d(k" in data and data.endswith(b"\x1dV\x00")
    assert "业务类型：综合受理".encode("gb18030") in data
    preview = Path(job["preview"])
    assert preview == output.with_suffix(".png")
    with Image.open(preview) as image:
        assert image.width == 576 and image.height > 600


def test_the_sample_ticket_in_image_mode_on_a_58mm_printer(tmp_path: Path) -> None:
    target = tmp_path / "lp0.bin"
    result = kiosk(
        tmp_path,
        "--ticket-target",
        str(target),
        "--ticket-text-mode",
        "image",
        "--ticket-width-dots",
        "384",
        "print",
        "test",
        "--printer",
        "ticket",
    )
    assert result.returncode == 0, result.stderr
    assert "printed:" in result.stdout and str(target) in result.stdout
    data = target.read_bytes()
    assert b"\x1dv0" in data and b"\x1c&" not in data and FOOTER_GB not in data
    assert int.from_bytes(data[data.index(b"\x1dv0") + 4 : data.index(b"\x1dv0") + 6], "little") == 384 // 8
    with Image.open(target.with_suffix(".png")) as image:
        assert image.width == 384


@pytest.mark.parametrize(("state", "code"), [("ok", 0), ("paper_out", 1)])
def test_the_sample_ticket_on_a_network_printer(tmp_path: Path, state: str, code: int) -> None:
    with EscPosSimulator(state=state) as sim:  # type: ignore[arg-type]
        result = kiosk(
            tmp_path,
            "--ticket-printer",
            "network",
            "--ticket-target",
            sim.target,
            "print",
            "test",
            "--printer",
            "ticket",
            "--json",
        )
        assert result.returncode == code, result.stderr
        job = json.loads(result.stdout)
        if state == "ok":
            assert job["state"] == "done" and job["preview"] is None
            printed = sim.wait_printed(until=b"\x1dV\x00")  # up to the cut
            assert b"\x1c&" + FOOTER_GB + b"\x1c." in printed and b"A012" in printed
        else:
            assert (job["state"], job["code"]) == ("failed", "paper_out")
            assert job["message"] == "打印机缺纸，请联系工作人员补纸后重试"
            assert sim.printed() == b""


def test_a_network_printer_needs_an_address(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "--ticket-printer", "network", "print", "test", "--printer", "ticket")
    assert result.returncode == 2 and "ticket_target is empty" in result.stderr
