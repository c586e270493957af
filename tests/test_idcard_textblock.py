"""The text block's four layouts, the code tables, the sample cards and card files. Blocks are built here by
offset from the reference layouts (not only with build_text_block), so parse and build cannot agree on a mistake."""

from __future__ import annotations

import contextlib
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.idcard.cards import (
    CARD_FILE_FORMAT,
    SAMPLES,
    SimCard,
    card_document,
    card_from_document,
    filler,
    load_card,
    load_card_file,
)
from drivers.idcard.errors import IdCardError
from drivers.idcard.tables import COUNTRIES, NATIONS, SEXES, country_name, nation_name, sex_name
from drivers.idcard.textblock import build_text_block, card_type_of, parse_text_block
from kiosk.domain.identity import CardType, Identity, id_check_digit

TODAY = date(2026, 11, 22)


def block(fields: dict[int, str], flag: str = " ") -> bytes:
    """256 bytes of UCS-2 spaces with each text written at its byte offset and the flag at byte 248."""
    data = bytearray(" ".encode("utf-16-le") * 128)
    for offset, text in fields.items():
        raw = text.encode("utf-16-le")
        data[offset : offset + len(raw)] = raw
    data[248:250] = flag.encode("utf-16-le")
    return bytes(data)


RESIDENT = {
    0: "陈秀英",
    30: "2",
    32: "01",
    36: "19480315",
    52: "广东省清远市清新区太平镇禾丰村委会下围村12号",
    122: "441803194803150621",
    158: "清远市公安局清新分局",
    188: "20120608",
    204: "长期",
}


def test_resident_card_layout():
    identity = parse_text_block(block(RESIDENT), b"W" * 1024, today=TODAY)
    assert identity.card_type is CardType.RESIDENT
    assert identity.name == "陈秀英"
    assert (identity.sex, identity.sex_code) == ("女", "2")
    assert (identity.nation, identity.nation_code) == ("汉", "01")
    assert identity.birth_date == date(1948, 3, 15)
    assert identity.address == "广东省清远市清新区太平镇禾丰村委会下围村12号"
    assert identity.id_number == "441803194803150621"
    assert identity.authority == "清远市公安局清新分局"
    assert identity.valid_from == date(2012, 6, 8)
    assert identity.valid_to is None  # 长期
    assert identity.photo == b"W" * 1024
    assert identity.valid and identity.problem == ""
    assert identity == SAMPLES["elder"]


def test_resident_card_with_an_end_date_and_a_nul_flag():
    fields = {**RESIDENT, 204: "20321012"}
    raw = bytearray(block(fields))
    raw[248:250] = b"\x00\x00"
    identity = parse_text_block(bytes(raw), today=TODAY)
    assert identity.card_type is CardType.RESIDENT and identity.valid_to == date(2032, 10, 12)


def test_hmt_residence_permit_layout():
    fields = {
        0: "张家明",
        30: "1",
        36: "19900517",
        52: "广东省东莞市樟木头镇石新社区富竹路3号",
        122: "810000199005170351",
        158: "东莞市公安局",
        188: "20230301",
        204: "20280301",
        220: "H60123456",
        238: "01",
    }
    identity = parse_text_block(block(fields, "J"), today=TODAY)
    assert identity.card_type is CardType.HMT_PERMIT
    assert (identity.pass_number, identity.issue_count) == ("H60123456", "01")
    assert identity.nation == "" and identity.valid_to == date(2028, 3, 1)
    assert identity.valid
    assert identity == SAMPLES["hmt"]


def test_old_foreigner_card_layout():
    fields = {
        0: "SMITH, JOHN ROBERT",
        120: "1",
        122: "USA440085031211",
        152: "USA",
        158: "史密斯",
        188: "20180701",
        204: "20280701",
        220: "19850312",
        236: "01",
        240: "1500",
    }
    identity = parse_text_block(block(fields, "I"), today=TODAY)
    assert identity.card_type is CardType.FOREIGN_PERMANENT_OLD
    assert identity.english_name == "SMITH, JOHN ROBERT"
    assert identity.name == "史密斯"
    assert identity.id_number == "USA440085031211"
    assert identity.nationality == "USA" and country_name(identity.nationality) == "美国"
    assert identity.birth_date == date(1985, 3, 12)
    assert identity.authority == "1500"
    assert identity.valid  # a 15-character number has no GB 11643 check
    assert identity == SAMPLES["foreign-old"]


def test_2023_foreigner_card_layout_with_a_long_english_name():
    english = "GARCIA LOPEZ, MARIA ISABEL DE LA SANTISIMA TRI"  # 46 characters: 35 at byte 52, 11 at byte 220
    assert len(english) == 46
    number = "944724199108260044"
    fields = {
        0: "马丽亚",
        30: "2",
        32: "00",
        36: "19910826",
        52: english[:35],
        122: number,
        188: "20240115",
        204: "20340115",
        220: english[35:],
        242: "ESP",
    }
    identity = parse_text_block(block(fields, "Y"), today=TODAY)
    assert identity.card_type is CardType.FOREIGN_PERMANENT
    assert identity.english_name == english
    assert identity.id_number == number and identity.valid
    assert identity.nationality == "ESP" and country_name("ESP") == "西班牙"
    assert identity.issue_count == "00"
    assert parse_text_block(build_text_block(identity), today=TODAY) == identity


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_round_trips_through_its_block(name):
    sample = SAMPLES[name]
    card = SimCard.from_identity(sample)
    assert len(card.text) == 256 and len(card.photo) == 1024 and len(card.fingerprint) == 1024
    parsed = parse_text_block(card.text, card.photo, today=TODAY)
    assert parsed == sample.checked(today=TODAY)
    assert parsed.photo == sample.photo
    assert card_type_of(card.text) is sample.card_type


def test_sample_set_covers_every_layout_and_a_bad_number():
    assert {s.card_type for s in SAMPLES.values()} == {
        CardType.RESIDENT,
        CardType.HMT_PERMIT,
        CardType.FOREIGN_PERMANENT_OLD,
        CardType.FOREIGN_PERMANENT,
    }
    assert any(s.valid_to is None for s in SAMPLES.values())
    for name, sample in SAMPLES.items():
        if len(sample.id_number) == 18 and name != "bad-check":
            assert id_check_digit(sample.id_number[:17]) == sample.id_number[17], name
    assert filler("x", 1024) == filler("x", 1024) != filler("y", 1024)


# -- numbers that break the rules are flagged, not accepted -------------------------------------------------


def test_bad_check_digit_is_flagged():
    identity = parse_text_block(SimCard.from_identity(SAMPLES["bad-check"]).text, today=TODAY)
    assert not identity.valid and identity.problem == "校验码不符"


def test_bad_birth_date_in_the_number_is_flagged():
    first17 = "44180319481332062"  # 13th month
    fields = {**RESIDENT, 122: first17 + id_check_digit(first17)}
    assert parse_text_block(block(fields), today=TODAY).problem == "出生日期无效"


def test_birth_date_that_disagrees_with_the_number_is_flagged():
    fields = {**RESIDENT, 36: "19480316"}
    assert parse_text_block(block(fields), today=TODAY).problem == "出生日期与号码不符"


def test_short_number_on_a_resident_card_is_flagged():
    fields = {**RESIDENT, 122: "44180319480315"}
    assert parse_text_block(block(fields), today=TODAY).problem == "号码长度不是18位"


# -- malformed blocks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 254, 255, 257, 512])
def test_wrong_size_is_bad_text(size):
    with pytest.raises(IdCardError) as info:
        parse_text_block(b" \x00" * (size // 2) + b" " * (size % 2))
    assert info.value.code == "bad_text"


def test_undecodable_utf16_is_bad_text():
    raw = bytearray(block(RESIDENT))
    raw[0:2] = b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(IdCardError) as info:
        parse_text_block(bytes(raw))
    assert info.value.code == "bad_text"


@pytest.mark.parametrize(
    ("offset", "value"),
    [
        (36, "19481315"),
        (36, "1948031A"),
        (188, "2012060"),
        (204, "长久"),
        (36, "00000000"),
        (188, "２０１２０６０８"),
    ],
)
def test_bad_dates_are_bad_text(offset, value):
    with pytest.raises(IdCardError) as info:
        parse_text_block(block({**RESIDENT, offset: value.ljust(8)}))
    assert info.value.code == "bad_text"
    assert "陈秀英" not in str(info.value) and "4418" not in str(info.value)


def test_unknown_card_type_flag():
    with pytest.raises(IdCardError) as info:
        parse_text_block(block(RESIDENT, "Q"))
    assert info.value.code == "unknown_card"


def test_build_refuses_what_a_card_cannot_hold():
    with pytest.raises(ValueError, match="name"):
        build_text_block(Identity(CardType.RESIDENT, "名" * 16, "441803194803150621"))
    with pytest.raises(ValueError, match="name"):
        build_text_block(Identity(CardType.RESIDENT, "𠀀", "441803194803150621"))  # outside UCS-2
    with pytest.raises(ValueError):
        build_text_block(Identity(CardType.SOCIAL_SECURITY, "陈秀英", "441803194803150621"))


# -- tables ---------------------------------------------------------------------------------------------------


def test_tables():
    assert len(NATIONS) == 58
    assert [f"{n:02d}" for n in range(1, 57)] + ["97", "98"] == list(NATIONS)
    assert nation_name("01") == "汉" and nation_name("56") == "基诺" and nation_name("98") == "外国血统"
    assert nation_name("77") == "77"
    assert SEXES == {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
    assert sex_name("1") == "男" and sex_name("5") == "5"
    assert len(COUNTRIES) >= 60 and all(len(code) == 3 and code.isupper() for code in COUNTRIES)
    assert country_name("usa") == "美国" and country_name("XYZ") == "XYZ"


# -- card files -----------------------------------------------------------------------------------------------


def test_card_file_round_trip(tmp_path):
    for name, sample in SAMPLES.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(card_document(sample), ensure_ascii=False), encoding="utf-8")
        assert load_card_file(path) == sample
        assert load_card(str(path)) == sample
    assert load_card("hmt") is SAMPLES["hmt"]


def test_card_file_with_names_instead_of_codes_and_a_sample_base(tmp_path):
    document = {
        "format": CARD_FILE_FORMAT,
        "card_type": "resident",
        "name": "林阿妹",
        "id_number": "440882195506070023",
        "sex": "女",
        "nation": "壮",
        "birth_date": "1955-06-07",
        "valid_to": "长期",
    }
    identity = card_from_document(document)
    assert (identity.sex_code, identity.nation_code) == ("2", "08")
    assert len(identity.photo) == 1024
    based = card_from_document({"format": CARD_FILE_FORMAT, "sample": "young", "name": "黄嘉乐"})
    assert based.name == "黄嘉乐" and based.id_number == SAMPLES["young"].id_number


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "JSON"),
        ("[]", "object"),
        (json.dumps({"format": "other"}), "format"),
        (json.dumps({"format": CARD_FILE_FORMAT, "card_type": "resident"}), "required"),
        (json.dumps({"format": CARD_FILE_FORMAT, "sample": "elder", "colour": "red"}), "unknown keys"),
        (json.dumps({"format": CARD_FILE_FORMAT, "sample": "nobody"}), "sample"),
        (json.dumps({"format": CARD_FILE_FORMAT, "sample": ["elder"]}), "sample"),
        (
            json.dumps({"format": CARD_FILE_FORMAT, "sample": "elder", "birth_date": "1948-02-30"}),
            "birth_date",
        ),
        (json.dumps({"format": CARD_FILE_FORMAT, "sample": "elder", "card_type": "passport"}), "card_type"),
        (json.dumps({"format": CARD_FILE_FORMAT, "sample": "elder", "sex_code": "7"}), "sex_code"),
        (json.dumps({"format": CARD_FILE_FORMAT, "sample": "elder", "name": 5}), "name"),
        (json.dumps({"format": CARD_FILE_FORMAT, "sample": "elder", "name": "很长的名字" * 4}), "name"),
        (json.dumps({"format": CARD_FILE_FORMAT, "sample": "elder", "photo_hex": "zz"}), "photo_hex"),
    ],
)
def test_bad_card_files_give_a_clear_error(tmp_path, content, words):
    path = tmp_path / "card.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IdCardError) as info:
        load_card_file(path)
    assert info.value.code == "card_file"
    assert words in str(info.value) and str(path) in str(info.value)
    assert "很长的名字" not in str(info.value)


def test_missing_card_file(tmp_path):
    with pytest.raises(IdCardError) as info:
        load_card(str(tmp_path / "absent.json"))
    assert info.value.code == "card_file"


# -- fuzzing --------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(min_size=0, max_size=300))
def test_fuzz_any_bytes_give_an_identity_or_our_error(data):
    with contextlib.suppress(IdCardError):
        parse_text_block(data)


@FUZZ
@given(st.binary(min_size=256, max_size=256), st.sampled_from([" ", "J", "I", "Y", "\x00"]))
def test_fuzz_any_256_byte_block_with_a_known_flag(data, flag):
    raw = bytearray(data)
    raw[248:250] = flag.encode("utf-16-le")
    try:
        identity = parse_text_block(bytes(raw))
    except IdCardError as exc:
        assert exc.code in ("bad_text", "unknown_card")
    else:
        assert isinstance(identity, Identity)


BMP_TEXT = st.characters(min_codepoint=0x21, max_codepoint=0xFFFF, blacklist_categories=("Cs", "Zs", "Cc"))


@FUZZ
@given(
    name=st.text(BMP_TEXT, min_size=1, max_size=15),
    address=st.text(BMP_TEXT, max_size=35),
    number=st.text(st.sampled_from("0123456789X"), min_size=18, max_size=18),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
    valid_to=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    nation=st.sampled_from(sorted(NATIONS)),
)
def test_fuzz_resident_fields_round_trip(name, address, number, born, valid_to, nation):
    identity = Identity(
        CardType.RESIDENT,
        name=name,
        id_number=number,
        sex_code="1",
        sex="男",
        nation_code=nation,
        nation=NATIONS[nation],
        birth_date=born,
        address=address,
        valid_to=valid_to,
    )
    parsed = parse_text_block(build_text_block(identity), today=TODAY)
    assert (parsed.name, parsed.id_number, parsed.address) == (name, number, address)
    assert (parsed.birth_date, parsed.valid_to, parsed.nation) == (born, valid_to, NATIONS[nation])
