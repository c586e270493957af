"""The console's usage report page against a real center on 127.0.0.1: a month and a region chosen, the tables,
the CSV download for Excel (audited), English, and a plain sentence for a month that is not one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.protocol import OutboxRecord
from tests.center_support import CenterDb
from tests.console_support import ConsoleCenter, running_console


@pytest.fixture
def console(center_db: CenterDb) -> Iterator[ConsoleCenter]:
    yield from running_console(center_db)


def deliver_usage(center: ConsoleCenter, name: str, region: str, unit: str, sessions: int) -> str:
    store = center.store
    terminal = store.add_terminal(name)
    store.place_terminal(terminal.terminal_id, region=region, unit=unit)
    center.execute(
        "UPDATE terminals SET created_at = ? WHERE id = ?",
        ("2026-10-01T00:00:00+08:00", terminal.terminal_id),
    )
    record = OutboxRecord.model_validate(
        {
            "idempotency_key": f"{terminal.terminal_id}:usage:1",
            "kind": "usage",
            "created_at": "2026-11-02T10:00:01+08:00",
            "body": {
                "format": "kiosk-usage/1",
                "role": "kiosk",
                "period_start": "2026-11-02T09:00:00+08:00",
                "period_s": 3600,
                "opening_hours": "00:00-24:00",
                "counts": [
                    {"metric": "session", "key": "", "value": sessions},
                    {"metric": "guide_viewed", "key": "440100-SB-0001", "value": sessions},
                    {"metric": "rating", "key": "5", "value": 1},
                    {"metric": "search_empty", "key": "低保", "value": 2},
                    {"metric": "available_s", "key": "", "value": 3600.0},
                ],
            },
        }
    )
    assert store.deliver(terminal.terminal_id, [record])[0]["status"] == 201
    return terminal.terminal_id


def test_a_viewer_reads_the_month_by_region_and_downloads_it_for_excel(console: ConsoleCenter) -> None:
    village = deliver_usage(console, "禾丰村", "清远市/清新区", "太平镇便民服务中心", 7)
    deliver_usage(console, "天河大厅", "广州市/天河区", "天河区政务服务中心", 5)
    viewer = console.browser("vera")
    page = viewer.get("/report?month=2026-11")
    assert page.status_code == 200
    assert "使用情况通报" in page.text and "禾丰村" in page.text and "天河大厅" in page.text
    assert "太平镇便民服务中心" in page.text and "低保" in page.text  # 2 + 2 sessions searched it
    assert 'href="/console/report"' in page.text  # in the navigation

    regional = viewer.get("/report?month=2026-11&region=清远市")
    assert "禾丰村" in regional.text and "天河大厅" not in regional.text
    assert "低保" not in regional.text  # two sessions alone are not enough to show a search text

    download = viewer.get("/report.csv?month=2026-11&region=清远市")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    assert download.content.startswith("\ufeff".encode())
    text = download.content.decode("utf-8-sig")
    assert village in text and "禾丰村" in text and "天河大厅" not in text
    assert ("vera", "report_downloaded", "2026-11") in [
        (row["operator"], row["action"], row["target"]) for row in console.audit_rows()
    ]


def test_the_page_reads_in_english_and_says_plainly_when_a_month_is_not_one(console: ConsoleCenter) -> None:
    viewer = console.browser("vera")
    empty = viewer.get("/report?month=2026-10")
    assert empty.status_code == 200 and "这个地区没有终端。" in empty.text
    bad = viewer.get("/report?month=2026-13")
    assert bad.status_code == 400 and "月份不对" in bad.text and "Traceback" not in bad.text
    viewer.post("/language", {"lang": "en"})
    english = viewer.get("/report?month=2026-10")
    assert "Usage report" in english.text and "There are no terminals in this region." in english.text
    assert viewer.get("/report?month=2026-13").status_code == 400


def test_the_report_needs_a_signed_in_operator(console: ConsoleCenter) -> None:
    assert "/signin" in console.browser().get("/report").url
