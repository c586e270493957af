"""Anonymous usage on the terminal: events and time counted per period in the terminal's own database, each closed
period one outbox record keyed by the terminal and the period, nothing lost across a restart, and nothing in any
record that could identify a citizen (docs/usage.md)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from kiosk.ops.service_state import back_in_service, take_out_of_service
from kiosk.protocol.usage import (
    METRICS,
    OpeningHours,
    OpeningHoursError,
    UsageRecordBody,
    scrub_search_text,
)
from kiosk.services.terminal import Terminal
from kiosk.services.usage import events
from kiosk.services.usage.counter import GAP_S, UsageCounter
from kiosk.store import outbox as outbox_store

# A Monday, 09:00 local time: within the default opening hours (08:30-17:30).
MONDAY_9 = datetime(2026, 12, 7, 9, 0).astimezone().timestamp()


class Clock:
    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def counter_for(terminal: Terminal, clock: Clock, hours: str = "08:30-17:30") -> UsageCounter:
    return UsageCounter(lambda: terminal, terminal.background, role="kiosk", opening_hours=hours, clock=clock)


def usage_records(terminal: Terminal) -> list[tuple[str, dict]]:
    conn = terminal.database.connection()
    rows = outbox_store.pending(conn, limit=1000)
    return [(row.idempotency_key, json.loads(row.body)) for row in rows if row.kind == "usage"]


def counts_of(body: dict) -> dict[tuple[str, str], float]:
    return {(c["metric"], c["key"]): c["value"] for c in body["counts"]}


def tick(counter: UsageCounter, clock: Clock, *, online: bool = True) -> int:
    return counter.tick(online).result()


def test_events_and_time_of_an_hour_go_out_as_one_record_keyed_by_terminal_and_period(terminal):
    clock = Clock(MONDAY_9)
    counter = counter_for(terminal, clock)
    tick(counter, clock)  # the clock starts
    counter.session_started()
    counter.record("guide_viewed", "440100-SB-0001")
    counter.record("guide_viewed", "440100-SB-0001")
    counter.record("guide_printed", "440100-SB-0001")
    counter.record("form_submitted", "YB-CJ-01")
    counter.record("rating", "5").result()
    for _ in range(10):  # ten minutes, online and in service
        clock.at += 60
        tick(counter, clock)
    assert usage_records(terminal) == []  # the hour is still open
    clock.at = MONDAY_9 + 3600 + 30  # the next hour: the first tick closes 09:00-10:00
    assert tick(counter, clock, online=False) == 1
    [(key, body)] = usage_records(terminal)
    period = int(MONDAY_9)
    assert key == f"QY-QC-0001:usage:{period}"
    UsageRecordBody.model_validate(body)  # what the center will check
    assert body["period_start"].startswith("2026-12-07T09:00:00")
    assert body["opening_hours"] == "08:30-17:30" and body["role"] == "kiosk"
    counts = counts_of(body)
    assert counts[("session", "")] == 1
    assert counts[("guide_viewed", "440100-SB-0001")] == 2
    assert counts[("guide_printed", "440100-SB-0001")] == 1
    assert counts[("form_submitted", "YB-CJ-01")] == 1
    assert counts[("rating", "5")] == 1
    # Ten ticks a minute apart; the 50 minutes without a tick after them are a stop, credited to nothing.
    assert counts[("running_s", "")] == pytest.approx(600)
    assert counts[("online_s", "")] == pytest.approx(600)
    assert counts[("in_service_s", "")] == pytest.approx(600)
    assert counts[("available_s", "")] == pytest.approx(600)
    # A period closes once: closing again writes nothing, and the outbox's unique key would refuse it anyway.
    assert counter.close_now(clock.at + 10) == 0


def test_a_restart_in_the_middle_loses_nothing_and_the_time_stopped_is_not_running(settings):
    clock = Clock(MONDAY_9)
    with Terminal.open(settings) as terminal:
        counter = counter_for(terminal, clock)
        tick(counter, clock)
        counter.record("ticket_taken", "ZH")
        clock.at += 60
        tick(counter, clock)
    clock.at += 20 * 60  # stopped for twenty minutes
    with Terminal.open(settings) as terminal:
        counter = counter_for(terminal, clock)
        tick(counter, clock)  # the first tick after the restart credits nothing for the gap
        counter.record("ticket_taken", "ZH")
        clock.at += 60
        tick(counter, clock)
        clock.at = MONDAY_9 + 3600
        counter.close_now(clock.at)
        [(_key, body)] = usage_records(terminal)
    counts = counts_of(body)
    assert counts[("ticket_taken", "ZH")] == 2
    assert counts[("running_s", "")] == pytest.approx(120)
    assert GAP_S < 20 * 60


def test_offline_and_out_of_service_time_are_counted_apart(terminal):
    clock = Clock(MONDAY_9)
    counter = counter_for(terminal, clock)
    tick(counter, clock)
    for _ in range(3):
        clock.at += 60
        tick(counter, clock, online=False)
    take_out_of_service(terminal.settings.data_dir, "maintenance", "operator", "请到镇便民服务中心办理")
    for _ in range(2):
        clock.at += 60
        tick(counter, clock, online=True)
    back_in_service(terminal.settings.data_dir, "operator")
    clock.at += 60
    tick(counter, clock, online=True)
    counter.close_now(MONDAY_9 + 3600)
    [(_key, body)] = usage_records(terminal)
    counts = counts_of(body)
    assert counts[("running_s", "")] == pytest.approx(360)
    assert counts[("online_s", "")] == pytest.approx(180)
    assert counts[("in_service_s", "")] == pytest.approx(240)
    assert counts[("available_s", "")] == pytest.approx(60)


def test_only_time_within_opening_hours_is_available(terminal):
    start = datetime(2026, 12, 7, 8, 0).astimezone().timestamp()  # 08:00, half an hour before opening
    clock = Clock(start)
    counter = counter_for(terminal, clock, hours="08:30-12:00,14:00-17:30")
    tick(counter, clock)
    while clock.at < start + 3600:
        clock.at += 60
        tick(counter, clock)
    [(_key, body)] = usage_records(terminal)  # 08:00-09:00 closed by the tick at 09:00
    counts = counts_of(body)
    assert counts[("running_s", "")] == pytest.approx(3600)
    assert counts[("available_s", "")] == pytest.approx(1800)
    assert counts[("open_running_s", "")] == pytest.approx(1800)


def test_a_seven_by_twenty_four_hall_is_open_all_day_and_a_closed_sunday_not_at_all():
    hall = OpeningHours.parse("00:00-24:00")
    village = OpeningHours.parse("1-5 08:30-12:00,14:30-17:30; 6 09:00-12:00")
    sunday, saturday, monday = datetime(2026, 12, 6), datetime(2026, 12, 5), datetime(2026, 12, 7)
    assert hall.seconds_on(sunday.date()) == 86400
    assert village.seconds_on(sunday.date()) == 0
    assert village.seconds_on(saturday.date()) == 3 * 3600
    assert village.seconds_on(monday.date()) == 3.5 * 3600 + 3 * 3600
    for bad in ("", "8:30-17:30", "17:30-08:30", "08:30-12:00,11:00-17:30", "0-5 08:30-17:30", "25:00-26:00"):
        with pytest.raises(OpeningHoursError):
            OpeningHours.parse(bad)


def test_an_event_written_after_its_period_closed_counts_in_the_open_one(terminal):
    clock = Clock(MONDAY_9 + 3590)
    counter = counter_for(terminal, clock)
    late = counter.record("screen", "guide")  # stamped 09:59:50 …
    late.result()
    counter.close_now(MONDAY_9 + 3600)  # … closed with 09:00
    clock.at = MONDAY_9 + 3595
    counter.record("screen", "search").result()  # stamped before 10:00 but written after the close
    counter.close_now(MONDAY_9 + 7200)
    bodies = [body for _key, body in usage_records(terminal)]
    assert [counts_of(b) for b in bodies] == [{("screen", "guide"): 1}, {("screen", "search"): 1}]
    assert bodies[1]["period_start"].startswith("2026-12-07T10:00")


# --- privacy ----------------------------------------------------------------------------------------------------

PERSONAL = ("441803194803150621", "13812345678", "陈秀英", "T-demo0001-261118-000003-X")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("社保卡 补办", "社保卡 补办"),
        ("441803194803150621", ""),
        ("44180319480315062X 进度", "进度"),
        ("１３８１２３４５６７８", ""),  # full-width digits
        ("电话13812345678", "电话"),
        ("a@b.cn 医保", "医保"),
        ("T-demo0001-261118-000003-X", ""),
        ("SBK!!", "sbk"),
        ("老年人优待证办理流程和需要的材料清单全部都要", "老年人优待证办理流程和需要的材料清单全部"),
    ],
)
def test_a_search_text_is_scrubbed_of_numbers_and_capped(typed, kept):
    assert scrub_search_text(typed) == kept
    assert not any(ch.isdigit() for ch in scrub_search_text(typed))


def test_no_id_number_phone_or_receipt_reaches_a_usage_record_even_typed_into_search(terminal):
    clock = Clock(MONDAY_9)
    counter = counter_for(terminal, clock)
    counter.session_started()
    for text in ("441803194803150621", "电话13812345678", "T-demo0001-261118-000003-X", "医保 13812345678"):
        counter.search_found_nothing(text)
    counter.search_found_nothing("医保")  # the same text again in the session counts once
    counter.record("screen", "search").result()
    counter.close_now(MONDAY_9 + 3600)
    [(key, body)] = usage_records(terminal)
    text = json.dumps(body, ensure_ascii=False) + key
    for personal in PERSONAL[:2] + PERSONAL[3:]:
        assert personal not in text
    assert counts_of(body)[("search_empty", "医保")] == 1
    assert counts_of(body)[("search_empty", "电话")] == 1
    assert not any(ch.isdigit() for c in body["counts"] if c["metric"] == "search_empty" for ch in c["key"])


def test_the_center_refuses_a_search_text_that_was_not_scrubbed():
    body = {
        "format": "kiosk-usage/1",
        "role": "kiosk",
        "period_start": "2026-12-07T09:00:00+08:00",
        "period_s": 3600,
        "opening_hours": "08:30-17:30",
        "counts": [{"metric": "search_empty", "key": "13812345678", "value": 1}],
    }
    with pytest.raises(ValueError, match="scrubbed"):
        UsageRecordBody.model_validate(body)


def test_the_ui_calls_count_into_the_installed_counter_and_nothing_without_one(terminal):
    clock = Clock(MONDAY_9)
    counter = counter_for(terminal, clock)
    events.guide_viewed("440100-SB-0001")  # nothing installed: nothing counted, nothing raised
    events.install(counter)
    try:
        events.session_started()
        events.screen_opened("guide")
        events.guide_viewed("440100-SB-0001")
        events.guide_printed("440100-SB-0001")
        events.form_submitted("YB-CJ-01")
        events.ticket_taken("ZH")
        events.rated(2)
        events.error_shown("E-SEARCH")
        events.search_found_nothing("低保 13812345678")
    finally:
        events.uninstall(counter)
    terminal.background.write(lambda: None).result()
    counter.close_now(MONDAY_9 + 3600)
    [(_key, body)] = usage_records(terminal)
    assert {m for m, _k in counts_of(body)} <= set(METRICS)
    assert counts_of(body) == {
        ("session", ""): 1,
        ("screen", "guide"): 1,
        ("guide_viewed", "440100-SB-0001"): 1,
        ("guide_printed", "440100-SB-0001"): 1,
        ("form_submitted", "YB-CJ-01"): 1,
        ("ticket_taken", "ZH"): 1,
        ("rating", "2"): 1,
        ("error", "E-SEARCH"): 1,
        ("search_empty", "低保"): 1,
    }
