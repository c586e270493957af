"""Form templates from the center are checked before they are cached: a broken one never replaces a working
one, the rest of its page is applied, and staff are told (real reference center on 127.0.0.1)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kiosk.config import load_settings
from kiosk.protocol import secret_from_hex
from kiosk.services.forms.submission import SubmissionService
from kiosk.services.sync.engine import SyncEngine, client_factory_for
from kiosk.services.terminal import Terminal
from kiosk.store import sync_state
from kiosk.store.keystore import Keystore
from tests import center_support

center_server = center_support.center_server


def template(code: str, version: int, title: str) -> dict[str, Any]:
    return {
        "format": "kiosk-form/1",
        "code": code,
        "version": version,
        "title": title,
        "department": "清远市人力资源和社会保障局",
        "steps": [
            {
                "title": "申请人信息",
                "fields": [
                    {"key": "name", "type": "text", "label": "姓名", "required": True, "prefill": "name"},
                    {"key": "phone", "type": "phone", "label": "联系电话", "required": True},
                ],
            }
        ],
    }


def entry(data: dict[str, Any]) -> dict[str, Any]:
    return {"key": data["code"], "version": data["version"], "deleted": False, "data": data}


@pytest.fixture
def synced(center_server, tmp_path):
    """An enrolled terminal, its sync engine and its form service; closed afterwards."""
    terminal_id, secret_hex = center_server.add_terminal("forms")
    settings = load_settings(
        data_dir=tmp_path / "terminal",
        environ={},
        overrides={"terminal_id": terminal_id, "center_url": center_server.url},
    )
    Keystore.for_data_dir(settings.data_dir).store_secret(secret_from_hex(secret_hex))
    terminal = Terminal.open(settings)
    engine = SyncEngine.for_terminal(terminal, client_factory=client_factory_for(settings, timeout=(1, 5)))
    forms = SubmissionService(terminal.database, terminal.background, engine.outbox)
    try:
        yield terminal, engine, forms
    finally:
        engine.stop()
        terminal.close()


def test_a_broken_template_keeps_the_cached_version_and_a_fixed_one_replaces_it(center_server, synced):
    terminal, engine, forms = synced
    good = template("QY-RS-SBKBHK", 1, "社会保障卡补换卡申请表")
    center_server.publish("form_templates", [entry(good)])
    assert engine.run_once().ok
    assert [(t.code, t.version) for t in forms.templates()] == [("QY-RS-SBKBHK", 1)]

    # Published straight into the center's store, as a center without the template check would: v2 prefills
    # the phone field from the card's birth date, which a phone field cannot take.
    broken = copy.deepcopy(good) | {"version": 2, "title": "社会保障卡补换卡申请表（新）"}
    broken["steps"][0]["fields"][1]["prefill"] = "birth_date"
    other = template("QY-YB-CXJM", 1, "城乡居民基本医疗保险参保登记表")
    center_server.publish("form_templates", [entry(broken), entry(other)])
    report = engine.run_once()

    assert not report.ok and report.online
    assert report.pulled["form_templates"] == 2 and report.applied["form_templates"] == 1
    (problem,) = report.errors
    assert problem.where == "pull:form_templates"
    assert problem.plain == "中心发布的表单模板 QY-RS-SBKBHK 有误，已保留本机原有版本"
    assert "version 2" in problem.detail and "steps[0].fields[1].prefill" in problem.detail
    assert "QY-RS-SBKBHK" in engine.status.last_error
    cached = {t.code: t for t in forms.templates()}
    assert (cached["QY-RS-SBKBHK"].version, cached["QY-RS-SBKBHK"].title) == (1, "社会保障卡补换卡申请表")
    assert cached["QY-YB-CXJM"].version == 1
    assert report.heartbeat and report.pulled["settings"] == 0  # the cycle went on after the feed

    again = engine.run_once()  # the cursor moved past the broken version: it is not reported again
    assert again.ok and again.pulled["form_templates"] == 0
    assert engine.status.last_error is None

    fixed = template("QY-RS-SBKBHK", 3, "社会保障卡补换卡申请表（第三版）")
    center_server.publish("form_templates", [entry(fixed)])
    report = engine.run_once()
    assert report.ok and report.applied["form_templates"] == 1
    assert forms.template("QY-RS-SBKBHK").version == 3
    stored = sync_state.form_templates(terminal.database.connection())["QY-RS-SBKBHK"]
    assert stored["title"] == "社会保障卡补换卡申请表（第三版）"


def test_a_broken_new_template_is_not_offered_and_a_tombstone_still_deletes(center_server, synced):
    terminal, engine, forms = synced
    gone = template("QY-CL-CJRZ", 1, "残疾人证申请表")
    center_server.publish("form_templates", [entry(gone)])
    assert engine.run_once().ok

    wrong_version = template("QY-ZJ-JZZ", 4, "居住证申领登记表")
    center_server.publish(
        "form_templates",
        [
            {"key": "QY-ZJ-JZZ", "version": 5, "deleted": False, "data": wrong_version},
            {"key": "QY-CL-CJRZ", "version": 2, "deleted": True, "data": None},
            {"key": "QY-XX-EMPTY", "version": 1, "deleted": False, "data": {"format": "kiosk-form/1"}},
        ],
    )
    report = engine.run_once()
    plain = sorted(p.plain for p in report.errors)
    assert plain == [
        "中心发布的表单模板 QY-XX-EMPTY 有误，本机暂不提供该表单",
        "中心发布的表单模板 QY-ZJ-JZZ 有误，本机暂不提供该表单",
    ]
    assert forms.templates() == []  # the tombstone was applied; neither broken template was cached
    assert sync_state.form_templates(terminal.database.connection()) == {}
    assert sync_state.cursor(terminal.database.connection(), "form_templates")
