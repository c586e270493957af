"""The vendor-library backend against a real shared library with the sdtapi ABI (tests/native/sdtapi_sim.c).

The stand-in library serves the card in the file named by SDTAPI_SIM_CARD and injects the fault named by
SDTAPI_SIM_FAULT. Cards are swapped by replacing the file; the fault variable is changed only while the reader's
worker is idle, since the C library reads the environment from the worker thread.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import queue
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from native_support import native_dir, sdtapi_min_lib, sdtapi_sim_lib, wlt_sim_lib  # noqa: F401

from drivers.base import DeviceError, DeviceEvent, Health
from drivers.idcard.cards import SAMPLES, SimCard
from drivers.idcard.errors import IdCardError
from drivers.idcard.sdtapi import LIBRARY_MISSING, SdtapiReader, status_error
from kiosk.domain.identity import CardType, Identity

TIMEOUT = 10  # seconds to wait for a future; a healthy run needs a fraction of that


RESIDENT = SAMPLES["young"]
PERMIT = SAMPLES["hmt"]


def card_bytes(identity: Identity, *, fingerprint: bool = False, appended: bytes = b"") -> bytes:
    """The card file the stand-in library serves: text, photo, then optionally fingerprint and appended data."""
    card = SimCard.from_identity(identity)
    tail = card.fingerprint if fingerprint or appended else b""
    return card.text + card.photo + tail + appended


def place(card_file: Path, data: bytes) -> None:
    """Put a card on the reader in one step, as a person does (the library never sees half a file)."""
    staging = card_file.with_suffix(".new")
    staging.write_bytes(data)
    os.replace(staging, card_file)


@pytest.fixture
def card_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "card.bin"
    monkeypatch.setenv("SDTAPI_SIM_CARD", str(path))
    monkeypatch.delenv("SDTAPI_SIM_FAULT", raising=False)
    return path


@pytest.fixture
def reader(sdtapi_sim_lib: Path, card_file: Path) -> Iterator[SdtapiReader]:  # noqa: F811
    device = SdtapiReader(str(sdtapi_sim_lib), port=1001)
    yield device
    close(device)


def close(device: SdtapiReader) -> None:
    device.close()
    for thread in threading.enumerate():
        if thread.name == f"watch-{device.backend}":
            thread.join(TIMEOUT)


def read_error(device: SdtapiReader, **kwargs: Any) -> DeviceError:
    with pytest.raises(DeviceError) as caught:
        device.read_card(**kwargs).result(TIMEOUT)
    return caught.value


# -- the stand-in library itself -------------------------------------------------------------------------------


def test_the_stand_in_library_speaks_the_sdtapi_abi(sdtapi_sim_lib: Path, card_file: Path):  # noqa: F811
    lib = ctypes.CDLL(str(sdtapi_sim_lib))
    iin = (ctypes.c_ubyte * 4)()
    assert lib.SDT_StartFindIDCard(1016, iin, 0) == 0x01  # port not open
    assert lib.SDT_OpenPort(1016) == 0x90
    try:
        assert lib.SDT_StartFindIDCard(1016, iin, 0) == 0x80
        place(card_file, card_bytes(RESIDENT))
        assert lib.SDT_StartFindIDCard(1016, iin, 0) == 0x9F
        text, photo = (ctypes.c_ubyte * 256)(), (ctypes.c_ubyte * 1024)()
        text_len, photo_len = ctypes.c_uint(), ctypes.c_uint()
        assert (
            lib.SDT_ReadBaseMsg(1016, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), 0) == 0x90
        )
        assert (text_len.value, photo_len.value) == (256, 1024)
        card = SimCard.from_identity(RESIDENT)
        assert bytes(text) == card.text and bytes(photo) == card.photo
    finally:
        assert lib.SDT_ClosePort(1016) == 0x90
    assert lib.SDT_StartFindIDCard(1016, iin, 0) == 0x01


# -- reading cards ---------------------------------------------------------------------------------------------


def test_reads_a_resident_card_through_the_library(reader: SdtapiReader, card_file: Path):
    place(card_file, card_bytes(RESIDENT))
    result = reader.read_card(timeout=2).result(TIMEOUT)
    identity = result.identity
    assert identity == RESIDENT
    assert identity.valid and identity.photo == RESIDENT.photo and len(identity.photo) == 1024
    assert (identity.name, identity.sex, identity.nation) == ("黄嘉豪", "男", "汉")
    assert identity.birth_date == date(2004, 9, 21) and identity.valid_to == date(2031, 10, 12)
    assert identity.address == RESIDENT.address and identity.authority == RESIDENT.authority
    shown = repr(result) + str(identity)
    assert "黄*豪" in shown and "441" + "*" * 12 + RESIDENT.id_number[-3:] in shown
    assert identity.name not in shown and identity.id_number not in shown
    assert result.fingerprint == b""
    assert reader.status().health == Health.OK


def test_reads_a_residence_permit(reader: SdtapiReader, card_file: Path):
    place(card_file, card_bytes(PERMIT))
    identity = reader.read_card(timeout=2).result(TIMEOUT).identity
    assert identity.card_type == CardType.HMT_PERMIT
    assert (identity.pass_number, identity.issue_count) == ("H60123456", "01")
    assert identity.id_number == PERMIT.id_number and identity.valid
    assert identity.name not in repr(identity)


@pytest.mark.parametrize("name", ["elder", "long-term", "foreign-old", "foreign", "bad-check"])
def test_every_layout_comes_through_the_library(reader: SdtapiReader, card_file: Path, name: str):
    place(card_file, card_bytes(SAMPLES[name]))
    identity = reader.read_card(timeout=2).result(TIMEOUT).identity
    assert identity.unmasked() == SAMPLES[name].checked().unmasked()
    assert identity.photo == SAMPLES[name].photo
    assert identity.valid == (name != "bad-check")  # a wrong check digit is flagged, not refused


def test_the_read_runs_on_the_device_worker(
    reader: SdtapiReader, card_file: Path, caplog: pytest.LogCaptureFixture
):
    place(card_file, card_bytes(RESIDENT))
    with caplog.at_level(logging.INFO):
        reader.read_card(timeout=2).result(TIMEOUT)
    threads = {r.threadName for r in caplog.records if r.getMessage().startswith("sdtapi: read ")}
    assert threads and all(name.startswith("device-sdtapi") for name in threads)
    assert threading.current_thread().name not in threads
    # the log line names the holder masked only
    assert not [
        r for r in caplog.records if RESIDENT.name in r.getMessage() or RESIDENT.id_number in r.getMessage()
    ]


def test_reads_the_fingerprint_when_asked(reader: SdtapiReader, card_file: Path):
    place(card_file, card_bytes(RESIDENT, fingerprint=True))
    result = reader.read_card(timeout=2, fingerprint=True).result(TIMEOUT)
    assert result.fingerprint == SimCard.from_identity(RESIDENT).fingerprint
    assert "1024 bytes" in repr(result)


def test_sam_id(reader: SdtapiReader):
    assert reader.sam_id().result(TIMEOUT) == "05.01-20240315-0004521236-2147486847"


def test_appended_address_records(reader: SdtapiReader, card_file: Path):
    record = "广东省清远市清城区凤城街道新址路9号".ljust(35).encode("utf-16-le")
    place(card_file, card_bytes(RESIDENT, appended=record))
    assert reader.appended_records().result(TIMEOUT) == ("广东省清远市清城区凤城街道新址路9号",)
    place(card_file, card_bytes(RESIDENT))
    assert reader.appended_records().result(TIMEOUT) == ()


def test_a_library_without_the_optional_exports_still_reads(sdtapi_min_lib: Path, card_file: Path):  # noqa: F811
    device = SdtapiReader(str(sdtapi_min_lib))
    try:
        place(card_file, card_bytes(RESIDENT))
        assert device.read_card(timeout=2).result(TIMEOUT).identity.id_number == RESIDENT.id_number
        error = read_error(device, timeout=1, fingerprint=True)
        assert error.code == "fingerprint_unsupported"
        assert device.appended_records().result(TIMEOUT) == ()
        assert device.status().health == Health.OK
    finally:
        close(device)


# -- no card, faults, garbage ----------------------------------------------------------------------------------


def test_closing_the_reader_closes_the_vendor_port(sdtapi_sim_lib: Path, card_file: Path):  # noqa: F811
    for _ in range(5):
        device = SdtapiReader(str(sdtapi_sim_lib), port=1002)
        assert device.check().result(TIMEOUT).health == Health.OK
        close(device)
        lib = ctypes.CDLL(str(sdtapi_sim_lib))  # the same loaded library, so the same port state
        assert lib.SDT_ClosePort(1002) == 0x01  # already closed


def test_no_card_is_reported_after_the_timeout(reader: SdtapiReader):
    error = read_error(reader, timeout=0.3)
    assert error.code == "no_card" and "身份证" in str(error)
    assert reader.status().health == Health.OK


def test_port_that_will_not_open_is_offline(reader: SdtapiReader, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SDTAPI_SIM_FAULT", "no_port")
    status = reader.check().result(TIMEOUT)
    assert (status.health, status.code) == (Health.OFFLINE, "port")
    assert status.message == "读卡器未连接，请检查读卡器的连接线和电源"
    assert read_error(reader, timeout=0.3).code == "port"
    monkeypatch.delenv("SDTAPI_SIM_FAULT")  # plugged in again: the next check opens it
    assert reader.check().result(TIMEOUT).health == Health.OK


def test_sam_self_test_failure_is_a_reader_fault(reader: SdtapiReader, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SDTAPI_SIM_FAULT", "sam_fault")
    status = reader.check().result(TIMEOUT)
    assert (status.health, status.code) == (Health.ERROR, "sam_fault")
    assert "联系工作人员" in status.message
    error = read_error(reader, timeout=0.3)
    assert isinstance(error, IdCardError) and error.status == 0x60


def test_a_nonsense_length_is_refused(reader: SdtapiReader, card_file: Path, monkeypatch: pytest.MonkeyPatch):
    place(card_file, card_bytes(RESIDENT))
    monkeypatch.setenv("SDTAPI_SIM_FAULT", "bad_length")
    error = read_error(reader, timeout=1)
    assert (error.code, error.health) == ("bad_length", Health.ERROR)
    assert reader.status().health == Health.ERROR
    monkeypatch.delenv("SDTAPI_SIM_FAULT")  # the reader reopens and reads again
    assert reader.read_card(timeout=1).result(TIMEOUT).identity.valid
    assert reader.status().health == Health.OK


def test_a_library_writing_past_its_buffer_is_caught(
    reader: SdtapiReader, card_file: Path, monkeypatch: pytest.MonkeyPatch
):
    place(card_file, card_bytes(RESIDENT))
    monkeypatch.setenv("SDTAPI_SIM_FAULT", "overrun")
    error = read_error(reader, timeout=1)
    assert (error.code, error.health) == ("bad_length", Health.ERROR)


def test_a_failing_read_is_retried_then_reported(
    reader: SdtapiReader, card_file: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    place(card_file, card_bytes(RESIDENT))
    monkeypatch.setenv("SDTAPI_SIM_FAULT", "read_fail")
    with caplog.at_level(logging.INFO):
        error = read_error(reader, timeout=0.3)
    # 0x41 is a card that moved: the base reader tries again until its time is up, and the reader stays healthy
    assert "0x41" in caplog.text  # logged with the library's status
    # the card lies there but every read failed: that is what the citizen is told, not "no card"
    assert (error.code, error.health) == ("read_failed", Health.OK)
    assert reader.status().health == Health.OK


def test_a_missing_library_is_offline_with_a_plain_message(card_file: Path, tmp_path: Path):
    device = SdtapiReader(str(tmp_path / "no-such-sdtapi.so"))
    try:
        status = device.check().result(TIMEOUT)
        assert (status.health, status.code, status.message) == (Health.OFFLINE, "library", LIBRARY_MISSING)
        assert LIBRARY_MISSING == "读卡器驱动程序未安装，请联系工作人员"
        error = read_error(device, timeout=0.3)
        assert (error.code, error.health, str(error)) == ("library", Health.OFFLINE, LIBRARY_MISSING)
    finally:
        close(device)


def test_without_a_configured_path_the_usual_library_name_is_tried(card_file: Path):
    device = SdtapiReader("")
    try:
        assert device.library == ("sdtapi.dll" if sys.platform == "win32" else "libsdtapi.so")
        assert device.check().result(TIMEOUT).code == "library"  # not installed on a test machine
    finally:
        close(device)


def test_a_library_that_is_not_sdtapi_is_refused(wlt_sim_lib: Path, card_file: Path):  # noqa: F811
    device = SdtapiReader(str(wlt_sim_lib))
    try:
        status = device.check().result(TIMEOUT)
        assert (status.health, status.code) == (Health.OFFLINE, "library")
    finally:
        close(device)


def test_garbage_text_never_escapes_as_anything_but_a_device_error(reader: SdtapiReader, card_file: Path):
    rng = random.Random(2024)
    blocks = [bytes(rng.randrange(256) for _ in range(256)) for _ in range(40)]
    blocks.append(b"\xff\xdb" * 128)  # lone surrogates
    for block in blocks:
        place(card_file, block + RESIDENT.photo)
        try:
            reader.read_card(timeout=0.5).result(TIMEOUT)
        except DeviceError as exc:
            assert isinstance(exc, IdCardError) and exc.code in {"bad_text", "unknown_card"}
    place(card_file, card_bytes(RESIDENT))  # and the reader still reads a good card
    assert reader.read_card(timeout=1).result(TIMEOUT).identity.valid
    assert reader.status().health == Health.OK


# -- watching --------------------------------------------------------------------------------------------------


def test_card_placed_and_removed_events(reader: SdtapiReader, card_file: Path):
    events: queue.Queue[tuple[DeviceEvent, str]] = queue.Queue()

    def listener(event: DeviceEvent) -> None:
        if event.name.startswith("card_"):
            events.put((event, threading.current_thread().name))

    def next_event() -> DeviceEvent:
        event, thread = events.get(timeout=TIMEOUT)
        assert thread.startswith("device-sdtapi")  # delivered on the device's own thread
        return event

    reader.subscribe(listener)
    reader.start_watching(interval=0.02)
    place(card_file, card_bytes(RESIDENT))
    assert next_event().name == "card_placed"
    # a read between two polls
    assert reader.read_card(timeout=1).result(TIMEOUT).identity.id_number == RESIDENT.id_number
    card_file.unlink()
    assert next_event().name == "card_removed"
    place(card_file, card_bytes(PERMIT))
    assert next_event().name == "card_placed"
    reader.stop_watching()


def test_a_card_taken_away_and_put_back_within_a_second_is_a_new_card(reader: SdtapiReader, card_file: Path):
    events: queue.Queue[DeviceEvent] = queue.Queue()
    reader.subscribe(lambda event: events.put(event) if event.name.startswith("card_") else None)
    reader.start_watching()  # the terminal's own pace
    place(card_file, card_bytes(RESIDENT))
    assert events.get(timeout=TIMEOUT).name == "card_placed"
    assert reader.read_card(timeout=1).result(TIMEOUT).identity.id_number == RESIDENT.id_number
    card_file.unlink()
    time.sleep(0.4)  # a hand lifts the card and puts it straight back
    place(card_file, card_bytes(RESIDENT))
    assert [events.get(timeout=TIMEOUT).name for _ in range(2)] == ["card_removed", "card_placed"]
    assert reader.read_card(timeout=1).result(TIMEOUT).identity.id_number == RESIDENT.id_number
    reader.stop_watching()


# -- the command line ------------------------------------------------------------------------------------------


def run_kiosk(*args: str, card: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SDTAPI_SIM_CARD": str(card)}
    env.pop("SDTAPI_SIM_FAULT", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "data"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )


def test_kiosk_idcard_read_with_the_vendor_library(sdtapi_sim_lib: Path, card_file: Path, tmp_path: Path):  # noqa: F811
    place(card_file, card_bytes(PERMIT))
    result = run_kiosk(
        "--sdtapi-library",
        str(sdtapi_sim_lib),
        "idcard",
        "read",
        "--driver",
        "sdtapi",
        "--json",
        "--timeout",
        "2",
        card=card_file,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["driver"] == "sdtapi" and shown["card_type"] == "hmt_permit"
    assert shown["name"] == "张*明" and shown["id_number"] == PERMIT.masked_id_number
    assert shown["photo_bytes"] == 1024
    assert PERMIT.name not in result.stdout + result.stderr
    assert PERMIT.id_number not in result.stdout + result.stderr


def test_kiosk_idcard_read_without_the_vendor_library(card_file: Path, tmp_path: Path):
    place(card_file, card_bytes(PERMIT))
    result = run_kiosk(
        "--sdtapi-library",
        str(tmp_path / "sdtapi.dll"),
        "idcard",
        "read",
        "--driver",
        "sdtapi",
        "--timeout",
        "0.5",
        card=card_file,
        tmp_path=tmp_path,
    )
    assert result.returncode == 1
    assert f"{LIBRARY_MISSING} (library)" in result.stderr


@pytest.mark.parametrize(
    ("status", "code", "health"),
    [
        (0x01, "port", Health.OFFLINE),  # the library's own: port not open
        (0x02, "timeout", Health.ERROR),
        (0x41, "read_failed", Health.OK),  # the module's SW3, as on the serial link
        (0x60, "sam_fault", Health.ERROR),
        (0x9F, "status", Health.ERROR),  # "card found" from a call that never finds
        (-1, "status", Health.ERROR),
        (0x1234, "status", Health.ERROR),
    ],
)
def test_statuses_become_plain_errors(status: int, code: str, health: Health):
    error = status_error(status, "SDT_ReadBaseMsg")
    assert isinstance(error, IdCardError) and (error.code, error.health) == (code, health)
    assert str(error) and not str(error).isascii()  # a message in Chinese for a person
