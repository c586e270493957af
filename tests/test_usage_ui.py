"""The touch UI counts into the usage counter where things happen (docs/usage.md): a visit, the screens opened, a
guide read, a search that found nothing (scrubbed, once a session), in the real scene offscreen."""

from __future__ import annotations

import json
import time

from ui_support import settle, tap, type_text, wait_for

from kiosk.services.usage import events
from kiosk.services.usage.counter import UsageCounter
from kiosk.store import outbox as outbox_store


def test_visits_are_counted_without_what_was_typed_that_could_identify_anyone(kiosk, qtbot):
    terminal = kiosk.terminal
    counter = UsageCounter(lambda: terminal, terminal.background, role="kiosk", opening_hours="00:00-24:00")
    events.install(counter)
    try:
        tap(kiosk, "homeSearchEntry", qtbot)  # the visit begins; the search screen opens
        type_text(kiosk, "qqxxzz 13812345678")
        wait_for(qtbot, lambda: kiosk.search.state == "ready" and kiosk.search.shownQuery != "")
        assert kiosk.search.results.count == 0
        kiosk.navigator.home()  # left on a search that found nothing: counted, scrubbed
        settle(kiosk, qtbot)
        tap(kiosk, "homeSearchEntry", qtbot)
        type_text(kiosk, "sbk")
        wait_for(qtbot, lambda: kiosk.search.state == "ready" and kiosk.search.shownQuery == "sbk")
        settle(kiosk, qtbot)
        tap(kiosk, "resultRow_0", qtbot)
        wait_for(qtbot, lambda: kiosk.guide.state == "ready")
        kiosk.reset_session()
        settle(kiosk, qtbot)
    finally:
        events.uninstall(counter)
    terminal.background.write(lambda: None).result()
    counter.close_now(time.time() + 2 * 3600)
    rows = outbox_store.pending(terminal.database.connection(), limit=100)
    [body] = [json.loads(row.body) for row in rows if row.kind == "usage"]
    counts = {(c["metric"], c["key"]): c["value"] for c in body["counts"]}
    assert counts[("session", "")] == 2  # 首页 with no card in ended the first visit
    assert counts[("screen", "search")] == 2 and counts[("screen", "guide")] == 1
    assert [value for (metric, _key), value in counts.items() if metric == "guide_viewed"] == [1]
    assert counts[("search_empty", "qqxxzz")] == 1  # the phone number typed with it is gone
    assert "13812345678" not in json.dumps(body, ensure_ascii=False)
