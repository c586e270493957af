"""Serial code scanners: payload decoding (fuzzed), cutting the byte stream into scans, and the real
SerialScanner reading a simulated scanner on a pseudo-terminal: Chinese payloads in UTF-8 and GB18030, split
scans, garbage, and the port vanishing and coming back."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.base import DeviceEvent, DeviceKind, Health
from drivers.scanner.framing import FrameSplitter
from drivers.scanner.payload import PayloadError, ScanPayload, clean_text, decode_scan
from drivers.scanner.serial_scanner import PORT_MISSING, SerialScanner
from drivers.scanner.simulator import ScannerSimulator

IDENTITY_CODE = "粤省事:身份码:ABC123"
RATING_URL = "https://example.invalid/rate?r=A012"

# --- payload decoding ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_chinese_payloads_decode_in_either_encoding(encoding):
    payload = decode_scan(IDENTITY_CODE.encode(encoding) + b"\r\n")
    assert payload.text == IDENTITY_CODE
    assert payload.encoding == encoding
    assert payload.raw == IDENTITY_CODE.encode(encoding) + b"\r\n"


def test_framing_bom_and_aim_prefix_are_stripped():
    assert decode_scan(b"\x02" + RATING_URL.encode() + b"\x03\r").text == RATING_URL
    assert decode_scan("\ufeff二维码".encode()).text == "二维码"
    payload = decode_scan(b"]Q1" + RATING_URL.encode() + b"\r", strip_aim=True)
    assert (payload.text, payload.symbology) == (RATING_URL, "]Q1")
    assert decode_scan(b"]Q1ABC\r").text == "]Q1ABC"  # only when configured


def test_gs1_separators_survive_but_line_noise_does_not():
    gs1 = "010950110153000017250101\x1d10ABC"
    assert clean_text(gs1) == (gs1, "")
    with pytest.raises(PayloadError) as caught:
        decode_scan(b"AB\x00\x07CD\r")
    assert caught.value.code == "garbage" and caught.value.health is Health.OK
    with pytest.raises(PayloadError) as caught:
        decode_scan(b"\xff\xfe\xfd\r")
    assert caught.value.code == "encoding"
    with pytest.raises(PayloadError) as caught:
        decode_scan(b"\r\n")
    assert caught.value.code == "empty"
    assert "扫码" in str(caught.value)


def test_a_payload_never_shows_its_text_in_repr():
    payload = decode_scan(IDENTITY_CODE.encode())
    assert "ABC123" not in repr(payload) and "身份码" not in repr(payload)


@settings(max_examples=500, deadline=None)
@given(raw=st.binary(max_size=200), strip_aim=st.booleans())
def test_arbitrary_bytes_give_text_or_a_payload_error(raw, strip_aim):
    try:
        payload = decode_scan(raw, strip_aim=strip_aim)
    except PayloadError as exc:
        assert exc.code in {"encoding", "garbage", "empty"}
    else:
        assert isinstance(payload, ScanPayload) and payload.text and payload.raw == raw
        assert payload.encoding in {"utf-8", "gb18030"}
        assert payload.text == payload.text.strip("\r\n\x02\x03\x00\ufeff")


printable = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=40).filter(
    lambda s: s.strip("\r\n\x02\x03\x00\ufeff") == s
)


@settings(max_examples=200, deadline=None)
@given(text=printable)
def test_any_utf8_text_comes_back_unchanged(text):
    assert decode_scan(text.encode("utf-8") + b"\r").text == text


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=20))
def test_gb18030_chinese_comes_back_unless_its_bytes_are_also_valid_utf8(text):
    raw = text.encode("gb18030")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        assert decode_scan(raw).text == text
    else:  # a handful of short strings are valid in both; UTF-8 wins, by design
        assert decode_scan(raw).encoding == "utf-8"


# --- cutting the stream into scans ---------------------------------------------------------------------------


def feed_all(splitter: FrameSplitter, chunks: list[bytes]) -> list[bytes]:
    return [frame for chunk in chunks for frame in splitter.feed(chunk)]


@pytest.mark.parametrize(
    ("terminator", "wire"),
    [
        ("cr", b"one\rtwo\r"),
        ("lf", b"one\ntwo\n"),
        ("crlf", b"one\r\ntwo\r\n"),
        ("stx-etx", b"\x02one\x03\x02two\x03"),
        ("auto", b"one\r\n\x02two\x03\r\n"),
    ],
)
def test_scans_split_at_any_byte_are_reassembled(terminator, wire):
    whole = FrameSplitter(terminator).feed(wire)
    bytewise = feed_all(FrameSplitter(terminator), [bytes([b]) for b in wire])
    assert [f.strip(b"\r\n") for f in whole] == [b"one", b"two"]
    assert bytewise == whole


def test_crlf_keeps_a_lone_cr_inside_a_payload():
    assert FrameSplitter("crlf").feed(b"a\rb\r\n") == [b"a\rb"]


def test_stx_etx_drops_what_is_outside_frames():
    splitter = FrameSplitter("stx-etx")
    assert splitter.feed(b"noise\x02good\x03\r\nmore noise") == [b"good"]
    assert splitter.dropped_bytes > 0


def test_an_overlong_stream_is_dropped_up_to_the_next_terminator(caplog):
    splitter = FrameSplitter("auto", max_frame=64)
    with caplog.at_level(logging.WARNING, logger="drivers.scanner.framing"):
        frames = splitter.feed(b"x" * 100) + splitter.feed(b"tail of the garbage\rgood\r")
    assert frames == [b"good"]
    assert "dropped" in caplog.text
    assert splitter.dropped_bytes >= 100


def test_an_unterminated_line_before_stx_is_dropped():
    assert FrameSplitter("auto").feed(b"half\x02whole\x03") == [b"whole"]


@settings(max_examples=200, deadline=None)
@given(
    payloads=st.lists(printable, min_size=1, max_size=5),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
    terminator=st.sampled_from(["cr", "lf", "crlf", "stx-etx"]),
    cuts=st.lists(st.integers(0, 400), max_size=10),
)
def test_auto_finds_every_scan_however_the_reads_fall(payloads, encoding, terminator, cuts):
    before, after = {
        "cr": (b"", b"\r"),
        "lf": (b"", b"\n"),
        "crlf": (b"", b"\r\n"),
        "stx-etx": (b"\x02", b"\x03"),
    }[terminator]
    encoded = [p.encode(encoding, errors="replace") for p in payloads]
    wire = b"".join(before + e + after for e in encoded)
    points = sorted({c % (len(wire) + 1) for c in cuts})
    chunks = [wire[a:b] for a, b in zip([0, *points], [*points, len(wire)], strict=True)]
    frames = feed_all(FrameSplitter("auto"), chunks)
    assert [f for f in frames if f.strip(b"\r\n")] == [e for e in encoded if e.strip(b"\r\n")]


# --- the serial scanner on a pseudo-terminal ------------------------------------------------------------------


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


class Events:
    def __init__(self) -> None:
        self.queue: queue.Queue[DeviceEvent] = queue.Queue()
        self.seen: list[DeviceEvent] = []

    def __call__(self, event: DeviceEvent) -> None:
        self.seen.append(event)
        self.queue.put(event)

    def next_scan(self, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            event = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            if event.name == "scan":
                assert event.kind is DeviceKind.CODE_SCANNER
                return event.payload

    def scans_so_far(self) -> list[str]:
        out = []
        while not self.queue.empty():
            event = self.queue.get_nowait()
            if event.name == "scan":
                out.append(event.payload)
        return out


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[ScannerSimulator]:
    with ScannerSimulator(115200, link=tmp_path / "ttyScanner") as simulator:
        yield simulator


def open_scanner(port: str, **kwargs) -> tuple[SerialScanner, Events]:
    kwargs.setdefault("retry_initial", 0.02)
    kwargs.setdefault("retry_max", 0.1)
    scanner = SerialScanner(port, **kwargs)
    events = Events()
    scanner.subscribe(events)
    scanner.start()
    return scanner, events


@pytest.fixture
def connected(sim: ScannerSimulator) -> Iterator[tuple[SerialScanner, Events]]:
    scanner, events = open_scanner(sim.port, baudrate=115200)
    wait_until(lambda: scanner.status().health is Health.OK)
    yield scanner, events
    scanner.close()


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_chinese_scans_arrive_intact(sim, connected, encoding):
    _scanner, events = connected
    sim.scan(IDENTITY_CODE, encoding=encoding)
    sim.scan(RATING_URL, encoding=encoding, terminator="crlf")
    assert events.next_scan() == IDENTITY_CODE
    assert events.next_scan() == RATING_URL


@pytest.mark.parametrize("terminator", ["cr", "lf", "crlf", "stx-etx"])
def test_each_terminator_with_the_matching_setting_and_with_auto(tmp_path, terminator):
    with ScannerSimulator(115200, link=tmp_path / "tty") as simulator:
        for setting in (terminator, "auto"):
            scanner, events = open_scanner(simulator.port, baudrate=115200, terminator=setting)
            try:
                wait_until(lambda s=scanner: s.status().health is Health.OK)
                simulator.scan("票号A012", terminator=terminator)
                simulator.scan("二号", encoding="gb18030", terminator=terminator)
                assert [events.next_scan(), events.next_scan()] == ["票号A012", "二号"]
            finally:
                scanner.close()


def test_the_scanner_at_9600_baud(tmp_path):
    with ScannerSimulator(9600, link=tmp_path / "tty") as simulator:
        scanner, events = open_scanner(simulator.port)
        try:
            wait_until(lambda: scanner.status().health is Health.OK)
            simulator.scan(IDENTITY_CODE, encoding="gb18030", aim="]Q1")
            assert events.next_scan() == "]Q1" + IDENTITY_CODE
        finally:
            scanner.close()


def test_aim_prefixes_are_stripped_when_configured(sim):
    scanner, events = open_scanner(sim.port, baudrate=115200, strip_aim=True)
    try:
        wait_until(lambda: scanner.status().health is Health.OK)
        sim.scan(RATING_URL, aim="]Q1")
        assert events.next_scan() == RATING_URL
    finally:
        scanner.close()


def test_a_scan_split_across_reads_is_reassembled(sim, connected):
    _scanner, events = connected
    wire = IDENTITY_CODE.encode("gb18030") + b"\r"
    sim.send(wire[:5])  # ends inside a two-byte character
    time.sleep(0.25)  # longer than the read timeout: the reader has certainly taken the first part alone
    assert events.scans_so_far() == []
    sim.send(wire[5:])
    assert events.next_scan() == IDENTITY_CODE


def test_garbage_is_dropped_with_a_log_line_and_the_scanner_keeps_serving(sim, connected, caplog):
    scanner, events = connected
    with caplog.at_level(logging.INFO, logger="drivers.scanner"):
        sim.send(b"\xff\xfe\x00\x81\r")  # baud-rate mismatch noise
        sim.send(b"A" * 5000)  # a scanner in the wrong mode: no terminator at all
        sim.send(b"\r")
        sim.scan(IDENTITY_CODE)
        assert events.next_scan() == IDENTITY_CODE
    assert events.scans_so_far() == []
    assert "not text" in caplog.text and "dropped" in caplog.text
    assert scanner.status().health is Health.OK
    assert "ABC123" not in caplog.text  # payloads may be personal data: never logged


def test_a_missing_port_is_offline_and_recovers_when_it_appears(tmp_path):
    port = tmp_path / "ttyACM0"
    scanner, events = open_scanner(str(port))
    try:
        wait_until(lambda: scanner.status().code == "port")
        status = scanner.status()
        assert (status.kind, status.backend, status.health) == (
            DeviceKind.CODE_SCANNER,
            "serial",
            Health.OFFLINE,
        )
        assert status.message == PORT_MISSING
        with ScannerSimulator(115200, link=port) as simulator:
            wait_until(lambda: scanner.status().health is Health.OK)
            simulator.scan(RATING_URL)
            assert events.next_scan() == RATING_URL
    finally:
        scanner.close()


def test_the_port_vanishing_and_coming_back(sim, connected):
    scanner, events = connected
    sim.scan("第一次")
    assert events.next_scan() == "第一次"
    sim.unplug()
    wait_until(lambda: scanner.status().health is Health.OFFLINE)
    assert (scanner.status().code, scanner.status().message) == ("port", PORT_MISSING)
    sim.plug()
    wait_until(lambda: scanner.status().health is Health.OK)
    sim.scan("第二次", encoding="gb18030")
    assert events.next_scan() == "第二次"
    changes = [e.payload for e in events.seen if e.name == "health_changed"]
    assert changes[-2:] == ["offline", "ok"]


def test_close_stops_the_reader_thread_promptly(sim):
    before = {t.ident for t in threading.enumerate()}
    scanner, _events = open_scanner(sim.port, baudrate=115200)
    wait_until(lambda: scanner.status().health is Health.OK)
    started = time.monotonic()
    scanner.close()
    assert time.monotonic() - started < 2.0
    assert {t.ident for t in threading.enumerate() if t.is_alive()} <= before
    scanner.close()  # twice is harmless


def test_a_baud_rate_pyserial_refuses_is_a_settings_error_not_a_crash(sim):
    scanner, _events = open_scanner(sim.port, baudrate=-9600)
    try:
        wait_until(lambda: scanner.status().health is Health.ERROR)
        assert scanner.status().code == "config" and "设置" in scanner.status().message
    finally:
        scanner.close()
