"""Service ratings (好差评): the rules of a rating, the codes that name what is rated, one rating per subject on
the terminal (remembered without personal data) and at the center across terminals (409 already_rated)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from drivers.idcard.cards import SAMPLES
from kiosk.center.records import check_record
from kiosk.center.store import Store
from kiosk.domain import rating as domain
from kiosk.domain.rating import (
    ALREADY_RATED,
    Level,
    Rating,
    RatingIncompleteError,
    RatingSubject,
    RatingTargetError,
    SubjectKind,
    parse_rating_target,
)
from kiosk.domain.receipt import group_receipt, make_receipt
from kiosk.protocol import OutboxRecord
from kiosk.protocol import models as protocol
from kiosk.services.rating.service import RatingService
from kiosk.services.sync.outbox import OutboxService
from kiosk.store import outbox as outbox_store
from tests import center_support
from tests.test_sync_engine import Rig

center_server = center_support.center_server

CST = timezone(timedelta(hours=8))
RATED_AT = datetime(2026, 11, 22, 9, 30, tzinfo=CST)
RECEIPT = make_receipt("T-7f3a9c21", RATED_AT.date(), 42)
CASE = RatingSubject.case(RECEIPT)
ELDER = SAMPLES["elder"]


def rating(level: int = 5, **kw) -> Rating:
    return Rating(subject=kw.pop("subject", CASE), level=level, rated_at=RATED_AT, **kw)


def fields(r: Rating) -> list[str]:
    return [p.field for p in r.problems()]


# -- the rules -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [5, 4, 3])
def test_a_good_or_middling_level_needs_nothing_more(level: int) -> None:
    r = rating(level)
    assert r.problems() == [] and not r.bad
    body = r.to_record_body()
    assert body["level"] == level and body["reasons"] == [] and body["indicators"] == {"overall": level}
    assert Level(level).label == ["非常满意", "满意", "基本满意"][5 - level]


@pytest.mark.parametrize("level", [2, 1])
def test_a_bad_level_needs_a_reason(level: int) -> None:
    r = rating(level)
    assert r.bad and Level(level).label == {2: "不满意", 1: "非常不满意"}[level]
    assert [(p.field, p.message) for p in r.problems()] == [("reasons", "请至少选择一项不满意的原因")]
    with pytest.raises(RatingIncompleteError) as caught:
        r.to_record_body()
    assert caught.value.problems == r.problems()
    fixed = rating(level, reasons=("系统故障", "等待时间长"))
    assert fixed.problems() == []
    assert fixed.to_record_body()["reasons"] == ["等待时间长", "系统故障"]  # in the listed order


@pytest.mark.parametrize("level", [0, 6, True, None, "5", 4.0])
def test_a_level_outside_one_to_five_is_asked_again(level) -> None:
    assert [(p.field, p.message) for p in rating(level).problems()] == [("level", "请选择满意程度")]


def test_reasons_come_from_the_list_once_each_and_only_with_a_bad_rating() -> None:
    assert fields(rating(2, reasons=("太慢了",))) == ["reasons"]
    assert rating(2, reasons=("多次跑动", "多次跑动")).problems()[0].message == "同一个原因只能选择一次"
    assert fields(rating(4, reasons=("等待时间长",))) == ["reasons"]
    assert len(domain.REASONS) == 7 and domain.REASONS[-1] == "其他"


def test_other_needs_its_text_and_free_text_stays_within_200_characters() -> None:
    assert [(p.field, p.message) for p in rating(1, reasons=("其他",)).problems()] == [
        ("comment", "选择了“其他”，请写下具体原因")
    ]
    assert fields(rating(1, reasons=("其他",), comment="   \n ")) == ["comment"]
    ok = rating(1, reasons=("其他",), comment="  窗口\n提前下班 ")
    assert ok.problems() == [] and ok.to_record_body()["comment"] == "窗口 提前下班"
    assert rating(5, comment="好" * 200).problems() == []
    long = rating(5, comment="好" * 201)
    assert [(p.field, p.message) for p in long.problems()] == [
        ("comment", "意见最多填写200个字，现在有201个字")
    ]


def test_indicators_are_scored_one_to_five_and_overall_is_the_level() -> None:
    r = rating(3, efficiency=2, service_level=4, attitude=5)
    assert r.to_record_body()["indicators"] == {
        "overall": 3,
        "efficiency": 2,
        "service_level": 4,
        "attitude": 5,
    }
    assert [dict(domain.INDICATORS)[k] for k in r.indicators()] == [
        "总体满意度",
        "办事效率",
        "服务水平",
        "服务态度",
    ]
    bad = rating(3, efficiency=0, service_level=6, attitude=True)
    assert [(p.field, p.message) for p in bad.problems()] == [
        ("efficiency", "请为“办事效率”选择1到5分"),
        ("service_level", "请为“服务水平”选择1到5分"),
        ("attitude", "请为“服务态度”选择1到5分"),
    ]


def test_the_record_body_names_the_subject_channel_and_rater_and_the_center_accepts_it() -> None:
    r = rating(2, reasons=("等待时间长", "其他"), comment="叫号屏不显示", attitude=3)
    body = r.to_record_body(ELDER)
    assert body == {
        "format": "kiosk-rating/1",
        "subject": {"kind": "case", "id": RECEIPT},
        "level": 2,
        "reasons": ["等待时间长", "其他"],
        "comment": "叫号屏不显示",
        "indicators": {"overall": 2, "attitude": 3},
        "channel": "self_service_terminal",
        "rated_at": "2026-11-22T09:30:00+08:00",
        "rater": {"name": ELDER.name, "id_number": ELDER.id_number, "card_type": "resident"},
    }
    assert r.to_record_body()["rater"] is None
    record, problem = check_record(
        {
            "idempotency_key": "T-1:0001",
            "kind": "rating",
            "created_at": "2026-11-22T09:30:00+08:00",
            "body": body,
        }
    )
    assert record is not None and problem == ""
    assert protocol.RatingRecordBody.model_validate(body).level == 2
    # The terminal's lists and the protocol's are the same lists.
    assert domain.REASONS == protocol.RATING_REASONS and domain.LEVEL_LABELS == protocol.RATING_LEVELS
    assert (domain.CHANNEL, domain.RATING_FORMAT, domain.COMMENT_MAX) == (
        protocol.RATING_CHANNEL,
        protocol.RATING_FORMAT,
        protocol.RATING_COMMENT_MAX,
    )
    assert "叫号屏" not in repr(r)  # free text stays out of logs
    with pytest.raises(ValueError, match="offset"):
        Rating(CASE, 5, datetime(2026, 11, 22, 9, 30))


def _center_problem(body: dict) -> str:
    record, problem = check_record(
        {
            "idempotency_key": "T-1:0001",
            "kind": "rating",
            "created_at": "2026-11-22T09:30:00+08:00",
            "body": body,
        }
    )
    assert record is None
    return problem


def test_the_center_checks_level_reasons_indicators_and_channel() -> None:
    good = rating(2, reasons=("系统故障",)).to_record_body()
    assert _center_problem({**good, "level": 6}).startswith("body.level:")
    assert _center_problem({**good, "reasons": []}).startswith("body.reasons: a bad rating")
    assert _center_problem({**good, "level": 4, "indicators": {"overall": 4}}).startswith(
        "body.reasons: only a bad rating"
    )
    assert (
        _center_problem({**good, "reasons": ["其他"]})
        == "body.comment: required when the reasons include 其他"
    )
    assert (
        _center_problem({**good, "reasons": ["系统故障", "系统故障"]})
        == "body.reasons: a reason appears twice"
    )
    assert _center_problem({**good, "reasons": ["太慢"]}).startswith("body.reasons.0:")
    assert (
        _center_problem({**good, "indicators": {"overall": 3}}) == "body.indicators.overall: must equal level"
    )
    assert _center_problem({**good, "indicators": {"overall": 2, "attitude": 0}}).startswith(
        "body.indicators.attitude:"
    )
    assert _center_problem({**good, "channel": "pc"}).startswith("body.channel:")
    assert _center_problem({**good, "comment": "好" * 201}).startswith("body.comment:")
    assert _center_problem({**good, "subject": {"kind": "item", "id": "x"}}).startswith("body.subject.kind:")
    assert _center_problem({**good, "mood": "ok"}) == "body.mood: Extra inputs are not permitted"
    # The earlier counter-score shape is still taken (it names no subject).
    assert check_record(
        {
            "idempotency_key": "T-1:0002",
            "kind": "rating",
            "created_at": "2026-11-22T09:30:00+08:00",
            "body": {"score": 4},
        }
    )[0]


# -- what is rated: scanned codes ------------------------------------------------------------------------------


def test_the_printed_forms_rating_code_names_its_case() -> None:
    from kiosk.render.form_print import rating_payload

    assert parse_rating_target(rating_payload(RECEIPT)) == RatingSubject(SubjectKind.CASE, RECEIPT)
    assert parse_rating_target(f"  KIOSK-RATE {RECEIPT[:-1]}{RECEIPT[-1].lower()}\r\n").id == RECEIPT
    site = rating_payload(RECEIPT, "https://pj.example.gov.cn/rate?channel=kiosk&receipt={receipt}")
    assert parse_rating_target(site) == CASE
    assert CASE.label == f"回执编号 {group_receipt(RECEIPT)}"


def test_a_queue_tickets_code_names_a_visit_unique_across_terminals() -> None:
    from kiosk.cli.print_cmd import sample_ticket

    ticket = sample_ticket("T-7f3a9c21", datetime(2026, 11, 22, 9, 5, 30))
    subject = parse_rating_target(ticket.qr)
    assert subject == RatingSubject(SubjectKind.VISIT, "T-7f3a9c21:20261122090530:A012")
    assert subject.label == "取号 A012"
    other = parse_rating_target("KIOSK-TICKET A012 T-0a1b2c3d 20261122090530")
    assert other != subject  # the same ticket number from another terminal is another visit
    session = RatingSubject.session("T-7f3a9c21", "01JDX9ABC")
    assert session == RatingSubject("visit", "T-7f3a9c21:S:01JDX9ABC") and session.label == "本次服务"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("KIOSK-RATE T-7f3a9c21-261122-000042-Z", "receipt"),  # wrong check character
        ("KIOSK-RATE", "receipt"),
        ("KIOSK-RATE 441803194803150621", "receipt"),
        ("KIOSK-TICKET A012", "ticket"),
        ("KIOSK-TICKET A012 T-7f3a9c21 20261399090000", "ticket"),  # no 13th month
        ("KIOSK-TICKET A0-12 T-7f3a9c21 20261122090000", "ticket"),
        ("KIOSK-TICKET A012 T-7f3a9c21 20261122090000 extra", "ticket"),
        ("https://www.gdzwfw.gov.cn/", "not_rating"),
        ("441803194803150621", "not_rating"),
        ("", "not_rating"),
        ("\x00\x01", "not_rating"),
    ],
)
def test_a_malformed_code_gets_a_clear_message(payload: str, code: str) -> None:
    with pytest.raises(RatingTargetError) as caught:
        parse_rating_target(payload)
    assert caught.value.code == code
    assert "请" in caught.value.message
    if payload.strip():
        assert payload.split()[-1] not in caught.value.message  # the payload itself is never echoed


# -- on the terminal -------------------------------------------------------------------------------------------


@pytest.fixture
def service(terminal):
    outbox = OutboxService.for_settings(terminal.database, terminal.settings)
    return RatingService(terminal.database, terminal.background, outbox)


def test_a_rating_is_queued_sealed_and_a_second_one_of_the_same_subject_is_refused(terminal, service) -> None:
    first = service.submit(rating(2, reasons=("其他",), comment="材料要求前后不一致"), ELDER).result(10)
    assert first.accepted and first.status == "accepted" and first.message.startswith("感谢您的评价")
    assert service.already_rated(CASE)

    again = service.submit(rating(5), ELDER).result(10)
    assert (again.status, again.message) == ("duplicate", ALREADY_RATED)
    assert again.message == "您已经评价过这件事，感谢您的反馈；如需补充意见，请到服务窗口"
    other_case = RatingSubject.case(make_receipt("T-7f3a9c21", RATED_AT.date(), 43))
    assert service.submit(rating(4, subject=other_case), None).result(10).accepted
    typed = RatingSubject.case(RECEIPT.lower())  # the same number typed in other letters: the same case
    assert service.already_rated(typed)
    assert service.submit(rating(5, subject=typed), None).result(10).status == "duplicate"

    conn = terminal.database.connection()
    rows = outbox_store.pending(conn)
    assert [r.kind for r in rows] == ["rating", "rating"] and all(r.sealed for r in rows)
    opened = service.outbox.open(rows[0])
    assert opened.idempotency_key == first.idempotency_key
    assert opened.body["rater"]["id_number"] == ELDER.id_number and opened.body["subject"]["id"] == RECEIPT

    # The local table: the subject and the time, nothing about the rater.
    columns = [c[1] for c in conn.execute("PRAGMA table_info(rated_subjects)")]
    assert columns == ["kind", "subject_id", "rated_at"]
    stored = conn.execute("SELECT kind, subject_id FROM rated_subjects ORDER BY subject_id").fetchall()
    assert stored == [("case", RECEIPT.upper()), ("case", other_case.id.upper())]  # a case, however typed
    # Nowhere in the database files does the rater's name, number or comment appear in clear.
    terminal.database.close()
    raw = b"".join(
        p.read_bytes()
        for p in terminal.settings.database_path.parent.glob(terminal.settings.database_path.name + "*")
    )
    for secret in (ELDER.id_number, ELDER.name, "材料要求前后不一致"):
        assert secret.encode("utf-8") not in raw


def test_an_incomplete_rating_is_not_written(terminal, service) -> None:
    outcome = service.submit(rating(1), ELDER).result(10)
    assert outcome.status == "incomplete" and outcome.message == "请至少选择一项不满意的原因"
    assert [p.field for p in outcome.problems] == ["reasons"]
    conn = terminal.database.connection()
    assert not service.already_rated(CASE)
    assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


def test_the_subject_and_the_record_are_written_together_or_not_at_all(terminal, service) -> None:
    # The outbox insert fails inside the database (as a full disk would): the subject must not stay marked. A
    # temporary trigger lives on one connection only: the writer's.
    def on_writer() -> None:
        writer = terminal.database.connection()
        writer.execute(
            "CREATE TEMP TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        writer.commit()

    terminal.background.write(on_writer).result(10)
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        service.submit(rating(5), ELDER).result(10)
    assert not service.already_rated(CASE)  # rolled back with the record
    assert terminal.database.connection().execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


# -- at the center ---------------------------------------------------------------------------------------------


def _record(key: str, body: dict) -> OutboxRecord:
    return OutboxRecord(idempotency_key=key, kind="rating", created_at=RATED_AT, body=body)


def test_the_center_keeps_one_rating_per_subject_and_answers_a_resend_as_the_first_time(tmp_path) -> None:
    store = Store(tmp_path / "center.db")
    try:
        body = rating(4).to_record_body(ELDER)
        (first,) = store.deliver("T-aaaa0001", [_record("T-aaaa0001:01", body)])
        assert first["status"] == 201
        assert store.deliver("T-aaaa0001", [_record("T-aaaa0001:01", body)]) == [first]  # same key, same body
        changed = store.deliver("T-aaaa0001", [_record("T-aaaa0001:01", rating(3).to_record_body())])
        assert changed[0]["error"] == "conflict"
        again = rating(1, reasons=("系统故障",)).to_record_body()
        for terminal_id, key in (("T-aaaa0001", "T-aaaa0001:02"), ("T-bbbb0002", "T-bbbb0002:01")):
            answer = store.deliver(terminal_id, [_record(key, again)])
            assert answer == [{"idempotency_key": key, "status": 409, "error": "already_rated"}]
        # In one batch: the first of two ratings of a new subject is taken, the second refused.
        visit = rating(5, subject=RatingSubject.session("T-bbbb0002", "s1")).to_record_body()
        answers = store.deliver(
            "T-bbbb0002", [_record("T-bbbb0002:02", visit), _record("T-bbbb0002:03", visit)]
        )
        assert [a["status"] for a in answers] == [201, 409]
        assert len(store.records("rating")) == 2
    finally:
        store.close()


def test_a_rating_travels_through_the_outbox_and_a_second_terminal_is_refused_409(
    center_server, tmp_path
) -> None:
    rig = Rig(center_server, tmp_path)
    try:
        terminal_a, engine_a = rig.terminal()
        terminal_b, engine_b = rig.terminal()
        service_a = RatingService(terminal_a.database, terminal_a.background, engine_a.outbox)
        service_b = RatingService(terminal_b.database, terminal_b.background, engine_b.outbox)
        body = rating(2, reasons=("多次跑动",), efficiency=2)
        assert service_a.submit(body, ELDER).result(10).accepted
        report = engine_a.run_once()
        assert report.ok and report.acknowledged == 1, report.reason
        (stored,) = center_server.records("rating")
        assert stored["body"]["subject"] == {"kind": "case", "id": RECEIPT}
        assert stored["body"]["rater"]["id_number"] == ELDER.id_number  # for the center, over TLS
        assert stored["terminal_id"] == terminal_a.settings.terminal_id

        # Another terminal has no memory of it, so it takes the rating; the center refuses it.
        assert service_b.submit(rating(5), SAMPLES["young"]).result(10).accepted
        report = engine_b.run_once()
        assert report.conflicts == 1 and report.acknowledged == 0
        rejected = engine_b.outbox.rejected()
        assert [r.last_error for r in rejected] == ["409 already_rated"]
        assert engine_b.outbox.stats().backlog == 0  # kept aside, not resent
        assert len(center_server.records("rating")) == 1
    finally:
        rig.close()


def test_the_documented_body_messages_and_errors_are_the_real_ones() -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs"
    protocol_md = (docs / "protocol.md").read_text(encoding="utf-8")
    section = protocol_md.split("## Ratings", 1)[1]
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    assert check_record(
        {
            "idempotency_key": "T-1:0001",
            "kind": "rating",
            "created_at": "2026-11-22T09:30:00+08:00",
            "body": example,
        }
    )[0]
    good = rating(2, reasons=("系统故障",)).to_record_body()
    for body in (
        {**good, "reasons": []},
        {**good, "reasons": ["其他"]},
        {**good, "indicators": {"overall": 3}},
    ):
        assert _center_problem(body) in section
    assert _center_problem({**good, "channel": "pc"}) in section
    rating_md = (docs / "rating.md").read_text(encoding="utf-8")
    for r in (rating(0), rating(1), rating(4, reasons=("系统故障",)), rating(1, reasons=("其他",))):
        assert r.problems()[0].message in rating_md
    assert ALREADY_RATED in rating_md
    for payload in ("x", "KIOSK-RATE x", "KIOSK-TICKET x"):
        with pytest.raises(RatingTargetError) as caught:
            parse_rating_target(payload)
        assert caught.value.message in rating_md
