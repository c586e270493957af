"""The console's pages against a real center on 127.0.0.1 with terminals heartbeating over signed HTTP: the fleet
(counts, filters, search, the table htmx refreshes), a terminal (facts, devices, history, commands and their
results, uploads), rollouts (pause, resume, abort), in Chinese and English, and what each role may do there."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kiosk.center import commands, rollout
from tests.center_support import CenterDb
from tests.console_support import ConsoleCenter, SimulatedTerminal, running_console

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTMX = {"HX-Request": "true"}


@pytest.fixture
def console(center_db: CenterDb) -> Iterator[ConsoleCenter]:
    yield from running_console(center_db)


@pytest.fixture
def fleet(console: ConsoleCenter) -> dict[str, SimulatedTerminal]:
    """Three terminals: one with its ticket printer low on paper, one fine, one never heard from."""
    village = console.terminal("太平镇", "广州市/从化区", "太平镇政务服务中心")
    village.beat(
        devices=[
            {"role": "ticket", "backend": "escpos", "health": "paper_low"},
            {"role": "id_card", "backend": "sdtapi", "health": "ok"},
        ],
        outbox_backlog=12,
        outbox_oldest_age_s=7200.0,
    )
    street = console.terminal("石牌街", "广州市/天河区", "石牌街党群服务中心")
    street.beat(devices=[{"role": "id_card", "backend": "sdtapi", "health": "ok"}])
    silent = console.terminal("大桥镇", "韶关市/乳源县", "大桥镇便民服务站")
    return {"village": village, "street": street, "silent": silent}


def counts(html: str) -> dict[str, int]:
    return {label: int(n) for n, label in re.findall(r"<strong>(\d+)</strong>([^<]+)</a>", html)}


def listed_ids(html: str) -> list[str]:
    return re.findall(r'<td><a href="/console/terminals/[^"]+">([^<]+)</a></td>', html)


def test_the_fleet_page_counts_filters_and_searches(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    viewer = console.browser("vera")
    page = viewer.get("/fleet")
    assert page.status_code == 200
    assert counts(page.text) == {"全部": 3, "在线": 2, "离线": 0, "有故障": 1, "暂停服务": 0, "从未连接": 1}
    assert "排队票打印机：纸将用完" in page.text
    assert "12 条" in page.text
    ids = {name: terminal.id for name, terminal in fleet.items()}
    assert sorted(listed_ids(page.text)) == sorted(ids.values())
    assert listed_ids(viewer.get("/fleet", params={"region": "广州市/"}).text) == [
        ids["village"],
        ids["street"],
    ]
    assert listed_ids(viewer.get("/fleet", params={"text": "天河"}).text) == [ids["street"]]
    assert listed_ids(viewer.get("/fleet", params={"state": "fault"}).text) == [ids["village"]]
    assert listed_ids(viewer.get("/fleet", params={"state": "never"}).text) == [ids["silent"]]
    # The counts stay those of the region chosen, and link to its states.
    regional = viewer.get("/fleet", params={"region": "广州市/"}).text
    assert counts(regional)["全部"] == 2
    assert "/console/fleet?region=%E5%B9%BF%E5%B7%9E%E5%B8%82%2F&amp;state=fault" in regional


def test_htmx_replaces_only_the_table_and_keeps_refreshing_the_filtered_view(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    viewer = console.browser("vera")
    partial = viewer.get(
        "/fleet",
        params={"state": "fault"},
        headers={**HTMX, "HX-Target": "fleet-table", "HX-Trigger": "filters"},
    )
    assert partial.text.startswith('<div id="fleet-table" hx-get="/console/fleet?state=fault"')
    assert 'hx-trigger="every 30s"' in partial.text
    assert "<html" not in partial.text
    assert listed_ids(partial.text) == [fleet["village"].id]
    assert 'hx-swap-oob="true"' not in partial.text  # the form changed it: its state choice is already right
    from_link = viewer.get("/fleet", params={"state": "never"}, headers={**HTMX, "HX-Target": "fleet-table"})
    assert re.search(r'<select id="state-select" name="state" hx-swap-oob="true">', from_link.text)


def test_the_fleet_page_in_english(console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]) -> None:
    viewer = console.browser("vera")
    page = viewer.post("/language", {"lang": "en", "next": "/fleet"})
    assert page.url.endswith("/console/fleet")
    assert counts(page.text) == {
        "All": 3,
        "Online": 2,
        "Offline": 0,
        "Faults": 1,
        "Out of service": 0,
        "Never seen": 1,
    }
    assert "Ticket printer: Paper low" in page.text
    data = [
        "太平镇",
        "石牌街",
        "大桥镇",
        "广州市/从化区",
        "广州市/天河区",
        "韶关市/乳源县",
        "广州市/",
        "韶关市/",
    ]
    data += ["政务服务中心", "党群服务中心", "便民服务站", "中文"]
    words = page.text
    for value in sorted(data, key=len, reverse=True):
        words = words.replace(value, "")
    assert re.findall(r"[\u4e00-\u9fff]+", words) == []


def test_the_terminal_page_shows_its_facts_devices_and_last_day(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    viewer = console.browser("vera")
    village = fleet["village"]
    page = viewer.get(f"/terminals/{village.id}")
    assert page.status_code == 200
    assert "太平镇政务服务中心" in page.text and "广州市/从化区" in page.text
    assert "1.3.0" in page.text
    assert re.search(r"<td>排队票打印机</td>\s*<td><span class=\"badge fault\">纸将用完</span>", page.text)
    assert '<svg class="chart"' in page.text and "<polyline" not in page.text  # one point so far: a dot
    assert "最近 24 小时" in page.text
    assert "发送指令需要操作员角色" in page.text  # a viewer gets no buttons
    assert 'name="kind"' not in page.text
    missing = viewer.get("/terminals/T-nothere")
    assert missing.status_code == 404
    assert "没有这个终端：T-nothere" in missing.text


def test_an_operator_sends_a_command_and_sees_the_terminals_result(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    village = fleet["village"]
    viewer, operator = console.browser("vera"), console.browser("oscar")
    viewer.get(f"/terminals/{village.id}")
    assert viewer.post(f"/terminals/{village.id}/commands", {"kind": "sync_now"}).status_code == 403
    assert commands.listed(console.store, village.id) == []
    operator.get(f"/terminals/{village.id}")
    sent = operator.post(f"/terminals/{village.id}/commands", {"kind": "sync_now"}, headers=HTMX)
    assert sent.status_code == 200
    assert "已发送“立即同步”" in sent.text
    assert re.search(
        r'<div id="commands" hx-swap-oob="true" hx-get="[^"]+/commands" hx-trigger="every 2s"', sent.text
    )
    (queued,) = commands.listed(console.store, village.id)
    assert (queued["kind"], queued["state"]) == ("sync_now", "pending")
    answer = village.beat()
    assert [command.id for command in answer.commands] == [queued["id"]]
    village.report(queued["id"], "done", "synced 3 feeds")
    village.beat()
    shown = operator.get(f"/terminals/{village.id}/commands")
    assert "已完成" in shown.text and "synced 3 feeds" in shown.text
    assert "hx-trigger" not in shown.text  # nothing pending: the polling stops
    row = next(r for r in console.audit_rows() if r["action"] == "command_sent")
    assert (row["operator"], row["target"]) == ("oscar", village.id)
    assert row["detail"] == f"sync_now id={queued['id']}"


def test_restarts_and_out_of_service_ask_for_a_confirmation_first(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    street = fleet["street"]
    operator = console.browser("oscar")
    operator.get(f"/terminals/{street.id}")
    for kind in ("restart_program", "restart_machine"):
        asked = operator.post(f"/terminals/{street.id}/commands", {"kind": kind})
        assert asked.status_code == 200
        assert "确定要让这台终端" in asked.text
        assert commands.listed(console.store, street.id) == []
    asked = operator.post(
        f"/terminals/{street.id}/commands",
        {"kind": "out_of_service", "message": "请到镇政务服务中心办理"},
        headers=HTMX,
    )
    assert "确定要让这台终端暂停服务吗" in asked.text
    assert '<input type="hidden" name="message" value="请到镇政务服务中心办理">' in asked.text
    assert commands.listed(console.store, street.id) == []
    confirmed = operator.post(
        f"/terminals/{street.id}/commands",
        {"kind": "out_of_service", "message": "请到镇政务服务中心办理", "confirmed": "1"},
        headers=HTMX,
    )
    assert "已发送“暂停服务”" in confirmed.text
    (queued,) = commands.listed(console.store, street.id)
    assert queued["args"] == {"message": "请到镇政务服务中心办理"}


def test_a_command_the_terminal_refuses_shows_why_in_plain_words(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    village = fleet["village"]
    operator = console.browser("oscar")
    operator.get(f"/terminals/{village.id}")
    operator.post(f"/terminals/{village.id}/commands", {"kind": "screenshot"})
    (queued,) = commands.listed(console.store, village.id)
    village.beat(session_open=True)
    village.report(queued["id"], "refused", "a citizen's session is open")
    village.beat(session_open=True)
    page = operator.get(f"/terminals/{village.id}")
    assert "被终端拒绝" in page.text
    assert "终端上有群众正在办事，未执行" in page.text
    assert "终端上有群众正在办事</span>" in page.text  # the heartbeat says so in the facts too
    english = operator.post("/language", {"lang": "en", "next": f"/terminals/{village.id}"})
    assert "Refused by the terminal" in english.text
    assert "Not run: a citizen was using the terminal" in english.text


def test_commands_the_center_will_not_queue_are_refused_plainly(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    village = fleet["village"]
    operator = console.browser("oscar")
    operator.get(f"/terminals/{village.id}")
    no_title = operator.post(
        f"/terminals/{village.id}/commands", {"kind": "notice", "title": "", "hours": "24"}
    )
    assert no_title.status_code == 400
    assert "通知要有标题" in no_title.text
    too_long = operator.post(
        f"/terminals/{village.id}/commands", {"kind": "upload_logs", "hours": "500"}, headers=HTMX
    )
    assert too_long.status_code == 400
    assert too_long.text.strip().startswith('<p class="error" role="alert">上传日志的小时数是 1 到 72。')
    assert operator.post(f"/terminals/{village.id}/commands", {"kind": "format_disk"}).status_code == 400
    assert operator.post("/terminals/T-nothere/commands", {"kind": "sync_now"}).status_code == 404
    assert commands.listed(console.store, village.id) == []
    assert "Traceback" not in no_title.text + too_long.text


def test_uploads_are_shown_to_signed_in_operators_only_and_audited(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    village = fleet["village"]
    operator = console.browser("oscar")
    operator.get(f"/terminals/{village.id}")
    operator.post(f"/terminals/{village.id}/commands", {"kind": "screenshot"})
    operator.post(f"/terminals/{village.id}/commands", {"kind": "upload_logs", "hours": "2"})
    shot, logs = sorted(commands.listed(console.store, village.id), key=lambda c: c["kind"])
    assert village.upload(shot["id"], PNG, "image/png").status_code == 200
    assert (
        village.upload(logs["id"], "2026-12-06 重启\n".encode(), "text/plain; charset=utf-8").status_code
        == 200
    )
    page = operator.get(f"/terminals/{village.id}")
    assert f'<img class="shot" src="/console/terminals/{village.id}/screenshot"' in page.text
    image = operator.get(f"/terminals/{village.id}/screenshot")
    assert (image.status_code, image.headers["Content-Type"], image.content) == (200, "image/png", PNG)
    assert image.headers["Cache-Control"] == "no-store"
    text = operator.get(f"/terminals/{village.id}/logs")
    assert text.headers["Content-Disposition"].startswith(f'attachment; filename="{village.id}-logs-')
    assert text.content.decode() == "2026-12-06 重启\n"
    stranger = console.browser()
    refused = stranger.get(f"/terminals/{village.id}/screenshot")
    assert refused.url.endswith("/console/signin?next=%2Fterminals%2F" + village.id + "%2Fscreenshot")
    assert refused.content != PNG
    viewed = [
        (r["operator"], r["target"], r["detail"][:10])
        for r in console.audit_rows()
        if r["action"] == "upload_viewed"
    ]
    assert viewed == [("oscar", village.id, "screenshot"), ("oscar", village.id, "upload_log")]


def test_rollouts_are_paused_resumed_and_aborted_by_operators(
    console: ConsoleCenter, fleet: dict[str, SimulatedTerminal]
) -> None:
    village = fleet["village"]
    rollout.start(console.store, "1.4.0", rings=["pilot", "100%"], pilot=[village.id])
    viewer, operator = console.browser("vera"), console.browser("oscar")
    page = viewer.get("/rollouts")
    assert "发布 1：版本 1.4.0" in page.text and "进行中" in page.text
    assert re.search(r"<td>pilot</td>\s*<td>是</td>", page.text)
    assert f'<a href="/console/terminals/{village.id}">{village.id}</a>' in page.text
    assert 'id="pause-rollout"' not in page.text  # a viewer gets no buttons
    assert viewer.post("/rollouts/pause").status_code == 403
    operator.get("/rollouts")
    paused = operator.post("/rollouts/pause")
    assert paused.url.endswith("/console/rollouts?done=pause")
    assert "发布已暂停。" in paused.text
    assert rollout.latest(console.store).state == "paused"  # type: ignore[union-attr]
    again = operator.post("/rollouts/pause")
    assert again.status_code == 409
    assert "这次发布现在不能暂停" in again.text
    operator.get("/rollouts")
    assert "发布已继续。" in operator.post("/rollouts/resume").text
    asked = operator.post("/rollouts/abort")
    assert "确定要中止发布 1.4.0 吗？" in asked.text
    assert rollout.latest(console.store).state == "running"  # type: ignore[union-attr]
    operator.post("/rollouts/abort", {"confirmed": "1"})
    assert rollout.latest(console.store).state == "aborted"  # type: ignore[union-attr]
    done = [(r["operator"], r["action"]) for r in console.audit_rows() if r["action"].startswith("rollout_")]
    assert done == [("oscar", "rollout_paused"), ("oscar", "rollout_resumed"), ("oscar", "rollout_aborted")]


def test_bad_values_in_a_page_address_are_answered_plainly(console: ConsoleCenter) -> None:
    viewer = console.browser("vera")
    for path in ("/fleet?page=abc", "/audit?page=-x"):
        answer = viewer.get(path)
        assert answer.status_code in (400, 403)
        assert "Traceback" not in answer.text
    assert "请求里的数值不对" in viewer.get("/fleet?page=abc").text
