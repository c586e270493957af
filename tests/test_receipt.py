"""Receipt numbers: their shape, the ISO/IEC 7064 MOD 37-2 check character, and no collisions across terminals."""

from __future__ import annotations

import re
import string
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.receipt import (
    MAX_SEQUENCE,
    Receipt,
    ReceiptError,
    check_character,
    check_receipt,
    make_receipt,
    parse_receipt,
)

DAY = date(2026, 11, 22)
SHAPE = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*-\d{6}-\d{6}-[0-9A-Z*]")
# What a citizen can type on the terminal's keyboard in place of a character (upper case: a letter's case is not
# an error, the check ignores it).
TYPEABLE = string.digits + string.ascii_uppercase + "-"

terminal_ids = st.from_regex(r"[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,2}", fullmatch=True)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(min_value=0, max_value=MAX_SEQUENCE)


def test_shape_and_round_trip() -> None:
    text = make_receipt("T-7f3a9c21", DAY, 42)
    assert text.startswith("T-7f3a9c21-261122-000042-")
    assert SHAPE.fullmatch(text)
    assert check_receipt(text)
    assert parse_receipt(text) == Receipt("T-7f3a9c21", DAY, 42, text)
    assert make_receipt("UNSET-0000", date(2000, 1, 1), 0).startswith("UNSET-0000-000101-000000-")
    assert make_receipt("K1", date(2099, 12, 31), MAX_SEQUENCE).startswith("K1-991231-999999-")


def test_the_check_character_is_iso_7064_mod_37_2() -> None:
    # the standard's examples for MOD 37-2
    assert check_character("G123498654321") == "H"
    assert check_character("G123489654321") == "Y"
    assert check_character("g123498654321") == "H"  # letters count without regard to case
    # '*' is the 37th check value: some receipts end in it, and they check
    star = next(make_receipt("T-1", DAY, n) for n in range(1000) if make_receipt("T-1", DAY, n).endswith("*"))
    assert check_receipt(star)


def test_parsing_is_forgiving_about_spaces_and_case_of_the_check_character() -> None:
    text = make_receipt("T-7f3a9c21", DAY, 7)
    assert parse_receipt(f"  {text}\n").text == text
    if text[-1].isalpha():
        assert parse_receipt(text[:-1] + text[-1].lower()).text == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "format"),
        ("T-7f3a9c21-261122-42-Y", "format"),
        ("T-7f3a9c21-261122-000042", "format"),
        ("T-7f3a9c21 261122 000042 Y", "format"),
        ("-261122-000042-Y", "format"),
        ("T--1-261122-000042-Y", "format"),
        ("T_1-261122-000042-Y", "format"),
        ("T-7f3a9c21-261322-000042-Y", "date"),  # month 13
        ("T-7f3a9c21-260230-000042-Y", "date"),  # 30 February
    ],
)
def test_what_is_not_a_receipt_says_why_in_plain_words(text: str, code: str) -> None:
    with pytest.raises(ReceiptError) as caught:
        parse_receipt(text)
    assert caught.value.code == code
    assert "回执编号" in caught.value.message and "请" in caught.value.message
    assert not check_receipt(text)


def test_a_wrong_check_character_is_a_checksum_error() -> None:
    text = make_receipt("T-7f3a9c21", DAY, 42)
    wrong = text[:-1] + ("0" if text[-1] != "0" else "1")
    with pytest.raises(ReceiptError) as caught:
        parse_receipt(wrong)
    assert caught.value.code == "checksum"
    assert caught.value.message == "回执编号有误，请逐位核对"


@pytest.mark.parametrize(
    ("terminal_id", "day", "sequence"),
    [
        ("", DAY, 1),
        ("T 1", DAY, 1),
        ("T:1", DAY, 1),
        ("-T1", DAY, 1),
        ("T1-", DAY, 1),
        ("终端1", DAY, 1),
        ("T" * 33, DAY, 1),
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


def _single_errors(text: str) -> list[str]:
    """Every receipt number one typed character away from ``text`` (case changes are not errors)."""
    out = []
    for i, ch in enumerate(text):
        for other in TYPEABLE:
            if other != ch.upper():
                out.append(text[:i] + other + text[i + 1 :])
    return out


def _transpositions(text: str) -> list[str]:
    return [
        text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        for i in range(len(text) - 1)
        if text[i].upper() != text[i + 1].upper()
    ]


@pytest.mark.parametrize("terminal_id", ["T-7F3A9C21", "T-00000001", "KIOSK-QY-0042"])
@pytest.mark.parametrize("sequence", [0, 42, 123456, 999999])
def test_every_single_typing_error_and_every_swap_of_neighbours_is_caught(
    terminal_id: str, sequence: int
) -> None:
    text = make_receipt(terminal_id, DAY, sequence)
    for wrong in _single_errors(text):
        assert not check_receipt(wrong), wrong
    for wrong in _transpositions(text):
        assert not check_receipt(wrong), wrong


@settings(max_examples=150, deadline=None)
@given(terminal_ids, days, sequences)
def test_round_trip_and_errors_caught_for_any_receipt(terminal_id: str, day: date, sequence: int) -> None:
    text = make_receipt(terminal_id, day, sequence)
    assert SHAPE.fullmatch(text)
    assert parse_receipt(text) == Receipt(terminal_id, day, sequence, text)
    upper = text.upper()  # one case: a letter typed in the other case is the same receipt
    for wrong in _transpositions(upper):
        assert not check_receipt(wrong), wrong
    for wrong in _single_errors(upper)[:: max(1, len(upper) // 4)]:
        assert not check_receipt(wrong), wrong


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(terminal_ids, days, sequences), min_size=2, max_size=40, unique=True))
def test_different_terminals_days_or_sequences_never_collide(numbered: list[tuple[str, date, int]]) -> None:
    receipts = [make_receipt(*args) for args in numbered]
    assert len(set(receipts)) == len(receipts)


@settings(max_examples=100, deadline=None)
@given(terminal_ids, terminal_ids, days, sequences)
def test_two_terminals_counting_the_same_day_never_collide(a: str, b: str, day: date, sequence: int) -> None:
    if a == b:
        return
    # both terminals offline, both numbering the same day from the same counter value
    assert make_receipt(a, day, sequence) != make_receipt(b, day, sequence)
    window = range(sequence, min(sequence + 3, MAX_SEQUENCE + 1))
    assert {make_receipt(a, day, n) for n in window}.isdisjoint(make_receipt(b, day, n) for n in window)
