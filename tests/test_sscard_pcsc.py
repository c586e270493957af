"""The social security card reader end to end: pyscard → libpcsclite → a real pcscd → vpcd → the card emulator over
TCP on 127.0.0.1. Nothing of ours is replaced; the emulator is the card."""

from __future__ import annotations

import json
import logging
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest
from pcsc_support import READER, READER_NAMES, PcscDaemon, pcscd, running_pcscd  # noqa: F401

from drivers.base import DeviceError, DeviceEvent, Health
from drivers.idcard.reader import FOUND
from drivers.sscard.cards import SAMPLE_CARDS, SampleCard
from drivers.sscard.emulator import VirtualCard, VpcdEmulator
from drivers.sscard.pcsc import SocialSecurityCardReader, SsCardRead
from kiosk.domain.identity import CardType

ROOT = Path(__file__).resolve().parents[1]
HUANG = SAMPLE_CARDS["huang"]
PIN_CARD = SAMPLE_CARDS["pin"]
WAIT = 10.0  # generous bound for anything pcscd has to notice (it polls vpcd every 0.4 s)


def card_in_reader(reader: str) -> bool:
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return False
    try:
        hresult, states = scard.SCardGetStatusChange(context, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
        return hresult == scard.SCARD_S_SUCCESS and bool(states[0][1] & scard.SCARD_STATE_PRESENT)
    finally:
        scard.SCardReleaseContext(context)


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


@pytest.fixture
def insert(running_pcscd: PcscDaemon) -> Iterator[Callable[..., VpcdEmulator]]:  # noqa: F811
    """Put a card into a vpcd slot; every card is taken out (and pcscd has seen it go) after the test."""
    emulators: list[tuple[VpcdEmulator, str]] = []

    def put(card: SampleCard | VirtualCard = HUANG, *, slot: int = 0, **options) -> VpcdEmulator:
        emulator = VpcdEmulator(card, port=running_pcscd.port + slot, **options)
        emulators.append((emulator, READER_NAMES[slot]))
        emulator.insert()
        return emulator

    yield put
    for emulator, _reader in emulators:
        emulator.close()
        assert not emulator.inserted
    if running_pcscd.running:
        for _emulator, reader in emulators:
            wait_until(lambda reader=reader: not card_in_reader(reader), f"pcscd saw the card leave {reader}")


@pytest.fixture
def make_reader() -> Iterator[Callable[..., SocialSecurityCardReader]]:
    readers: list[SocialSecurityCardReader] = []

    def make(reader: str = READER, pin: str | None = None) -> SocialSecurityCardReader:
        readers.append(SocialSecurityCardReader(reader, pin=pin))
        return readers[-1]

    yield make
    for reader in readers:
        reader.close()


def result(future: Future) -> SsCardRead:
    read = future.result(timeout=WAIT + 20)
    assert isinstance(read, SsCardRead)
    return read


def error_of(future: Future) -> DeviceError:
    with pytest.raises(DeviceError) as caught:
        future.result(timeout=WAIT + 20)
    return caught.value


# -- reading ----------------------------------------------------------------------------------------------------


def test_reads_every_field_of_a_card(insert, make_reader, caplog):
    caplog.set_level(logging.DEBUG)
    insert(HUANG)
    read = result(make_reader().read_card(timeout=WAIT))
    identity = read.identity
    assert identity.card_type is CardType.SOCIAL_SECURITY
    assert identity.name == "黄桂英"
    assert (identity.id_number, identity.card_number) == (HUANG.id_number, HUANG.card_number)
    assert (identity.sex, identity.nation, identity.birth_date) == ("女", "汉", HUANG.birth_date)
    assert read.birthplace == "441802"
    assert identity.valid
    assert repr(read) == "SsCardRead(Identity(social_security, 黄*英, 441************24X))"
    assert identity.masked()["name"] == "黄*英"
    for secret in ("黄桂英", HUANG.id_number, HUANG.card_number):
        assert secret not in caplog.text


def test_the_first_reader_holding_a_card_is_used_when_none_is_named(insert, make_reader):
    insert(SAMPLE_CARDS["chen"], slot=1)
    wait_until(lambda: card_in_reader(READER_NAMES[1]), "pcscd saw the card")
    reader = make_reader("")
    assert result(reader.read_card(timeout=WAIT)).identity.name == "陈志强"
    assert reader.readers().result(timeout=WAIT) == READER_NAMES


def test_pin_required_wrong_right_and_blocked(insert, make_reader, caplog):
    caplog.set_level(logging.DEBUG)
    card = VirtualCard(PIN_CARD)
    insert(card)
    reader = make_reader()

    error = error_of(reader.read_card(timeout=WAIT))
    assert (error.code, str(error), error.health) == ("pin_required", "请输入社保卡密码", Health.OK)
    assert card.verify_attempts == 0

    error = error_of(reader.read_card(timeout=WAIT, pin="111111"))
    assert (error.code, str(error)) == ("pin_wrong", "密码错误，还可以输入2次")

    assert result(reader.read_card(timeout=WAIT, pin="123456")).identity.name == "蓝秀娜"
    assert card.tries_left == 3
    assert reader.status().health is Health.OK

    codes = [error_of(reader.read_card(timeout=WAIT, pin="999999")).code for _ in range(3)]
    assert codes == ["pin_wrong", "pin_wrong", "pin_blocked"]
    error = error_of(reader.read_card(timeout=WAIT, pin="123456"))
    assert (error.code, str(error)) == ("pin_blocked", "社保卡密码已锁定，请到社保窗口办理解锁")
    assert "123456" not in caplog.text and "999999" not in caplog.text


def test_a_pin_given_to_the_reader_is_used_when_the_card_asks(insert, make_reader):
    insert(PIN_CARD)
    assert result(make_reader(pin="123456").read_card(timeout=WAIT)).identity.name == "蓝秀娜"


def test_no_card_is_a_clear_error_after_the_timeout(running_pcscd, make_reader):  # noqa: F811
    reader = make_reader()
    started = time.monotonic()
    error = error_of(reader.read_card(timeout=0.3))
    assert time.monotonic() - started >= 0.3
    assert (error.code, error.health) == ("no_card", Health.OK)
    assert "社保卡" in str(error)
    assert reader.status().health is Health.OK


def test_a_malformed_pin_fails_at_once(running_pcscd, make_reader):  # noqa: F811
    error = error_of(
        make_reader().read_card(timeout=WAIT, pin="12ab")
    )  # no card: it would wait, then no_card
    assert (error.code, str(error)) == ("pin_format", "密码格式不对，请输入6位数字密码")


def test_a_card_pulled_out_mid_read_is_a_retryable_error(insert, make_reader):
    reader = make_reader()
    pulled = insert(HUANG, drop_after=4)
    error = error_of(reader.read_card(timeout=WAIT))
    assert (error.code, error.health) == ("card_removed", Health.OK)
    assert str(error) == "读卡时社保卡被拔出，请重新插入社保卡后再试"
    pulled.close()
    insert(SAMPLE_CARDS["chen"])  # straight back in, before pcscd's next look: the read waits for it
    assert result(reader.read_card(timeout=WAIT)).identity.name == "陈志强"
    assert reader.status().health is Health.OK


# -- events and health -----------------------------------------------------------------------------------------


class Events:
    def __init__(self) -> None:
        self.queue: queue.Queue[DeviceEvent] = queue.Queue()

    def __call__(self, event: DeviceEvent) -> None:
        self.queue.put(event)

    def expect_all(self, *expected: tuple[str, str]) -> None:
        """Each (name, payload) pair, in any order (others are skipped)."""
        missing = set(expected)
        deadline = time.monotonic() + WAIT
        while missing:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {sorted(missing)} events"
            event = self.queue.get(timeout=remaining)
            missing.discard((event.name, event.payload))

    def expect(self, name: str, payload: str | None = None) -> DeviceEvent:
        """The next event with this name (others before it are skipped)."""
        deadline = time.monotonic() + WAIT
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {name} event"
            event = self.queue.get(timeout=remaining)
            if event.name == name and (payload is None or event.payload == payload):
                return event


def test_card_and_reader_events(insert, make_reader):
    reader = make_reader()
    events = Events()
    reader.subscribe(events)
    reader.start_watching(interval=0.05)
    events.expect("reader_added", READER)
    emulator = insert(HUANG)
    events.expect("card_placed")
    emulator.remove()
    events.expect("card_removed")
    emulator.insert()
    events.expect("card_placed")
    reader.stop_watching()


def test_a_card_taken_out_and_put_back_within_a_second_is_read_twice(insert, make_reader):
    reader = make_reader()
    events = Events()
    reader.subscribe(events)
    reader.start_watching()
    card = insert(HUANG)
    events.expect("card_placed")
    assert result(reader.read_card(timeout=WAIT)).identity.name == "黄桂英"
    card.remove()
    time.sleep(0.6)  # out and straight back in (pcscd itself looks at vpcd every 0.4 s)
    card.insert()
    events.expect("card_removed")
    events.expect("card_placed")
    assert result(reader.read_card(timeout=WAIT)).identity.name == "黄桂英"
    reader.stop_watching()


def test_a_card_in_the_reader_when_watching_begins_is_found_not_placed(insert, make_reader):
    insert(HUANG)
    wait_until(lambda: card_in_reader(READER), "pcscd saw the card")
    reader = make_reader()
    events = Events()
    reader.subscribe(events)
    reader.start_watching()
    assert events.expect("card_placed").payload == FOUND


def test_the_watch_waits_in_pcscd_instead_of_asking_again_and_again(insert, make_reader, monkeypatch):
    from smartcard import scard

    calls: list[int] = []
    real = scard.SCardGetStatusChange

    def counted(context, timeout, states):  # a spy on pyscard: how often the watch asks, and how
        calls.append(timeout)
        return real(context, timeout, states)

    monkeypatch.setattr(scard, "SCardGetStatusChange", counted)
    reader = make_reader()
    events = Events()
    reader.subscribe(events)
    reader.start_watching()
    events.expect("reader_added", READER)
    time.sleep(1.0)  # nothing comes or goes
    assert 1 <= len(calls) <= 3 and all(timeout > 0 for timeout in calls)
    emulator = insert(HUANG)
    events.expect("card_placed")  # woken by pcscd, not found by a later look
    emulator.remove()
    events.expect("card_removed")
    watchers = [t for t in threading.enumerate() if t.name == "watch-pcsc"]
    assert len(watchers) == 1
    reader.stop_watching()  # cancels the wait at once
    assert not watchers[0].is_alive()


def test_a_reader_that_matches_nothing_is_offline(running_pcscd, make_reader):  # noqa: F811
    reader = make_reader("No Such Reader")
    status = reader.check().result(timeout=WAIT)
    assert (status.health, status.code, status.message) == (
        Health.OFFLINE,
        "no_reader",
        "社保卡读卡器未连接，请联系工作人员",
    )
    assert error_of(reader.read_card(timeout=0.2)).code == "no_reader"


def test_pcscd_gone_is_offline_and_coming_back_is_ok(insert, make_reader, pcscd):  # noqa: F811
    reader = make_reader()
    events = Events()
    reader.subscribe(events)
    reader.start_watching(interval=0.05)
    events.expect("reader_added", READER)
    assert reader.status().health is Health.OK

    pcscd.stop()
    events.expect_all(("reader_removed", READER), ("health_changed", "offline"))
    status = reader.check().result(timeout=WAIT)
    assert (status.health, status.code) == (Health.OFFLINE, "no_reader")
    error = error_of(reader.read_card(timeout=0.2))
    assert (error.code, str(error), error.health) == (
        "no_reader",
        "社保卡读卡器未连接，请联系工作人员",
        Health.OFFLINE,
    )

    pcscd.start()
    events.expect_all(("reader_added", READER), ("health_changed", "ok"))
    insert(HUANG)
    assert result(reader.read_card(timeout=WAIT)).identity.name == "黄桂英"


# -- the command line ---------------------------------------------------------------------------------------------


def kiosk(
    daemon: PcscDaemon, tmp_path: Path, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "data"), *args],
        cwd=ROOT,
        env=daemon.env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_cli_reads_a_card_masked_and_unmasked(insert, running_pcscd, tmp_path):  # noqa: F811
    insert(HUANG)
    done = kiosk(running_pcscd, tmp_path, "sscard", "read", "--json", "--reader", READER, "--timeout", "10")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["name"] == "黄*英" and shown["id_number"] == "441************24X"
    assert shown["card_number"] == "Q00***261" and shown["card_type"] == "social_security"
    assert "黄桂英" not in done.stdout + done.stderr

    done = kiosk(running_pcscd, tmp_path, "sscard", "read", "--json", "--unmasked", "--timeout", "10")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert (shown["name"], shown["id_number"], shown["birthplace"]) == ("黄桂英", HUANG.id_number, "441802")
    assert shown["birth_date"] == "1956-03-12" and "valid_to" not in shown


def test_cli_read_failures_are_one_clear_line(insert, running_pcscd, tmp_path):  # noqa: F811
    done = kiosk(running_pcscd, tmp_path, "sscard", "read", "--reader", READER, "--timeout", "0.2")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "kiosk: 没有检测到社保卡，请把社保卡芯片朝上插入读卡器 (no_card)"
    ]

    insert(PIN_CARD)
    done = kiosk(running_pcscd, tmp_path, "sscard", "read", "--reader", READER, "--timeout", "10")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == ["kiosk: 请输入社保卡密码 (pin_required)"]
    done = kiosk(running_pcscd, tmp_path, "sscard", "read", "--reader", READER, "--pin", "123456")
    assert done.returncode == 0 and "蓝*娜" in done.stdout, done.stderr


def test_idcard_cli_reads_the_social_security_card_with_the_pcsc_driver(insert, running_pcscd, tmp_path):  # noqa: F811
    insert(HUANG)
    done = kiosk(running_pcscd, tmp_path, "idcard", "read", "--driver", "pcsc", "--port", READER, "--json")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert (shown["driver"], shown["card_type"], shown["name"]) == ("pcsc", "social_security", "黄*英")


def test_cli_simulate_serves_a_card_until_interrupted(running_pcscd, make_reader, tmp_path):  # noqa: F811
    simulate = ["sscard", "simulate", "--card", "chen", "--port", str(running_pcscd.port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "data"), *simulate],
        cwd=ROOT,
        env=running_pcscd.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert result(make_reader().read_card(timeout=WAIT)).identity.name == "陈志强"
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err
    assert "已插卡" in out and "陈志强" not in out
    wait_until(lambda: not card_in_reader(READER), "pcscd saw the simulated card leave")


def test_cli_simulate_waits_for_pcscd_and_stops_on_sigterm(tmp_path):
    """No vpcd on the port: the simulator says so once and keeps trying until it is told to stop."""
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    simulate = ["sscard", "simulate", "--card", "pin", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "data"), *simulate],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "连不上读卡器" in line and f"127.0.0.1:{port}" in line
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0 and "模拟器退出" in out, err


def test_cli_simulate_refuses_an_unknown_card(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--data-dir",
            str(tmp_path / "data"),
            "sscard",
            "simulate",
            "--card",
            "nobody",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "nobody" in done.stderr
