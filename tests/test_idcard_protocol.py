"""The SAM serial frames: the reference vectors, the streaming decoder's resynchronisation, every SW3 status, and
fuzzing (whatever bytes arrive, only the driver's own error comes out, and decoding always ends)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.base import DeviceError, Health
from drivers.idcard import errors
from drivers.idcard.errors import IdCardError, describe_status, status_error
from drivers.idcard.protocol import (
    PREAMBLE,
    BaseMessage,
    Command,
    Request,
    RequestDecoder,
    Response,
    ResponseDecoder,
    checksum,
    decode_base_message,
    encode_base_message,
    encode_command,
    encode_frame,
    encode_response,
    format_sam_id,
)
from drivers.idcard.reader import _RETRYABLE

FIND = bytes.fromhex("AAAAAA9669 0003 2001 22")
FIND_OK = bytes.fromhex("AAAAAA9669 0008 00009F 00000000 97")


def drain(decoder: ResponseDecoder) -> tuple[list[Response], list[str]]:
    """Every response and every error code the decoder gives for what it holds."""
    responses, codes = [], []
    for _ in range(10_000):  # far more than any test needs: a decoder that stops consuming would fail here
        try:
            response = decoder.next_response()
        except IdCardError as exc:
            codes.append(exc.code)
            continue
        if response is None:
            return responses, codes
        responses.append(response)
    raise AssertionError("the decoder did not come to an end")


# -- vectors ------------------------------------------------------------------------------------------------


def test_reference_vectors():
    assert encode_command(Command.FIND_CARD) == FIND
    assert encode_response(0x9F, bytes(4)) == FIND_OK


@pytest.mark.parametrize(
    ("command", "data", "frame"),
    [
        (Command.RESET_SAM, b"", "AAAAAA9669 0003 10FF EC"),
        (Command.SAM_STATUS, b"", "AAAAAA9669 0003 11FF ED"),
        (Command.SAM_ID, b"", "AAAAAA9669 0003 12FF EE"),
        (Command.FIND_CARD, b"", "AAAAAA9669 0003 2001 22"),
        (Command.SELECT_CARD, b"", "AAAAAA9669 0003 2002 21"),
        (Command.READ_BASE, b"", "AAAAAA9669 0003 3001 32"),
        (Command.READ_BASE_FINGERPRINT, b"", "AAAAAA9669 0003 3010 23"),
        (Command.SET_MAX_RF_BYTES, b"\x50", "AAAAAA9669 0004 61FF50 CA"),
    ],
)
def test_every_command_frame(command, data, frame):
    assert encode_command(command, data) == bytes.fromhex(frame)
    decoder = RequestDecoder()
    decoder.feed(bytes.fromhex(frame))
    request = decoder.next_request()
    assert request == Request(command.cmd, command.para, data)
    assert request.command is command


def test_read_response_is_1295_bytes_with_the_reference_lengths():
    frame = encode_response(0x90, encode_base_message(b"t" * 256, b"p" * 1024))
    assert len(frame) == 1295
    assert frame[:14] == bytes.fromhex("AAAAAA9669 0508 000090 0100 0400")
    decoder = ResponseDecoder()
    decoder.feed(frame)
    response = decoder.next_response()
    assert response.ok and response.sw3 == 0x90
    message = decode_base_message(response.data, fingerprint=False)
    assert message == BaseMessage(b"t" * 256, b"p" * 1024)
    assert "tttt" not in repr(response) and "tttt" not in repr(message)


def test_read_with_fingerprint_layout():
    data = encode_base_message(b"t" * 256, b"p" * 1024, b"f" * 1024)
    assert data[:6] == bytes.fromhex("0100 0400 0400")
    assert decode_base_message(data, fingerprint=True).fingerprint == b"f" * 1024
    assert len(encode_response(0x90, data)) == 5 + 2 + 2314


@pytest.mark.parametrize(
    "data", [b"", b"\x01", encode_base_message(b"t" * 256, b"p" * 1024)[:-1], b"\x00\x01\x00\x01xyz"]
)
def test_read_data_whose_lengths_do_not_add_up_is_a_frame_error(data):
    with pytest.raises(IdCardError) as info:
        decode_base_message(data, fingerprint=False)
    assert info.value.code == "frame"


def test_checksum_and_sam_id_format():
    assert checksum(bytes.fromhex("0003 2001")) == 0x22
    assert checksum(bytes(range(256)) * 5 + b"\x07") == 0x07
    assert format_sam_id(bytes.fromhex("0500 0100") + (20240601).to_bytes(4, "little") + bytes(8)) == (
        "05.01-20240601-0000000000-0000000000"
    )
    assert format_sam_id(b"\x01\x02") == "0102"


# -- the streaming decoder ----------------------------------------------------------------------------------


def test_byte_by_byte_and_several_frames_in_one_chunk():
    decoder = ResponseDecoder()
    for byte in FIND_OK:
        assert decoder.next_response() is None
        decoder.feed(bytes([byte]))
    assert decoder.next_response().sw3 == 0x9F
    decoder.feed(FIND_OK + encode_response(0x80) + FIND_OK[:9])
    responses, codes = drain(decoder)
    assert [r.sw3 for r in responses] == [0x9F, 0x80] and codes == []
    assert decoder.in_frame and decoder.missing() == len(FIND_OK) - 9


def test_garbage_before_a_frame_is_skipped():
    decoder = ResponseDecoder()
    decoder.feed(b"\x00\xff\x13\xaa\xaa\x96\xaa" + FIND_OK)
    responses, codes = drain(decoder)
    assert [r.sw3 for r in responses] == [0x9F] and codes == []
    assert decoder.skipped == 7


def test_a_partial_preamble_at_the_end_is_kept():
    decoder = ResponseDecoder()
    decoder.feed(b"\x01\x02" + PREAMBLE[:4])
    assert decoder.next_response() is None
    decoder.feed(FIND_OK[4:])
    assert decoder.next_response().sw3 == 0x9F


def test_bad_checksum_is_rejected_and_the_next_frame_still_decodes():
    bad = FIND_OK[:-1] + b"\x00"
    decoder = ResponseDecoder()
    decoder.feed(bad + FIND_OK)
    responses, codes = drain(decoder)
    assert codes == ["checksum"]
    assert [r.sw3 for r in responses] == [0x9F]


@pytest.mark.parametrize("length", [0, 1, 3, 4097, 0xFFFF])
def test_impossible_lengths_are_rejected(length):
    decoder = ResponseDecoder()
    decoder.feed(PREAMBLE + length.to_bytes(2, "big") + b"\x00" * 8 + FIND_OK)
    responses, codes = drain(decoder)
    assert codes == ["frame"]
    assert [r.sw3 for r in responses] == [0x9F]


def test_a_truncated_frame_is_dropped_and_the_next_preamble_found():
    read_ok = encode_response(0x90, encode_base_message(b"t" * 256, b"p" * 1024))
    decoder = ResponseDecoder()
    decoder.feed(read_ok[:600] + FIND_OK)  # a cut-short read, then the next answer
    assert drain(decoder) == ([], [])  # still waiting for the read's 1,288 bytes
    assert decoder.in_frame
    decoder.drop_frame()  # the driver saw the line go quiet: give that frame up
    responses, codes = drain(decoder)
    assert [r.sw3 for r in responses] == [0x9F] and codes == []


def test_a_truncated_frame_swallowing_the_next_one_ends_in_a_checksum_error_then_resyncs():
    decoder = ResponseDecoder()
    decoder.feed(FIND_OK[:9] + FIND_OK + FIND_OK)  # the cut frame's LEN covers the start of the next
    responses, codes = drain(decoder)
    assert codes == ["checksum"]
    assert [r.sw3 for r in responses] == [0x9F, 0x9F]


def test_the_preamble_inside_data_does_not_confuse_the_decoder():
    frame = encode_response(0x90, encode_base_message(PREAMBLE * 51 + b"\x00", PREAMBLE * 204 + b"abcd"))
    decoder = ResponseDecoder()
    decoder.feed(b"\xaa\xaa" + frame)
    responses, codes = drain(decoder)
    assert codes == [] and len(responses) == 1
    assert decode_base_message(responses[0].data, fingerprint=False).text.startswith(PREAMBLE)


def test_reset_forgets_buffered_bytes():
    decoder = ResponseDecoder()
    decoder.feed(FIND_OK[:10])
    decoder.reset()
    decoder.feed(FIND_OK)
    assert decoder.next_response().sw3 == 0x9F


def test_short_payloads_are_frame_errors():
    with pytest.raises(IdCardError):
        Response.from_payload(b"\x00\x00")
    with pytest.raises(IdCardError):
        Request.from_payload(b"\x20")
    with pytest.raises(ValueError):
        encode_frame(bytes(5000))


# -- statuses -------------------------------------------------------------------------------------------------

FAILURES = [0x80, 0x81, 0x41, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x47, 0x60, 0x66]


@pytest.mark.parametrize("sw3", FAILURES)
def test_every_failure_status_has_a_persons_message_a_code_and_a_health(sw3):
    error = status_error(sw3)
    assert isinstance(error, IdCardError) and isinstance(error, DeviceError)
    assert error.status == sw3
    assert error.code and error.code != "ok"
    message = str(error)
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert "0x" not in message and f"{sw3:02X}" not in message  # hex is for the log, not for people
    assert isinstance(error.health, Health)
    assert describe_status(sw3).meaning


@pytest.mark.parametrize(
    ("sw3", "code", "health", "words"),
    [
        (0x80, "no_card", Health.OK, "请放置身份证"),
        (0x81, "select_failed", Health.OK, "请不要移动身份证"),
        (0x41, "read_failed", Health.OK, "请不要移动身份证"),
        (0x47, "read_failed", Health.OK, "请不要移动身份证"),
        (0x10, "checksum", Health.ERROR, "通信"),
        (0x11, "frame", Health.ERROR, "通信"),
        (0x21, "bad_command", Health.ERROR, errors.READER_FAULT),
        (0x24, "unknown_error", Health.ERROR, errors.READER_FAULT),
        (0x31, "auth_failed", Health.OK, "认证"),
        (0x40, "unknown_card", Health.OK, "无法识别"),
        (0x60, "sam_fault", Health.ERROR, errors.READER_FAULT),
        (0x66, "sam_unauthorised", Health.ERROR, "未授权"),
    ],
)
def test_status_meanings(sw3, code, health, words):
    error = status_error(sw3)
    assert (error.code, error.health) == (code, health)
    assert words in str(error)


def test_ok_statuses_and_unknown_statuses():
    assert encode_response(0x90) and Response(0, 0, 0x90).ok and Response(0, 0, 0x9F).ok
    assert not Response(0, 0, 0x80).ok
    unknown = status_error(0x55)
    assert (unknown.code, unknown.health, unknown.status) == ("status", Health.ERROR, 0x55)
    assert str(unknown) == errors.READER_FAULT
    assert "0x55" in repr(unknown)


def test_retryable_codes_are_spelled_as_the_base_reader_expects():
    codes = {status_error(sw3).code for sw3 in FAILURES}
    assert {"no_card", "select_failed", "read_failed", "checksum", "frame"} <= codes
    assert {"no_card", "select_failed", "read_failed", "checksum", "frame", "timeout"} == set(_RETRYABLE)
    assert "sam_fault" not in _RETRYABLE


# -- fuzzing --------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.lists(st.binary(max_size=300), max_size=12))
def test_fuzz_arbitrary_chunks_only_give_frames_or_our_errors(chunks):
    decoder = ResponseDecoder()
    for chunk in chunks:
        decoder.feed(chunk)
        drain(decoder)
    decoder.drop_frame()
    drain(decoder)


@FUZZ
@given(st.lists(st.binary(max_size=40).map(lambda b: PREAMBLE + b), max_size=20))
def test_fuzz_near_frames_only_give_requests_or_our_errors(chunks):
    # Chunks that start with a preamble reach the LEN and CHK checks far more often than random bytes do.
    decoder = RequestDecoder()
    for chunk in chunks:
        decoder.feed(chunk)
        for _ in range(10_000):
            try:
                if decoder.next_request() is None:
                    break
            except IdCardError:
                continue
        else:
            raise AssertionError("the decoder did not come to an end")


@FUZZ
@given(
    st.binary(max_size=200).filter(lambda b: b"\xaa" not in b),
    st.binary(max_size=300),
    st.integers(min_value=1, max_value=64),
)
def test_fuzz_a_frame_after_garbage_is_always_found(garbage, data, split):
    frame = encode_response(0x90, data)
    stream = garbage + frame
    decoder = ResponseDecoder()
    responses = []
    for at in range(0, len(stream), split):
        decoder.feed(stream[at : at + split])
        got, codes = drain(decoder)
        assert codes == []
        responses += got
    assert len(responses) == 1 and responses[0].data == data
