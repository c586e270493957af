"""The console's alerts page against a real center (uvicorn on 127.0.0.1, its own database): what heartbeats
recorded by the real ``record_heartbeat`` raise, in Chinese and English, filtered by kind and region, each linked to
its terminal; thresholds changed by an admin only, through the form and its CSRF token, checked and audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.center.alerts import load_thresholds
from kiosk.center.fleet import record_heartbeat
from kiosk.protocol import Heartbeat
from tests.center_support import new_center_db
from tests.console_support import ConsoleCenter, running_console


@pytest.fixture(scope="module")
def console(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleCenter]:
    yield from running_console(new_center_db(request, tmp_path_factory.mktemp("alerts-console")))


@pytest.fixture(scope="module")
def terminals(console: ConsoleCenter) -> dict[str, str]:
    store = console.store
    placed = {}
    for key, name, region in (
        ("paper", "石牌村", "广州市/天河区"),
        ("backlog", "东城", "清远市/清城区"),
        ("quiet", "沙河", "广州市/天河区"),
    ):
        tid = store.add_terminal(name).terminal_id
        store.place_terminal(tid, region=region, unit="街道")
        placed[key] = tid
    record_heartbeat(store, placed["paper"], beat(devices=[device("ticket", "paper_out")]))
    record_heartbeat(store, placed["backlog"], beat(outbox_backlog=250, outbox_oldest_age_s=7200))
    record_heartbeat(store, placed["quiet"], beat(devices=[device("ticket", "ok")]))
    return placed


def beat(**fields: Any) -> Heartbeat:
    return Heartbeat.model_validate({"version": "1.3.0", "role": "kiosk", **fields})


def device(role: str, health: str) -> dict[str, str]:
    return {"role": role, "backend": "test", "health": health}


def test_the_alerts_page_lists_filters_and_links(console: ConsoleCenter, terminals: dict[str, str]) -> None:
    viewer = console.browser("vera")
    page = viewer.get("/alerts")
    assert page.status_code == 200
    assert 'href="/console/alerts"' in viewer.get("/fleet").text  # in the navigation
    text = page.text
    assert "共 2 条告警，其中严重 1 条。" in text
    assert "凭条打印机：缺纸" in text and "250 条待上传，最早一条已等 2 小时" in text
    assert f'href="/console/terminals/{terminals["paper"]}"' in text
    assert terminals["quiet"] not in text
    assert text.index("凭条打印机：缺纸") < text.index("250 条待上传")  # critical first
    by_kind = viewer.get("/alerts?kind=backlog").text
    assert terminals["backlog"] in by_kind and f"/terminals/{terminals['paper']}" not in by_kind
    by_region = viewer.get("/alerts?region=广州市/").text
    assert terminals["paper"] in by_region and f"/terminals/{terminals['backlog']}" not in by_region
    assert "只有管理员可以修改告警条件。" in text and 'action="/console/alerts/thresholds"' not in text
    viewer.post("/language", {"lang": "en", "next": "/alerts"})
    english = viewer.get("/alerts").text
    assert "Receipt printer: Paper out" in english and "No heartbeat" not in english
    assert "250 records waiting" in english
    viewer.post("/language", {"lang": "zh"})


def test_only_an_admin_changes_the_thresholds_checked_and_audited(
    console: ConsoleCenter, terminals: dict[str, str]
) -> None:
    for name in ("vera", "oscar"):
        browser = console.browser(name)
        browser.get("/alerts")
        assert browser.post("/alerts/thresholds", {"backlog_records": "500"}).status_code == 403
    admin = console.browser("ada")
    assert 'action="/console/alerts/thresholds"' in admin.get("/alerts").text
    refused = admin.post("/alerts/thresholds", {"backlog_records": "2.5", "offline_after_s": "3600"})
    assert refused.status_code == 400 and "应为 1 到 10000000 之间的整数" in refused.text
    assert load_thresholds(console.store).offline_after_s == 1800  # all or nothing
    assert admin.post("/alerts/thresholds", {"backlog_records": "500"}, csrf="forged").status_code == 403
    changed = admin.post("/alerts/thresholds", {"backlog_records": "500", "offline_after_s": "1800"})
    assert changed.status_code == 200 and changed.url.endswith("/console/alerts")
    assert load_thresholds(console.store).backlog_records == 500
    assert "共 1 条告警" in changed.text  # 250 records waiting is no longer a backlog
    rows = console.audit_rows()
    assert [
        (r["operator"], r["action"], r["detail"]) for r in rows if r["action"] == "alert_thresholds_set"
    ] == [
        ("ada", "alert_thresholds_set", "backlog_records=500")  # only what changed
    ]
    admin.post("/alerts/thresholds", {"backlog_records": "200"})
