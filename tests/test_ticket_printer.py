"""The ESC/POS ticket printer: the exact bytes of both Chinese modes, status over a real TCP socket against the
simulator and over a pseudo-terminal, the status bits (fuzzed), and the ticket picture."""

from __future__ import annotations

import itertools
import os
import re
import select
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from drivers.base import DeviceError, Health
from drivers.printer import escpos_status
from drivers.printer.escpos_status import PrinterStatus, StatusError, parse_status, status_answers
from drivers.printer.jobs import JobState
from drivers.printer.simulator import EscPosSimulator, _Scanner
from drivers.printer.ticket import Ticket, TicketPrinter, compose_ticket, encode_text, wrap_cells
from drivers.printer.ticket_image import render_ticket_image, wrap
from kiosk.resources_path import resources_dir

FONT = resources_dir() / "fonts" / "NotoSansCJKsc-Regular.otf"
FS_AND, FS_DOT = b"\x1c&", b"\x1c."
CUT = b"\x1dV\x00"
FOOTER_GB = bytes.fromhex("c7 eb c1 f4 d2 e2 bd d0 ba c5")  # 请留意叫号 in GB18030
QR_PAYLOAD = "https://www.gdzwfw.gov.cn/queue?t=A012"

TICKET = Ticket(
    title="政务服务中心 取号凭条",
    number="A012",
    lines=("业务类型：综合受理", "前面还有 5 人等候", "取号时间：2026-11-22 09:05"),
    qr=QR_PAYLOAD,
    footer="请留意叫号",
)


def test_the_footer_bytes_are_gb18030() -> None:
    assert "请留意叫号".encode("gb18030") == FOOTER_GB


# -- the bytes ----------------------------------------------------------------------------------------------------


def print_to_file(tmp_path: Path, ticket: Ticket, **options) -> tuple[bytes, object]:
    target = tmp_path / "ticket.bin"
    printer = TicketPrinter.open("file", str(target), **options)
    try:
        job = printer.print_ticket(ticket).result(timeout=30)
    finally:
        printer.close()
    return (target.read_bytes() if target.exists() else b""), job


def chinese_runs(data: bytes) -> list[bytes]:
    return re.findall(rb"\x1c&(.*?)\x1c\.", data, flags=re.DOTALL)


def test_gb18030_mode_sends_chinese_mode_and_the_right_bytes(tmp_path: Path) -> None:
    data, job = print_to_file(tmp_path, TICKET)

    assert job.ok and job.output == tmp_path / "ticket.bin" and job.printer == "file"
    assert data.startswith(b"\x1b@")  # ESC @: a clean start
    assert FS_AND + FOOTER_GB + FS_DOT in data
    # the full-width colon that python-escpos would send as "?" through a Western code page
    assert FS_AND + "业务类型：综合受理".encode("gb18030") + FS_DOT in data
    assert FS_AND + "取号时间：".encode("gb18030") + b"2026-11-22 09:05" + FS_DOT in data
    assert b"?" not in data.replace(QR_PAYLOAD.encode(), b"")
    assert b"\x1bt" not in data  # no code page switch
    # every non-ASCII byte is inside a Chinese-mode run, except in the QR command
    outside = re.sub(rb"\x1c&.*?\x1c\.", b"", data, flags=re.DOTALL)
    outside = re.sub(rb"\x1d\(k..", b"", outside, flags=re.DOTALL)
    assert all(b < 0x80 for b in outside)
    for run in chinese_runs(data):
        run.decode("gb18030")  # decodes whole
    # the queue number in large type: GS ! n (n > 0x11: more than double) right before it
    number = re.search(rb"\x1d!(.)A012\n", data, flags=re.DOTALL)
    assert number is not None and number[1][0] >= 0x22
    assert b"\x1d!\x00" in data[number.end() :]  # back to normal size after it
    # the native QR code: model, size, error correction, the payload, print
    payload = QR_PAYLOAD.encode()
    store = b"\x1d(k" + (len(payload) + 3).to_bytes(2, "little") + b"1P0" + payload
    assert store in data
    assert b"\x1d(k\x03\x001Q0" in data[data.index(store) :]
    assert data.endswith(CUT)


def test_image_mode_sends_one_raster_picture_and_no_text(tmp_path: Path) -> None:
    data, job = print_to_file(tmp_path, TICKET, text_mode="image", font_path=FONT)

    assert job.ok
    assert b"\x1dv0" in data  # GS v 0 raster bands
    assert FS_AND not in data and FOOTER_GB not in data and b"\x1d(k" not in data
    assert data.endswith(CUT)
    image = render_ticket_image(TICKET, 576, FONT)
    bands = [
        (
            int.from_bytes(data[m.end() + 1 : m.end() + 3], "little"),
            int.from_bytes(data[m.end() + 3 : m.end() + 5], "little"),
        )
        for m in re.finditer(rb"\x1dv0", data)
    ]
    assert {width for width, _ in bands} == {576 // 8}
    assert sum(height for _, height in bands) == image.height


def test_image_qr_mode_sends_the_qr_code_as_a_picture(tmp_path: Path) -> None:
    data, job = print_to_file(tmp_path, TICKET, qr_mode="image")
    assert job.ok and b"\x1d(k" not in data and b"\x1dv0" in data
    assert FS_AND + FOOTER_GB + FS_DOT in data


def test_a_character_outside_printer_fonts_prints_the_ticket_as_a_picture(tmp_path: Path) -> None:
    rare = Ticket(title="取号凭条", number="A013", lines=("姓名：王𠀀",), footer="请留意叫号")
    with pytest.raises(Exception, match="𠀀"):
        encode_text("王𠀀")

    data, job = print_to_file(tmp_path, rare, font_path=FONT)
    assert job.ok and b"\x1dv0" in data and FS_AND not in data

    (tmp_path / "ticket.bin").unlink()
    data, job = print_to_file(tmp_path, rare)  # no font file to draw it with
    assert job.state is JobState.FAILED and job.code == "no_font" and data == b""


def test_control_characters_in_the_data_never_reach_the_printer() -> None:
    sneaky = Ticket(title="取号\x1b@凭条", number="A\x1dV\x00012", lines=("\x10\x04\x01前面还有\r\n5 人",))
    assert sneaky.title == "取号@凭条" and sneaky.number == "AV012"
    assert sneaky.lines == ("前面还有", "5 人")
    data = compose_ticket(sneaky)
    assert data.count(CUT) == 1 and data.count(b"\x1b@") == 1 and b"\x10\x04" not in data


def test_lines_wrap_by_width_and_keep_punctuation_off_a_line_start() -> None:
    assert wrap_cells("前面还有 5 人等候", 48) == ["前面还有 5 人等候"]
    lines = wrap_cells("业务类型：综合受理（测试凭条）", 28)
    assert "".join(lines) == "业务类型：综合受理（测试凭条）"
    assert all(len(line.encode("gbk")) <= 28 for line in lines)
    assert not any(line.startswith(("）", "，", "：")) for line in lines)
    from drivers.printer.ticket_image import load_font

    font = load_font(FONT, 36)
    image_lines = wrap("业务类型：综合受理（测试凭条）", font, 480)
    assert len(image_lines) == 2 and not image_lines[1].startswith("）")
    assert wrap("hello wonderful world", font, 200) == ["hello", "wonderful", "world"]
    # English in the printer's font: words stay whole (a queue ticket in English).
    assert wrap_cells("Please listen for your number", 24) == ["Please listen for your", "number"]
    assert wrap_cells("Counters: 1, 2, 3", 10) == ["Counters:", "1, 2, 3"]
    assert wrap_cells("abcdefghijklmnop", 10) == ["abcdefghij", "klmnop"]
    assert wrap_cells("业务：Registration", 12) == ["业务：", "Registration"]


def test_the_ticket_picture_is_large_print(tmp_path: Path) -> None:
    image = render_ticket_image(TICKET, 576, FONT)
    image.save(tmp_path / "ticket.png")
    assert image.mode == "1" and image.width == 576 and 700 < image.height < 1400
    # the queue number is the tallest thing on the ticket: find its rows of ink
    pixels = image.convert("L").load()
    ink_rows = [y for y in range(image.height) if any(pixels[x, y] == 0 for x in range(0, 576, 2))]
    runs, start = [], ink_rows[0]
    for a, b in itertools.pairwise(ink_rows):
        if b != a + 1:
            runs.append(a - start + 1)
            start = b
    assert max(runs) >= 150  # ~19 mm at 8 dots per mm
    narrow = render_ticket_image(TICKET, 384, FONT)
    assert narrow.width == 384
    with pytest.raises(DeviceError) as caught:
        render_ticket_image(TICKET, 576, tmp_path / "missing.otf")
    assert caught.value.code == "no_font"


# -- status bits --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "health", "code"),
    [
        ({1: b"\x12", 2: b"\x12", 3: b"\x12", 4: b"\x12"}, Health.OK, ""),
        ({1: b"\x12", 2: b"\x12", 3: b"\x12", 4: b"\x1e"}, Health.PAPER_LOW, "paper_low"),
        ({1: b"\x12", 2: b"\x12", 3: b"\x12", 4: b"\x16"}, Health.PAPER_LOW, "paper_low"),  # one sensor bit
        ({1: b"\x1a", 2: b"\x32", 3: b"\x12", 4: b"\x7e"}, Health.PAPER_OUT, "paper_out"),
        ({4: b"\x52"}, Health.PAPER_OUT, "paper_out"),  # bit 6 alone
        ({1: b"\x1a", 2: b"\x16", 3: b"\x12", 4: b"\x12"}, Health.COVER_OPEN, "cover_open"),
        ({1: b"\x1a", 2: b"\x36", 4: b"\x7e"}, Health.COVER_OPEN, "cover_open"),  # open beats paper out
        ({1: b"\x12", 2: b"\x52", 3: b"\x12"}, Health.ERROR, "printer_error"),
        ({3: b"\x1a"}, Health.ERROR, "cutter_error"),
        ({1: b"\x1a", 2: b"\x12", 3: b"\x12", 4: b"\x12"}, Health.OFFLINE, "offline"),
        ({1: b"\x1e\x12"}, Health.OK, ""),  # a late answer arrived before this one
    ],
)
def test_status_bits(answers: dict[int, bytes], health: Health, code: str) -> None:
    status = parse_status(answers)
    assert (status.health, status.code) == (health, code)
    assert bool(status.message) == (health is not Health.OK)


@pytest.mark.parametrize("answer", [b"", b"\x00", b"\xff", b"\x13", b"A", b"\x12\x80"])
def test_what_is_not_a_status_byte_is_a_status_error(answer: bytes) -> None:
    with pytest.raises(StatusError) as caught:
        parse_status({1: answer})
    assert caught.value.code == "bad_status" and isinstance(caught.value, DeviceError)
    with pytest.raises(ValueError):
        escpos_status.query(5)


@settings(max_examples=300, deadline=None, database=None)
@given(st.dictionaries(st.integers(min_value=-3, max_value=8), st.binary(max_size=20)))
def test_status_parsing_never_fails_any_other_way(answers: dict[int, bytes]) -> None:
    try:
        status = parse_status(answers)
    except StatusError:
        return
    assert isinstance(status, PrinterStatus) and isinstance(status.health, Health)
    assert isinstance(status.message, str)


@settings(database=None)
@given(st.booleans(), st.booleans(), st.booleans())
def test_the_simulator_answers_read_back_as_its_state(low: bool, out: bool, cover: bool) -> None:
    status = parse_status(status_answers(paper_low=low, paper_out=out, cover_open=cover))
    assert (status.cover_open, status.paper_out, status.paper_low or out) == (cover, out, low or out)


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.binary(max_size=40), max_size=8))
def test_the_simulator_scanner_takes_any_bytes(chunks: list[bytes]) -> None:
    scanner = _Scanner()
    for chunk in chunks:
        queries, printed = scanner.feed(chunk)
        assert all(n in escpos_status.QUERIES for n in queries)
        assert len(printed) <= len(chunk) + 8


def test_the_simulator_does_not_take_picture_data_for_a_query() -> None:
    raster = (
        b"\x1dv0\x00\x02\x00\x02\x00" + b"\x10\x04\x01\x00"
    )  # 2 x 2 bytes of image that look like DLE EOT
    scanner = _Scanner()
    queries, printed = scanner.feed(raster[:5])
    queries2, printed2 = scanner.feed(raster[5:] + b"\x10\x04\x04")
    assert queries + queries2 == [4]
    assert printed + printed2 == raster


# -- a network printer (the simulator, over a real socket) ----------------------------------------------------


@pytest.fixture
def simulator():
    with EscPosSimulator() as sim:
        yield sim


@pytest.fixture
def network_printer(simulator):
    printer = TicketPrinter.open("network", simulator.target, status_timeout=0.5, write_timeout=5)
    yield printer
    printer.close()


@pytest.mark.parametrize(
    ("state", "health"),
    [
        ("ok", Health.OK),
        ("paper_low", Health.PAPER_LOW),
        ("paper_out", Health.PAPER_OUT),
        ("cover_open", Health.COVER_OPEN),
        ("silent", Health.OFFLINE),
    ],
)
def test_the_printer_reports_the_simulator_state_as_health(simulator, network_printer, state, health) -> None:
    simulator.set_state(state)
    status = network_printer.check().result(timeout=10)
    assert status.health is health and network_printer.status().health is health
    assert status.backend == "network"
    assert simulator.queries()[:1] == [1]


def test_out_of_paper_nothing_is_printed_and_the_citizen_is_told(simulator, network_printer) -> None:
    events = []
    network_printer.subscribe(events.append)
    simulator.set_state("paper_out")

    job = network_printer.print_ticket(TICKET).result(timeout=10)

    assert job.state is JobState.FAILED and job.code == "paper_out"
    assert job.message == "打印机缺纸，请联系工作人员补纸后重试"
    assert simulator.printed() == b""  # the queries were answered, and nothing followed them
    assert simulator.queries() == [1, 2, 3, 4]
    assert network_printer.status().health is Health.PAPER_OUT

    simulator.set_state("ok")
    done = network_printer.print_ticket(TICKET).result(timeout=10)
    expected = compose_ticket(TICKET)
    assert done.ok and done.output is None
    assert simulator.wait_printed(len(expected)) == expected
    assert network_printer.status().health is Health.OK
    names = [e.name for e in events]
    assert names.count("job_failed") == 1 and names.count("job_done") == 1


def test_paper_low_still_prints(simulator, network_printer) -> None:
    simulator.set_state("paper_low")
    job = network_printer.print_ticket(TICKET).result(timeout=10)
    assert job.ok
    assert FOOTER_GB in simulator.wait_printed(len(compose_ticket(TICKET)))
    status = network_printer.status()
    assert status.health is Health.PAPER_LOW and "补纸" in status.message


def test_a_printer_that_went_away_is_offline_and_comes_back(simulator) -> None:
    printer = TicketPrinter.open("network", simulator.target, status_timeout=0.5, write_timeout=5)
    try:
        assert printer.print_ticket(TICKET).result(timeout=10).ok
        port = simulator.port
        simulator.stop()
        job = printer.print_ticket(TICKET).result(timeout=10)
        assert job.code == "offline" and "未连接" in job.message
        assert printer.status().health is Health.OFFLINE
        with EscPosSimulator(port) as again:  # switched on again, same address
            assert printer.print_ticket(TICKET).result(timeout=10).ok
            assert FOOTER_GB in again.wait_printed(len(compose_ticket(TICKET)))
    finally:
        printer.close()


def test_nobody_listening_is_offline(tmp_path: Path) -> None:
    with EscPosSimulator() as sim:
        target = sim.target  # a port that was free a moment ago
    printer = TicketPrinter.open("network", target, status_timeout=0.3, write_timeout=2)
    try:
        assert printer.check().result(timeout=10).health is Health.OFFLINE
    finally:
        printer.close()


# -- a serial printer (a pseudo-terminal) ----------------------------------------------------------------------


def test_a_serial_printer_answers_its_status_over_the_line() -> None:
    master, slave = os.openpty()
    import tty

    tty.setraw(slave)
    received = bytearray()
    stop = threading.Event()
    answers = status_answers(paper_low=True)

    def device() -> None:
        pending = b""
        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            received.extend(chunk)
            pending += chunk
            for match in re.finditer(rb"\x10\x04([\x01-\x04])", pending):
                os.write(master, answers[match[1][0]])
            pending = pending[-2:]

    thread = threading.Thread(target=device, daemon=True)
    thread.start()
    printer = TicketPrinter.open("serial", f"{os.ttyname(slave)}:19200", status_timeout=1.0)
    try:
        assert printer.check().result(timeout=10).health is Health.PAPER_LOW
        assert printer.print_ticket(TICKET).result(timeout=10).ok
    finally:
        printer.close()
        stop.set()
        thread.join(timeout=5)
        os.close(master)
        os.close(slave)
    assert FS_AND + FOOTER_GB + FS_DOT in bytes(received)


# -- targets and file links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("usb", "printer"),
        ("usb", "12345:1"),
        ("network", "host:notaport"),
        ("network", ":9100"),
        ("file", " "),
    ],
)
def test_a_target_that_cannot_be_meant_is_refused(link: str, target: str) -> None:
    with pytest.raises(DeviceError) as caught:
        TicketPrinter.open(link, target)  # type: ignore[arg-type]
    assert caught.value.code == "bad_target"


def test_targets_are_read_with_their_defaults() -> None:
    from drivers.printer.links import parse_network_target, parse_serial_target, parse_usb_target

    assert parse_network_target("192.168.1.50") == ("192.168.1.50", 9100)
    assert parse_network_target("printer.hall:9101") == ("printer.hall", 9101)
    assert parse_serial_target("COM3") == ("COM3", 9600)
    assert parse_serial_target("/dev/ttyUSB0:115200") == ("/dev/ttyUSB0", 115200)
    assert parse_usb_target("0416:5011") == (0x0416, 0x5011)


def test_a_usb_printer_that_is_not_there_fails_clearly() -> None:
    printer = TicketPrinter.open("usb", "0416:5011", status_timeout=0.2)
    try:
        job = printer.print_ticket(TICKET).result(timeout=10)
    finally:
        printer.close()
    assert job.state is JobState.FAILED and job.code in {"unsupported", "offline"} and job.message


def test_a_file_that_cannot_be_written_is_an_error(tmp_path: Path) -> None:
    printer = TicketPrinter.open("file", str(tmp_path / "missing-folder" / "ticket.bin"))
    try:
        status = printer.check().result(timeout=10)
        assert status.health is Health.ERROR and status.code == "write_failed"
        job = printer.print_ticket(TICKET).result(timeout=10)
        assert job.code == "write_failed"
    finally:
        printer.close()
    ok = TicketPrinter.open("file", str(tmp_path / "ticket.bin"))
    try:
        assert ok.check().result(timeout=10).health is Health.OK
        assert not (tmp_path / "ticket.bin").exists()  # checking does not touch the file
    finally:
        ok.close()


def test_a_bad_option_is_refused_at_once() -> None:
    with pytest.raises(ValueError):
        TicketPrinter.open("file", "/tmp/x.bin", width_dots=10)
    with pytest.raises(ValueError):
        TicketPrinter.open("file", "/tmp/x.bin", text_mode="utf8")  # type: ignore[arg-type]


def test_the_preview_png_can_be_saved(tmp_path: Path) -> None:
    render_ticket_image(TICKET, 576, FONT).save(tmp_path / "t.png")
    with Image.open(tmp_path / "t.png") as image:
        assert image.width == 576
