"""The SAM serial driver end to end against the simulated module on a real pseudo-terminal: every layout, every
fault, presence events, health, and what reaches the log. Waits are bounded by futures' timeouts, never by
sleeps that assume a speed; no test asserts a timing."""

from __future__ import annotations

import logging
import os
import queue
import tty

import pytest
import serial

from drivers.base import DeviceError, DeviceEvent, Health
from drivers.idcard import create_reader
from drivers.idcard.cards import SAMPLES, SimCard
from drivers.idcard.errors import READER_FAULT
from drivers.idcard.protocol import Command, ResponseDecoder, encode_command
from drivers.idcard.sam_serial import SamSerialReader, SimulatorReader
from drivers.idcard.simulator import Fault, SimulatedSam

GUARD = 30  # seconds: a future that takes longer than this is a hang


@pytest.fixture
def sim():
    """The module answering as fast as the pty allows; the driver still sizes its timeouts for 115200 baud."""
    simulator = SimulatedSam(baud=None, slow_delay=0.2)
    simulator.start()
    assert simulator.running
    yield simulator
    simulator.close()
    assert not simulator.running


@pytest.fixture
def paced_sim():
    """The module pacing its answers at 115200 baud, as on a real wire."""
    with SimulatedSam(baud=115200) as simulator:
        yield simulator


@pytest.fixture
def reader(sim):
    device = SamSerialReader(sim.port, baud=115200)
    yield device
    device.close()


def read(device, timeout: float = 3.0, **kwargs):
    return device.read_card(timeout=timeout, **kwargs).result(timeout=GUARD)


def failure(device, timeout: float = 1.0, **kwargs) -> DeviceError:
    with pytest.raises(DeviceError) as info:
        read(device, timeout, **kwargs)
    return info.value


def test_every_layout_reads_end_to_end_at_115200_baud(paced_sim):
    device = SamSerialReader(paced_sim.port, baud=115200)
    try:
        for name, sample in SAMPLES.items():
            paced_sim.place(sample)
            result = read(device)
            assert result.identity == sample.checked(), name
            assert result.identity.photo == sample.photo
            assert result.fingerprint == b""
            assert device.status().health is Health.OK
        assert result.identity.problem == "校验码不符"  # the last sample, bad-check: read, and flagged
    finally:
        device.close()
    assert list(SAMPLES)[-1] == "bad-check"
    assert paced_sim.stats().bytes_out >= len(SAMPLES) * 1295


def test_read_with_fingerprint(sim, reader):
    sim.place(SAMPLES["young"])
    result = read(reader, fingerprint=True)
    assert result.identity == SAMPLES["young"]
    assert result.fingerprint == SimCard.from_identity(SAMPLES["young"]).fingerprint
    assert len(result.fingerprint) == 1024


def test_sam_id_and_check(sim, reader):
    assert reader.check().result(timeout=GUARD).health is Health.OK
    assert reader.sam_id().result(timeout=GUARD) == "05.01-20240601-0001234567-0987654321"
    assert sim.stats().commands["RESET_SAM"] == 1


def test_no_card_gives_a_clear_error_after_the_timeout(sim, reader):
    error = failure(reader, 0.3)
    assert error.code == "no_card"
    assert "身份证" in str(error)
    assert reader.status().health is Health.OK  # no card is not a fault of the reader


def test_removed_card_is_no_longer_found(sim, reader):
    sim.place(SAMPLES["elder"])
    read(reader)
    read(reader)  # find answers 9F again while the card stays on the reader
    sim.remove()
    assert failure(reader, 0.3).code == "no_card"
    sim.place(SAMPLES["hmt"])
    assert read(reader).identity == SAMPLES["hmt"]


def test_port_that_cannot_be_opened_is_offline(tmp_path):
    device = SamSerialReader(str(tmp_path / "ttyUSB9"))
    try:
        error = failure(device)
        assert error.code == "port" and error.health is Health.OFFLINE
        assert str(error).startswith("读卡器未连接")
        status = device.check().result(timeout=GUARD)
        assert status.health is Health.OFFLINE and status.code == "port"
    finally:
        device.close()


def test_silent_module_is_offline():
    master, slave = os.openpty()  # a port that opens, with nothing behind it that answers
    tty.setraw(slave)
    device = SamSerialReader(os.ttyname(slave), answer_time=0.2, retries=0)
    try:
        error = failure(device)
        assert error.code == "timeout" and error.health is Health.OFFLINE
        assert "没有响应" in str(error)
        assert device.status().health is Health.OFFLINE
    finally:
        device.close()
        os.close(master)
        os.close(slave)


# -- faults ---------------------------------------------------------------------------------------------------


def test_no_card_fault_with_a_card_on_the_reader(sim, reader):
    sim.place(SAMPLES["elder"])
    sim.inject(Fault.NO_CARD)
    assert failure(reader, 0.3).code == "no_card"
    sim.clear_faults()
    assert read(reader).identity == SAMPLES["elder"]


def test_slow_replies_still_read(sim, reader):
    sim.place(SAMPLES["foreign"])
    read(reader)
    sim.inject(Fault.SLOW)
    assert read(reader, 5.0).identity == SAMPLES["foreign"]
    assert Fault.SLOW in sim.active_faults()


@pytest.mark.parametrize("command", [None, Command.FIND_CARD, Command.SELECT_CARD, Command.READ_BASE])
@pytest.mark.parametrize("fault", [Fault.CORRUPT, Fault.TRUNCATE, Fault.GARBAGE])
def test_one_damaged_answer_is_recovered(sim, reader, fault, command):
    sim.place(SAMPLES["elder"])
    read(reader)  # opened
    sim.inject(fault, times=1, command=command)
    assert read(reader).identity == SAMPLES["elder"]
    assert fault not in sim.active_faults()
    assert reader.status().health is Health.OK


def test_garbage_before_every_answer_is_skipped(sim, reader):
    sim.place(SAMPLES["long-term"])
    sim.inject(Fault.GARBAGE)
    for _ in range(3):
        assert read(reader).identity == SAMPLES["long-term"]


@pytest.mark.parametrize(("fault", "codes"), [(Fault.CORRUPT, {"checksum"}), (Fault.TRUNCATE, {"frame"})])
def test_a_line_that_stays_bad_gives_a_clear_error_and_recovers_when_it_clears(sim, reader, fault, codes):
    sim.place(SAMPLES["elder"])
    read(reader)
    sim.inject(fault, command=Command.READ_BASE)
    error = failure(reader, 0.3)
    assert error.code in codes
    assert "读卡器" in str(error)
    assert reader.status().health is Health.ERROR
    sim.clear_faults()
    assert read(reader).identity == SAMPLES["elder"]  # the link is reopened and resynchronised
    assert reader.status().health is Health.OK


def test_damaged_answers_while_opening(sim):
    sim.place(SAMPLES["elder"])
    sim.inject(Fault.CORRUPT)
    device = SamSerialReader(sim.port, retries=1)
    try:
        error = failure(device)
        assert error.code == "checksum" and error.health is Health.ERROR
        assert device.status().health is Health.ERROR
        sim.clear_faults()
        assert read(device).identity == SAMPLES["elder"]
    finally:
        device.close()


def test_read_failure_once_is_retried(sim, reader):
    sim.place(SAMPLES["young"])
    sim.inject(Fault.READ_FAIL, times=1)
    assert read(reader).identity == SAMPLES["young"]


def test_read_failure_that_persists(sim, reader):
    sim.place(SAMPLES["young"])
    sim.inject(Fault.READ_FAIL)
    error = failure(reader, 0.3)
    assert error.code == "read_failed" and error.status == 0x41
    assert "请不要移动身份证" in str(error)
    assert reader.status().health is Health.OK


def test_sam_fault(sim, reader):
    sim.place(SAMPLES["elder"])
    read(reader)
    sim.inject(Fault.SAM_FAULT)
    error = failure(reader)
    assert error.code == "sam_fault" and error.status == 0x60 and str(error) == READER_FAULT
    status = reader.status()
    assert status.health is Health.ERROR and status.code == "sam_fault"
    error = failure(reader)  # reopening resets the module, which still fails its self-test
    assert error.code == "sam_fault"
    sim.clear_faults()
    assert read(reader).identity == SAMPLES["elder"]
    assert reader.status().health is Health.OK


def test_bad_text_block_on_the_card(sim, reader):
    card = SimCard.from_identity(SAMPLES["elder"])
    sim.place(SimCard(b"\x00\xd8" + card.text[2:], card.photo, card.fingerprint))
    error = failure(reader)
    assert error.code == "bad_text" and error.health is Health.OK


def test_the_module_answers_a_bad_request_checksum(sim):
    with serial.Serial(sim.port, 115200, timeout=2) as port:
        port.write(encode_command(Command.FIND_CARD)[:-1] + b"\x00")
        decoder = ResponseDecoder()
        response = None
        while response is None:
            chunk = port.read(max(1, port.in_waiting))
            assert chunk, "the module did not answer"
            decoder.feed(chunk)
            response = decoder.next_response()
        assert response.sw3 == 0x10


# -- presence, the simulator backend, the log ----------------------------------------------------------------


def test_card_placed_and_removed_events(sim, reader):
    events: queue.Queue[DeviceEvent] = queue.Queue()
    reader.subscribe(events.put)

    def next_card_event() -> str:
        while True:
            event = events.get(timeout=GUARD)
            if event.name.startswith("card_"):
                return event.name

    reader.start_watching(interval=0.05)
    try:
        sim.place(SAMPLES["elder"])
        assert next_card_event() == "card_placed"
        assert read(reader).identity == SAMPLES["elder"]  # a read between two polls
        sim.remove()
        assert next_card_event() == "card_removed"
        sim.place(SAMPLES["hmt"])
        assert next_card_event() == "card_placed"
    finally:
        reader.stop_watching()


def test_simulator_backend_exposes_its_simulator():
    device = create_reader("simulator", card=SAMPLES["hmt"])
    try:
        assert isinstance(device, SimulatorReader) and device.backend == "simulator"
        assert read(device).identity == SAMPLES["hmt"]
        device.simulator.remove()
        assert failure(device, 0.3).code == "no_card"
        device.simulator.place(SAMPLES["foreign-old"])
        assert read(device).identity == SAMPLES["foreign-old"]
    finally:
        device.close()
    assert not device.simulator.running
    with pytest.raises(ValueError):
        create_reader("parallel-port")


def test_simulator_reader_with_faults_from_the_start():
    device = SimulatorReader(SAMPLES["elder"], faults=(Fault.GARBAGE, "slow"), slow_delay=0.1)
    try:
        assert read(device).identity == SAMPLES["elder"]
        assert set(device.simulator.active_faults()) == {Fault.GARBAGE, Fault.SLOW}
    finally:
        device.close()


def test_nothing_personal_reaches_the_log(sim, reader, caplog):
    sample = SAMPLES["elder"]
    sim.place(sample)
    with caplog.at_level(logging.DEBUG):
        read(reader)
        sim.inject(Fault.CORRUPT, times=1, command=Command.READ_BASE)
        read(reader)
        sim.place(SAMPLES["bad-check"])
        read(reader)
    assert "陈*英" in caplog.text
    for secret in (sample.name, sample.id_number, sample.address, SAMPLES["bad-check"].id_number):
        assert secret not in caplog.text
