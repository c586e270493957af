"""Receipt numbers: 17 digits a citizen keys on the digit pad, a Damm check digit that catches the usual slips, a
message that says which part is wrong, and the numbers issued before still found."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain import receipt as receipt_module
from kiosk.domain.receipt import (
    MAX_SEQUENCE,
    RECEIPT_DIGITS,
    Receipt,
    ReceiptError,
    check_receipt,
    group_receipt,
    legacy_check_character,
    make_receipt,
    parse_receipt,
    receipt_digits,
)
from kiosk.protocol import receipts as protocol_receipts
from kiosk.protocol.receipts import receipt_key, terminal_receipt_code

DAY = date(2026, 12, 6)
DIGITS = re.compile(r"\d{17}")

terminal_ids = st.from_regex(r"[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,2}", fullmatch=True)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(min_value=0, max_value=MAX_SEQUENCE)


def test_a_receipt_number_is_17_digits_terminal_day_sequence_check() -> None:
    text = make_receipt("DEMO-0001", DAY, 1)
    code = terminal_receipt_code("DEMO-0001")
    assert DIGITS.fullmatch(text) and len(text) == RECEIPT_DIGITS
    assert text.startswith(f"{code}2612060001")
    assert parse_receipt(text) == Receipt(code, DAY, 1, text)
    assert make_receipt("K1", date(2099, 12, 31), MAX_SEQUENCE)[6:16] == "9912319999"
    assert make_receipt("K1", date(2000, 1, 1), 0)[6:16] == "0001010000"


def test_the_terminal_code_is_six_digits_from_the_terminal_id_alone() -> None:
    assert receipt_module.TERMINAL_CODE_DIGITS == protocol_receipts.TERMINAL_CODE_DIGITS == 6
    assert re.fullmatch(r"\d{6}", terminal_receipt_code("T-7f3a9c21"))
    assert terminal_receipt_code("T-7f3a9c21") == terminal_receipt_code("T-7f3a9c21")
    assert terminal_receipt_code("T-7f3a9c21") != terminal_receipt_code("T-7f3a9c22")


def test_it_is_shown_and_printed_in_three_groups_for_reading_aloud() -> None:
    text = make_receipt("DEMO-0001", DAY, 1)
    assert group_receipt(text) == f"{text[:6]} 261206 0001{text[-1]}"
    assert parse_receipt(text).grouped == group_receipt(text)
    assert group_receipt("T-7F3A9C21-261122-000042-Y") == "T-7F3A9C21-261122-000042-Y"
    assert [group_receipt(text[:n]) for n in (0, 3, 6, 7, 12, 13)] == [
        "",
        text[:3],
        text[:6],
        f"{text[:6]} 2",
        f"{text[:6]} 261206",
        f"{text[:6]} 261206 0",
    ]  # as it is typed


@pytest.mark.parametrize(
    "typed",
    [
        "{t}",
        "{g}",
        "{t6}-{t7}-{t13}",
        "  {g}\n",
        "{fw}",  # full-width digits, as some input methods give them
        "{t6}－{t7}－{t13}",
    ],
)
def test_typed_with_or_without_separators_it_is_the_same_number(typed: str) -> None:
    text = make_receipt("T-7f3a9c21", DAY, 42)
    fw = "".join(chr(ord(c) + 0xFEE0) for c in text)
    given_text = typed.format(t=text, g=group_receipt(text), t6=text[:6], t7=text[6:12], t13=text[12:], fw=fw)
    assert parse_receipt(given_text).text == text
    assert receipt_key(given_text) == text
    assert receipt_digits(given_text) == text


def _single_errors(text: str) -> list[str]:
    return [text[:i] + d + text[i + 1 :] for i, ch in enumerate(text) for d in "0123456789" if d != ch]


def _swaps(text: str) -> list[str]:
    return [
        text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        for i in range(len(text) - 1)
        if text[i] != text[i + 1]
    ]


@pytest.mark.parametrize("terminal_id", ["T-7f3a9c21", "DEMO-0001", "KIOSK-QY-0042"])
@pytest.mark.parametrize("sequence", [0, 1, 42, 9999])
def test_every_mistyped_digit_and_every_swap_of_neighbours_is_caught(terminal_id: str, sequence: int) -> None:
    text = make_receipt(terminal_id, DAY, sequence)
    for wrong in _single_errors(text) + _swaps(text):
        assert not check_receipt(wrong), wrong


@settings(max_examples=150, deadline=None)
@given(terminal_ids, days, sequences)
def test_round_trip_and_slips_caught_for_any_receipt(terminal_id: str, day: date, sequence: int) -> None:
    text = make_receipt(terminal_id, day, sequence)
    assert parse_receipt(text) == Receipt(terminal_receipt_code(terminal_id), day, sequence, text)
    for wrong in _swaps(text) + _single_errors(text)[::7]:
        assert not check_receipt(wrong), wrong


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("", "empty", "请输入回执上的回执编号"),
        ("   ", "empty", "请输入回执上的回执编号"),
        ("4829152612060001", "length", "回执编号共17位数字，现在是16位，请对照回执核对"),
        ("482915 261206 000171", "length", "回执编号共17位数字，现在是18位，请对照回执核对"),
        (
            "482915261306 00017",
            "date",
            "回执编号中间6位是办理日期（年年月月日日），这几位不对，请核对",
        ),  # month 13
        (
            "48291526023000017",
            "date",
            "回执编号中间6位是办理日期（年年月月日日），这几位不对，请核对",
        ),  # 30 Feb
        ("回执编号", "format", "回执编号只有数字，请对照回执核对后重新输入"),
        ("48291526120600O17", "format", "回执编号只有数字，请对照回执核对后重新输入"),
    ],
)
def test_what_is_wrong_is_said_by_part(typed: str, code: str, message: str) -> None:
    with pytest.raises(ReceiptError) as caught:
        parse_receipt(typed)
    assert caught.value.code == code
    assert caught.value.message == message
    assert not check_receipt(typed)


def test_a_slip_that_leaves_a_valid_day_is_a_check_digit_error() -> None:
    text = make_receipt("DEMO-0001", DAY, 1)
    wrong = (
        text[:14] + text[15] + text[14] + text[16:] if text[14] != text[15] else text[:-2] + "9" + text[-1]
    )
    with pytest.raises(ReceiptError) as caught:
        parse_receipt(wrong)
    assert caught.value.code == "checksum"
    assert "逐位核对" in caught.value.message


def test_a_day_after_today_is_wrong_when_today_is_known() -> None:
    text = make_receipt("DEMO-0001", date(2026, 12, 7), 1)
    assert parse_receipt(text, today=date(2026, 12, 7)).day == date(2026, 12, 7)
    with pytest.raises(ReceiptError) as caught:
        parse_receipt(text, today=DAY)
    assert caught.value.code == "date"


@pytest.mark.parametrize(
    ("terminal_id", "day", "sequence"),
    [
        ("", DAY, 1),
        ("T-1", date(1999, 12, 31), 1),
        ("T-1", date(2100, 1, 1), 1),
        ("T-1", DAY, -1),
        ("T-1", DAY, MAX_SEQUENCE + 1),
        ("T-1", DAY, True),
    ],
)
def test_make_receipt_refuses_what_cannot_be_numbered(terminal_id: str, day: date, sequence: int) -> None:
    with pytest.raises(ValueError):
        make_receipt(terminal_id, day, sequence)


# --- numbers issued before: terminal id, day, six-digit sequence, MOD 37-2 check character ------------------

LEGACY = "T-demo0001-261103-000007-4"


def test_numbers_issued_before_are_still_found_in_either_case() -> None:
    assert legacy_check_character("G123498654321") == "H"  # the standard's example for MOD 37-2
    assert legacy_check_character("g123498654321") == "H"
    parsed = parse_receipt(LEGACY)
    assert parsed == Receipt("T-DEMO0001", date(2026, 11, 3), 7, "T-DEMO0001-261103-000007-4")
    assert parse_receipt(LEGACY.lower()).text == parsed.text == receipt_key(LEGACY)
    assert parse_receipt(f"  {LEGACY.upper()} ").text == parsed.text


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("T-demo0001-261103-000007-5", "checksum"),
        ("T-demo0001-261303-000007-4", "date"),
        ("T--1-261122-000042-Y", "format"),
        ("T_1-261122-000042-Y", "format"),
    ],
)
def test_numbers_issued_before_are_checked_as_before(typed: str, code: str) -> None:
    with pytest.raises(ReceiptError) as caught:
        parse_receipt(typed)
    assert caught.value.code == code


# --- no collisions ----------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(days, sequences), min_size=2, max_size=40, unique=True))
def test_one_terminal_never_gives_a_number_twice(numbered: list[tuple[date, int]]) -> None:
    receipts = [make_receipt("T-7f3a9c21", day, seq) for day, seq in numbered]
    assert len(set(receipts)) == len(receipts)


@settings(max_examples=100, deadline=None)
@given(terminal_ids, terminal_ids, days, sequences)
def test_terminals_with_different_codes_never_collide(a: str, b: str, day: date, sequence: int) -> None:
    if terminal_receipt_code(a) == terminal_receipt_code(b):
        return  # the center never issues two of its terminals the same code (tests/test_center_api.py)
    assert make_receipt(a, day, sequence) != make_receipt(b, day, sequence)
