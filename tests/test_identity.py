"""The Identity value and the GB 11643 helpers: check digits, number problems, and masking everywhere a value
could leak (repr, str, f-strings, exception messages, log records)."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date

import pytest

from drivers.idcard.reader import CardRead
from kiosk.domain.identity import (
    CardType,
    Identity,
    birth_date_from_id,
    id_check_digit,
    id_number_problem,
    mask_id_number,
    mask_name,
    mask_text,
)

FULL_NAME = "陈秀英"
FULL_NUMBER = "441803194803150621"
TODAY = date(2026, 11, 22)


def make(**changes) -> Identity:
    values = dict(
        card_type=CardType.RESIDENT,
        name=FULL_NAME,
        id_number=FULL_NUMBER,
        sex="女",
        sex_code="2",
        nation="汉",
        nation_code="01",
        birth_date=date(1948, 3, 15),
        address="广东省清远市清新区太平镇禾丰村委会下围村12号",
        authority="清远市公安局清新分局",
        valid_from=date(2012, 6, 8),
    )
    values.update(changes)
    return Identity(**values)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # the example of GB 11643-1999
        ("44052418800101001", "4"),
        ("44180319480315062", "1"),
    ],
)
def test_check_digit(first17, check):
    assert id_check_digit(first17) == check


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("11010519491231002X", ""),
        (FULL_NUMBER, ""),
        ("44180319480315062", "号码长度不是18位"),
        ("4418031948031506A1", "号码含有无效字符"),
        ("44180319481315062" + "1", "出生日期无效"),  # month 13
        ("44180330480315062" + "1", "出生日期无效"),  # born in 3048
        ("441803194803150622", "校验码不符"),
        ("11010519491231002x", "号码含有无效字符"),  # the check character is an upper-case X
    ],
)
def test_number_problems(number, problem):
    assert id_number_problem(number, today=TODAY) == problem


def test_birth_date_from_number():
    assert birth_date_from_id(FULL_NUMBER) == date(1948, 3, 15)
    assert birth_date_from_id("441803194813150621") is None


def test_mask_helpers():
    assert mask_name("陈秀英") == "陈*英"
    assert mask_name("李明") == "李*"
    assert mask_name("欧阳丽娜") == "欧**娜"
    assert mask_name("王") == "*"
    assert mask_name("SMITH, JOHN") == "S***** J***"
    assert mask_name("  ") == ""
    assert mask_id_number(FULL_NUMBER) == "441************621"
    assert mask_id_number("12345") == "*****"
    assert mask_text("广东省清远市清新区太平镇") == "广东省清远市******"
    assert mask_text("广东省") == "广东省"


def test_repr_str_and_format_are_masked():
    identity = make()
    for shown in (
        repr(identity),
        str(identity),
        f"{identity}",
        f"{identity!r}",
        "%s" % (identity,),  # noqa: UP031 - the old formatting is one more way a value could leak
        format(identity),
    ):
        assert FULL_NAME not in shown
        assert FULL_NUMBER not in shown
        assert "陈*英" in shown and "441************621" in shown
    assert FULL_NUMBER not in repr([identity, {"who": identity}])
    assert FULL_NUMBER not in repr(CardRead(identity, b"\x01" * 1024))


def test_exception_messages_and_log_records_are_masked(caplog):
    identity = make()
    log = logging.getLogger("tests.identity")
    with caplog.at_level(logging.DEBUG):
        log.info("read %s", identity)
        log.info("read %r", identity)
        log.info(f"read {identity}")
        log.debug("read %s", CardRead(identity))
        log.warning("fields %s", identity.masked())
        try:
            raise ValueError(f"cannot use {identity}")
        except ValueError:
            log.exception("failed for %r", identity)
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert FULL_NAME not in text
    assert FULL_NUMBER not in text
    assert "陈*英" in text


def test_masked_and_unmasked_fields():
    identity = make(valid_to=None)
    masked = identity.masked()
    assert masked["name"] == "陈*英" and masked["id_number"] == "441************621"
    assert FULL_NUMBER not in str(masked) and FULL_NAME not in str(masked)
    assert masked["valid"] == "yes"
    full = identity.unmasked()
    assert full["name"] == FULL_NAME and full["id_number"] == FULL_NUMBER
    assert full["valid_to"] == "长期"
    assert full["birth_date"] == "1948-03-15"


def test_checked_flags_bad_numbers_and_leaves_foreign_numbers_alone():
    assert make().checked(today=TODAY).valid
    bad = make(id_number="441803194803150622").checked(today=TODAY)
    assert not bad.valid and bad.problem == "校验码不符"
    assert bad.masked()["valid"] == "no: 校验码不符"
    old_foreign = Identity(CardType.FOREIGN_PERMANENT_OLD, "史密斯", "USA440085031211")
    assert old_foreign.checked(today=TODAY).problem == ""
    permit = Identity(CardType.HMT_PERMIT, "张家明", "81000019900517035")
    assert permit.checked(today=TODAY).problem == "号码长度不是18位"


def test_identity_is_immutable_and_photo_does_not_count_for_equality():
    identity = make(photo=b"a" * 1024)
    with pytest.raises(dataclasses.FrozenInstanceError):
        identity.name = "x"  # type: ignore[misc]
    assert identity == make(photo=b"b" * 1024)
    assert CardType.HMT_PERMIT.label == "港澳台居民居住证"
