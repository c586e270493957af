"""Flows keep a citizen's state and rules without Qt (kiosk.flows), so any role reuses them; the shell's one
adapter shows a flow to QML. Here the rating flow is driven as a rating pad would drive it: on a real terminal's
database, no Qt, one rating per ticket, reasons for a bad rating."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.domain.rating import RatingSubject
from kiosk.flows.rating import DONE, RATING, REFUSED, RatingFlow

ROOT = Path(__file__).resolve().parents[1]


class Now:
    """Delivers a future's outcome at once, on the calling thread (a flow's owner without an event loop)."""

    def __call__(self, future: Future[Any], on_result: Any, on_error: Any) -> Any:
        try:
            on_result(future.result(timeout=10))
        except Exception as exc:
            on_error(exc)
        return self

    def cancel(self) -> None:
        pass


def pad_flow(terminal: Any) -> tuple[RatingFlow, list[str]]:
    flow = RatingFlow(lambda: terminal.citizen.ratings, terminal.settings.terminal_id, lambda: None, Now())
    events: list[str] = []
    flow.subscribe(events.append)
    return flow, events


def test_the_rating_flow_imports_no_qt() -> None:
    code = (
        "import sys, kiosk.flows.rating, kiosk.flows.forms; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_a_ticket_is_rated_once_and_a_bad_rating_needs_a_reason(terminal: Any) -> None:
    flow, events = pad_flow(terminal)
    ticket = RatingSubject.ticket("A012", terminal.settings.terminal_id, datetime(2026, 12, 6, 9, 30))

    flow.open(ticket, skippable=False)
    assert "opened" in events and flow.state == RATING and flow.view()["subjectText"] == "A012"
    flow.choose_level(2)  # 不满意
    flow.submit()
    assert flow.state == RATING and "problems" in events
    assert set(flow.view()["problems"]) == {"reasons"}

    flow.toggle_reason("等待时间长")
    assert "reasons" not in flow.view()["problems"]
    flow.submit()
    assert flow.state == DONE

    again, _ = pad_flow(terminal)  # the next citizen, or the same one again: the ticket was rated
    again.open(ticket, skippable=False)
    assert again.state == REFUSED
    assert again.view()["message"].code == "rating.already_rated"


def test_leaving_drops_the_rating_and_clear_forgets_the_visit(terminal: Any) -> None:
    flow, _ = pad_flow(terminal)
    flow.rate_this_visit()
    visit = flow.subject
    flow.choose_level(1)
    flow.set_comment("排队太久")
    flow.leave()
    assert flow.subject is None and flow.view()["comment"] == "" and flow.view()["level"] == 0
    flow.rate_this_visit()
    assert flow.subject == visit  # one visit per session
    flow.clear()
    flow.rate_this_visit()
    assert flow.subject != visit


def test_the_adapter_makes_every_field_a_notified_qt_property(qapp) -> None:
    from kiosk.ui.shell.flow_adapter import flow_view

    view_class = flow_view(RatingFlow)
    meta = view_class.staticMetaObject
    for name in RatingFlow.FIELDS:
        prop = meta.property(meta.indexOfProperty(name))
        assert prop.isValid() and prop.hasNotifySignal(), name
    assert meta.property(meta.indexOfProperty("comment")).isWritable()
    for slot in RatingFlow.ACTIONS:
        assert any(meta.method(i).name().data().decode() == slot for i in range(meta.methodCount())), slot


def small_form() -> Any:
    from kiosk.domain.forms import parse_template

    data = {
        "format": "kiosk-form/1",
        "code": "T-001",
        "version": 1,
        "title": "测试申请表",
        "department": "测试局",
        "steps": [
            {
                "title": "第一步",
                "fields": [
                    {"key": "name", "type": "text", "label": "姓名", "required": True, "prefill": "name"},
                    {"key": "phone", "type": "phone", "label": "电话", "required": True},
                ],
            },
            {
                "title": "第二步",
                "fields": [{"key": "sign", "type": "signature", "label": "签名", "required": True}],
            },
        ],
    }
    return parse_template(data, key="T-001", version=1)


def test_a_form_is_filled_and_taken_in_without_qt(terminal: Any) -> None:
    from drivers.idcard.cards import SAMPLES
    from kiosk.flows.forms import DONE, FILLING, FormFilling

    flow = FormFilling(lambda: terminal.citizen.submissions, Now())
    events: list[str] = []
    flow.subscribe(events.append)
    flow.start(small_form(), SAMPLES["elder"])
    assert flow.state == FILLING and flow.view()["title"] == "测试申请表"
    assert flow.touch_step()  # the phone is missing: the step has a problem
    assert not flow.view()["stepOk"]
    flow.set_value("phone", "13800138000")
    assert flow.view()["stepOk"]

    flow.submit()  # no signature yet: back to its step
    assert "incomplete" in events and flow.view()["stepIndex"] == 1 and flow.state == FILLING
    flow.set_signature((((10.0, 10.0), (20.0, 30.0)),))  # one stroke of two points
    assert "signature" in events
    flow.submit()
    assert flow.state == DONE and "submitted" in events
    assert flow.receipt and flow.form is not None and flow.form.receipt == flow.receipt
    flow.clear()
    assert flow.form is None and flow.view()["receipt"] == ""
