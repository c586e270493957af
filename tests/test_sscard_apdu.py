"""The social security card's commands, status words and records, without PC/SC: the pure functions, and whole
conversations with the emulator's card (the same object pcscd talks to through vpcd) — plus fuzzing, which may
only ever see the driver's own errors."""

from __future__ import annotations

import contextlib
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.base import DeviceError
from drivers.idcard.tables import NATIONS
from drivers.sscard import apdu
from drivers.sscard.apdu import CardDataError, PinFormatError, SsCardError
from drivers.sscard.cards import SAMPLE_CARDS, SampleCard, card_from_dict, load_card
from drivers.sscard.contents import decode_contents
from drivers.sscard.emulator import VirtualCard
from drivers.sscard.session import exchange, read_contents
from kiosk.domain.identity import CardType, id_number_problem

HUANG = SAMPLE_CARDS["huang"]
PIN_CARD = SAMPLE_CARDS["pin"]


def hexed(data: bytes) -> str:
    return data.hex().upper()


# -- commands ---------------------------------------------------------------------------------------------------


def test_commands_are_the_ones_real_readers_send():
    assert hexed(apdu.SELECT_SSSE) == "00A404000F7378312E73682EC9E7BBE1B1A3D5CF"
    assert hexed(apdu.READ_CARD_NUMBER) == "00B2072C0B"
    assert hexed(apdu.SELECT_EF06) == "00A4020002EF06"
    assert [hexed(apdu.read_record_by_tag(spec)) for spec in apdu.EF06_RECORDS] == [
        "00B2080014",  # social security number, 18 characters
        "00B2090020",  # name, 30 bytes of GBK
        "00B20A0003",  # sex
        "00B20B0003",  # nation
        "00B20C0005",  # birthplace
        "00B20D0006",  # birth date
    ]


def test_pin_is_packed_bcd():
    assert hexed(apdu.verify_pin("123456")) == "0020000003123456"
    assert hexed(apdu.encode_pin("12345")) == "12345F"
    assert hexed(apdu.encode_pin("000000000000")) == "000000000000"


@pytest.mark.parametrize("pin", ["", "123", "12345a", "１２３４５６", "1234567890123", " 123456"])
def test_malformed_pin_is_refused_before_it_reaches_a_card(pin):
    with pytest.raises(PinFormatError) as caught:
        apdu.verify_pin(pin)
    assert caught.value.code == "pin_format"


def test_with_le_sets_or_replaces_the_expected_length():
    assert hexed(apdu.with_le(bytes.fromhex("00B20800"), 0x14)) == "00B2080014"
    assert hexed(apdu.with_le(bytes.fromhex("00B2080000"), 0x14)) == "00B2080014"
    assert hexed(apdu.with_le(bytes.fromhex("00A4040002AABB"), 0x10)) == "00A4040002AABB10"
    assert hexed(apdu.with_le(bytes.fromhex("00A4040002AABB00"), 0x10)) == "00A4040002AABB10"
    with pytest.raises(CardDataError):
        apdu.with_le(bytes.fromhex("00A4040005AABB"), 0x10)


def test_commands_are_described_without_their_data():
    assert apdu.describe_command(apdu.verify_pin("123456")) == "00200000 +4"
    assert "123456" not in repr(apdu.parse_response(bytes.fromhex("1234569000")))


# -- status words ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sw", "code", "message"),
    [
        ("6982", "pin_required", "请输入社保卡密码"),
        ("63C2", "pin_wrong", "密码错误，还可以输入2次"),
        ("63C1", "pin_wrong", "密码错误，还可以输入1次"),
        ("63C0", "pin_blocked", "社保卡密码已锁定，请到社保窗口办理解锁"),
        ("6983", "pin_blocked", "社保卡密码已锁定，请到社保窗口办理解锁"),
        ("6A82", "not_sscard", "这张卡读不出社保信息，请确认插入的是社会保障卡"),
        ("6F00", "card_error", "社保卡读取失败，请重新插卡再试"),
        ("6A83", "card_error", "社保卡读取失败，请重新插卡再试"),
    ],
)
def test_status_words_become_errors_a_person_can_act_on(sw, code, message):
    with pytest.raises(SsCardError) as caught:
        apdu.check(apdu.parse_response(bytes.fromhex(sw)), "test")
    assert isinstance(caught.value, DeviceError)
    assert (caught.value.code, str(caught.value), caught.value.sw) == (code, message, int(sw, 16))


def test_ok_status_word_returns_the_data():
    response = apdu.check(apdu.parse_response(bytes.fromhex("01029000")), "test")
    assert (response.data, response.ok) == (b"\x01\x02", True)


@pytest.mark.parametrize("raw", [b"", b"\x90"])
def test_a_response_without_status_word_is_malformed(raw):
    with pytest.raises(CardDataError) as caught:
        apdu.parse_response(raw)
    assert caught.value.code == "card_data"


# -- records -----------------------------------------------------------------------------------------------------

NAME = next(spec for spec in apdu.EF06_RECORDS if spec.tag == apdu.TAG_NAME)
BIRTH = next(spec for spec in apdu.EF06_RECORDS if spec.tag == apdu.TAG_BIRTH_DATE)


def test_gbk_name_is_decoded_and_its_padding_dropped():
    value = "黄桂英".encode("gbk").ljust(30, b"\x00")
    assert apdu.decode_gbk(apdu.record_value(bytes([0x09, 30]) + value, NAME), NAME) == "黄桂英"
    assert apdu.decode_gbk("欧阳秀娜".encode("gbk") + b"  ", NAME) == "欧阳秀娜"


@pytest.mark.parametrize(
    "record",
    [
        b"",
        b"\x09",
        b"\x08\x02ab",  # another tag
        b"\x09\x05abc",  # length says more than there is
        b"\x09\x01abc",  # length says less than there is
        b"\x09\x21" + b"a" * 33,  # longer than a name can be
    ],
)
def test_malformed_records_are_rejected(record):
    with pytest.raises(CardDataError):
        apdu.record_value(record, NAME)


@pytest.mark.parametrize("value", [b"\x81\x30", b"\x00" * 30, b"\xd5\xc5\x07", b"\xff\xff"])
def test_a_name_that_is_not_gbk_text_is_rejected(value):
    with pytest.raises(CardDataError):
        apdu.decode_gbk(value, NAME)


def test_dates_are_packed_bcd():
    assert apdu.decode_date(bytes.fromhex("19560312"), BIRTH) == date(1956, 3, 12)
    for bad in ("19561332", "1956031A", "195603"):
        with pytest.raises(CardDataError):
            apdu.decode_date(bytes.fromhex(bad.replace("A", "F") if "A" in bad else bad), BIRTH)


def test_sex_codes_ascii_or_binary():
    assert [apdu.decode_sex(v) for v in (b"1", b"2", b"\x01", b"\x02", b"\x7f", b"")] == [
        "1",
        "2",
        "1",
        "2",
        "",
        "",
    ]


def records_of(card: SampleCard) -> tuple[bytes, dict[int, bytes]]:
    """The raw records, read from the emulator's card the way a reader would."""
    virtual = VirtualCard(card)
    exchange(virtual.process, apdu.SELECT_SSSE)
    number = exchange(virtual.process, apdu.READ_CARD_NUMBER).data
    exchange(virtual.process, apdu.SELECT_EF06)
    records = {
        spec.tag: exchange(virtual.process, apdu.read_record_by_tag(spec)).data for spec in apdu.EF06_RECORDS
    }
    return number, records


def test_contents_decode_into_an_identity():
    number, records = records_of(HUANG)
    contents = decode_contents(number, records)
    identity = contents.identity()
    assert identity.card_type is CardType.SOCIAL_SECURITY
    assert (identity.name, identity.id_number, identity.card_number) == (
        "黄桂英",
        HUANG.id_number,
        "Q00583261",
    )
    assert (identity.sex, identity.sex_code, identity.nation, identity.nation_code) == ("女", "2", "汉", "01")
    assert identity.birth_date == date(1956, 3, 12)
    assert contents.birthplace == "441802"
    assert identity.valid and identity.problem == ""
    for shown in (repr(contents), repr(identity), str(identity)):
        assert "黄桂英" not in shown and HUANG.id_number not in shown and "Q00583261" not in shown


def test_secondary_fields_that_are_missing_or_odd_do_not_block_the_read():
    number, records = records_of(HUANG)
    del records[apdu.TAG_BIRTHPLACE]
    records[apdu.TAG_SEX] = b"\x0a\x01\x7f"
    records[apdu.TAG_NATION] = b"\x0b\x01\xaa"
    records[apdu.TAG_BIRTH_DATE] = b"\x0d\x04\x19\x56\x13\x32"
    identity = decode_contents(number, records).identity()
    assert (identity.sex, identity.nation, identity.nation_code) == ("", "", "")
    assert identity.birth_date == date(1956, 3, 12)  # from the ID number instead


@pytest.mark.parametrize("tag", [apdu.TAG_ID_NUMBER, apdu.TAG_NAME])
def test_the_name_and_the_id_number_are_required(tag):
    number, records = records_of(HUANG)
    del records[tag]
    with pytest.raises(CardDataError):
        decode_contents(number, records)


def test_an_id_number_with_a_wrong_check_digit_is_read_but_flagged():
    wrong = HUANG.id_number[:17] + ("0" if HUANG.id_number[17] != "0" else "1")
    number, records = records_of(SampleCard(**{**_fields(HUANG), "id_number": wrong}))
    identity = decode_contents(number, records).identity()
    assert not identity.valid and identity.problem == "校验码不符"


def _fields(card: SampleCard) -> dict:
    return {name: getattr(card, name) for name in card.__dataclass_fields__}


# -- conversations with the emulator's card ---------------------------------------------------------------------


def test_get_response_follows_61xx():
    card = VirtualCard(HUANG)
    assert card.process(apdu.SELECT_SSSE)[-2] == 0x61
    card.reset()
    response = exchange(card.process, apdu.SELECT_SSSE)
    assert response.ok and response.data[0] == 0x6F and apdu.SSSE_AID in response.data


def test_wrong_le_is_corrected_after_6cxx():
    card = VirtualCard(HUANG)
    exchange(card.process, apdu.SELECT_SSSE)
    assert card.process(bytes.fromhex("00B2072C00")) == bytes.fromhex("6C0B")
    response = exchange(card.process, bytes.fromhex("00B2072C00"))
    assert response.ok and response.data[:2] == b"\x07\x09"


def test_a_card_that_keeps_answering_6cxx_or_61xx_is_malformed():
    with pytest.raises(CardDataError):
        exchange(lambda command: b"\x6c\x05", apdu.READ_CARD_NUMBER)
    with pytest.raises(CardDataError):
        exchange(lambda command: b"\x00\x61\x01", apdu.SELECT_SSSE)


@pytest.mark.parametrize("name", sorted(SAMPLE_CARDS))
def test_every_sample_card_reads_back_what_it_holds(name):
    card = SAMPLE_CARDS[name]
    identity = read_contents(VirtualCard(card).process, pin=card.pin).identity()
    assert (identity.name, identity.id_number, identity.card_number) == (
        card.name,
        card.id_number,
        card.card_number,
    )
    assert (identity.sex_code, identity.nation_code, identity.birth_date) == (
        card.sex_code,
        card.nation_code,
        card.birth_date,
    )
    assert identity.valid
    assert id_number_problem(card.id_number) == ""
    assert card.id_number[6:14] == card.birth_date.strftime("%Y%m%d")
    assert int(card.id_number[16]) % 2 == (1 if card.sex_code == "1" else 0)
    assert card.nation_code in NATIONS


def test_a_card_without_pin_protection_is_read_without_presenting_the_pin():
    card = VirtualCard(HUANG)
    read_contents(card.process, pin="123456")
    assert card.verify_attempts == 0


def test_pin_card_asks_for_the_pin_and_counts_wrong_ones():
    card = VirtualCard(PIN_CARD)
    with pytest.raises(SsCardError) as caught:
        read_contents(card.process)
    assert caught.value.code == "pin_required" and card.verify_attempts == 0
    with pytest.raises(SsCardError) as caught:
        read_contents(card.process, pin="654321")
    assert (caught.value.code, str(caught.value)) == ("pin_wrong", "密码错误，还可以输入2次")
    assert read_contents(card.process, pin="123456").name == "蓝秀娜"
    assert card.tries_left == 3  # a right PIN resets the counter


def test_pin_card_blocks_after_three_wrong_pins():
    card = VirtualCard(PIN_CARD)
    codes = []
    for _ in range(4):
        with pytest.raises(SsCardError) as caught:
            read_contents(card.process, pin="000000")
        codes.append(caught.value.code)
    assert codes == ["pin_wrong", "pin_wrong", "pin_blocked", "pin_blocked"]
    with pytest.raises(SsCardError) as caught:
        read_contents(card.process, pin="123456")
    assert caught.value.code == "pin_blocked"


def test_a_malformed_pin_costs_no_try():
    card = VirtualCard(PIN_CARD)
    with pytest.raises(PinFormatError):
        read_contents(card.process, pin="12ab56")
    assert card.tries_left == 3 and card.verify_attempts == 0


def test_a_card_without_the_application_is_not_a_social_security_card():
    with pytest.raises(SsCardError) as caught:
        read_contents(lambda command: bytes.fromhex("6A82"))
    assert caught.value.code == "not_sscard"


def test_a_damaged_name_record_is_a_clear_error():
    card = VirtualCard(HUANG, raw_records={0x09: b"\x09\x1e" + b"\x81\x7f" * 15})
    with pytest.raises(CardDataError) as caught:
        read_contents(card.process)
    assert (
        caught.value.code == "card_data" and str(caught.value) == "社保卡数据无法识别，请到社保窗口检查卡片"
    )


@pytest.mark.parametrize(
    ("command", "sw"),
    [
        ("00", "6700"),
        ("80B2072C0B", "6E00"),
        ("00FF000000", "6D00"),
        ("00B2080014", "6986"),  # no EF selected yet
        ("00B2083414", "6A82"),  # EF06 by SFI, application not selected
        ("00A40400037373AA", "6A82"),
        ("00A4020002EF06", "6A82"),  # EF06 lives in the application
        ("00C0000010", "6985"),  # nothing to get
        ("00A4040005AABB", "6700"),  # Lc longer than the data
    ],
)
def test_the_virtual_card_answers_bad_commands_like_a_card(command, sw):
    assert hexed(VirtualCard(HUANG).process(bytes.fromhex(command))) == sw


def test_the_virtual_card_reads_records_by_number_too():
    card = VirtualCard(HUANG)
    exchange(card.process, apdu.SELECT_SSSE)
    exchange(card.process, apdu.SELECT_EF06)
    assert card.process(bytes.fromhex("00B2010414"))[:2] == b"\x08\x12"  # record 1 of EF06 holds tag 08
    assert hexed(card.process(bytes.fromhex("00B2070414"))) == "6A83"


# -- card files ---------------------------------------------------------------------------------------------------


def test_a_card_file_is_checked_like_the_card_stores_it(tmp_path):
    document = {**_fields(HUANG), "birth_date": "1956-03-12", "name": "李秀兰"}
    path = tmp_path / "card.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert load_card(str(path)).name == "李秀兰"
    for broken in (
        {"name": "A" * 31},
        {"name": "𠮷"},
        {"sex_code": "3"},
        {"birth_date": "1956-13-01"},
        {"x": 1},
    ):
        with pytest.raises(DeviceError) as caught:
            card_from_dict({**document, **broken})
        assert caught.value.code == "card_file"
    with pytest.raises(DeviceError):
        load_card(str(tmp_path / "missing.json"))
    (tmp_path / "bad.json").write_bytes(b"\xff{")
    with pytest.raises(DeviceError):
        load_card(str(tmp_path / "bad.json"))


# -- fuzzing: only the driver's own errors come out ---------------------------------------------------------------

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=40))
def test_fuzz_responses(raw):
    with contextlib.suppress(SsCardError):
        apdu.check(apdu.parse_response(raw), "fuzz")


@FUZZ
@given(st.sampled_from((apdu.CARD_NUMBER, *apdu.EF06_RECORDS)), st.binary(max_size=40))
def test_fuzz_records(spec, raw):
    for decode in (
        apdu.decode_ascii,
        apdu.decode_gbk,
        apdu.decode_bcd,
        apdu.decode_date,
        apdu.decode_id_number,
    ):
        with contextlib.suppress(SsCardError):
            decode(apdu.record_value(raw, spec), spec)
    apdu.decode_sex(raw)


@FUZZ
@given(
    st.binary(max_size=14),
    st.dictionaries(st.sampled_from([s.tag for s in apdu.EF06_RECORDS]), st.binary(max_size=34)),
    st.data(),
)
def test_fuzz_contents(number, records, data):
    # Half the time start from a real card's records and damage some, so decoding gets past the first check.
    if data.draw(st.booleans()):
        number, real = records_of(HUANG)
        records = {**real, **records}
    try:
        contents = decode_contents(number, records)
    except SsCardError:
        return
    identity = contents.identity()
    assert identity.card_type is CardType.SOCIAL_SECURITY
    repr(contents), repr(identity), identity.masked()


@FUZZ
@given(st.data())
def test_fuzz_a_card_that_answers_anything(data):
    """A conversation where each answer is arbitrary (sometimes a plausible status word) ends in a read or in the
    driver's own error, never anything else and never a hang."""
    answers = st.one_of(
        st.binary(max_size=36),
        st.sampled_from(["9000", "6982", "63C1", "6983", "6A82", "6A83", "611E", "6C0B", "6100"]).map(
            bytes.fromhex
        ),
    )

    def transmit(command: bytes) -> bytes:
        return data.draw(answers)

    with contextlib.suppress(SsCardError):
        read_contents(transmit, pin=data.draw(st.sampled_from([None, "123456"])))


@FUZZ
@given(st.binary(max_size=300))
def test_fuzz_the_virtual_card(command):
    for card in (VirtualCard(HUANG), VirtualCard(PIN_CARD)):
        exchange(card.process, apdu.SELECT_SSSE)
        reply = card.process(command)
        assert len(reply) >= 2


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from([*_fields(HUANG), "other"]), st.one_of(st.text(max_size=40), st.integers())
    )
)
def test_fuzz_card_files(document):
    with contextlib.suppress(DeviceError):
        card_from_dict({**_fields(HUANG), "birth_date": "1956-03-12", **document})
