"""A catalog page with a bad item applies every good item and its cursor; the bad item is reported with its code
and reason, and the terminal keeps the version it had cached (real reference center on 127.0.0.1; the bad items
are put straight into its store, as a center without the publishing checks would)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.config import load_settings
from kiosk.protocol import secret_from_hex
from kiosk.services.sync import engine as sync
from kiosk.services.sync.engine import SyncEngine, client_factory_for
from kiosk.services.terminal import Terminal
from kiosk.store import sync_state
from kiosk.store.keystore import Keystore
from tests import center_support
from tests.conftest import catalog_document, make_item

center_server = center_support.center_server


def entry(item: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"key": item["code"], "version": item["version"], "deleted": False, "data": item} | changes


@pytest.fixture
def synced(center_server, tmp_path):
    """An enrolled terminal that pulled the small catalog, and its sync engine; closed afterwards."""
    terminal_id, secret_hex = center_server.add_terminal("items")
    settings = load_settings(
        data_dir=tmp_path / "terminal",
        environ={},
        overrides={"terminal_id": terminal_id, "center_url": center_server.url},
    )
    Keystore.for_data_dir(settings.data_dir).store_secret(secret_from_hex(secret_hex))
    terminal = Terminal.open(settings)
    engine = SyncEngine.for_terminal(terminal, client_factory=client_factory_for(settings, timeout=(1, 5)))
    center_server.publish_catalog(catalog_document())
    try:
        assert engine.run_once().ok
        yield terminal, engine
    finally:
        engine.stop()
        terminal.close()


def test_a_bad_item_is_refused_alone_and_the_cached_version_stays(center_server, synced):
    terminal, engine = synced
    cursor_before = sync_state.cursor(terminal.database.connection(), "catalog")
    too_many_keywords = make_item(
        "RS-001", "社保卡补换卡（新）", version=2, keywords=[f"词{i}" for i in range(30)]
    )
    malformed_new = make_item("RS-099", "新办事项", version=1)
    malformed_new["handling"]["type"] = "随便办"
    renamed = make_item("RS-002", "社保卡临时挂失", version=2)
    center_server.publish_unchecked(
        "catalog",
        [
            entry(too_many_keywords),
            entry(renamed),
            entry(malformed_new),
            {"key": "GA-002", "version": 2, "deleted": True, "data": None},
        ],
    )
    report = engine.run_once()

    assert not report.ok and report.online and report.heartbeat
    assert report.pulled["catalog"] == 4 and report.applied["catalog"] == 2 and report.refused["catalog"] == 2
    problems = {p.plain: p for p in report.errors}
    assert set(problems) == {
        "中心发布的事项 RS-001 有误，已保留本机原有版本",
        "中心发布的事项 RS-099 有误，本机暂不提供该事项",
    }
    kept = problems["中心发布的事项 RS-001 有误，已保留本机原有版本"]
    assert kept.where == "pull:catalog" and kept.plain.code == "sync.item_kept"
    assert "item RS-001 version 2 not cached" in kept.detail and "keywords" in kept.detail
    assert "handling.type" in problems["中心发布的事项 RS-099 有误，本机暂不提供该事项"].detail
    assert "RS-001" in engine.status.last_error

    catalog = terminal.catalog
    assert (catalog.item("RS-001").version, catalog.item("RS-001").name) == (1, "社保卡补换卡")
    assert catalog.item("RS-099") is None
    assert catalog.item("RS-002").name == "社保卡临时挂失"
    assert catalog.item("GA-002") is None
    assert catalog.search("临时挂失").hits[0].code == "RS-002"
    assert sync_state.cursor(terminal.database.connection(), "catalog") != cursor_before

    again = engine.run_once()  # the cursor moved past the bad versions: they are not reported again
    assert again.ok and again.pulled["catalog"] == 0 and engine.status.last_error is None

    fixed = make_item("RS-001", "社保卡补换卡（第三版）", version=3)
    center_server.publish_catalog({"format": "kiosk-catalog/1", "items": [fixed]})
    report = engine.run_once()
    assert report.ok and report.applied["catalog"] == 1
    assert catalog.item("RS-001").name == "社保卡补换卡（第三版）"


def test_an_item_whose_code_or_version_is_not_its_entrys_is_refused_alone(center_server, synced):
    terminal, engine = synced
    wrong_code = make_item("RS-003", "社保卡（改）", version=2)
    wrong_version = make_item("RS-004", "社保卡启用（改）", version=7)
    good = make_item("RS-005", "城乡居民养老保险参保登记", version=2)
    center_server.publish_unchecked(
        "catalog",
        [entry(wrong_code, key="RS-033"), entry(wrong_version, version=2), entry(good)],
    )
    report = engine.run_once()

    assert report.applied["catalog"] == 1 and report.refused["catalog"] == 2
    assert sorted(p.plain for p in report.errors) == [
        "中心发布的事项 RS-004 有误，已保留本机原有版本",
        "中心发布的事项 RS-033 有误，本机暂不提供该事项",
    ]
    assert terminal.catalog.item("RS-005").name == "城乡居民养老保险参保登记"
    assert terminal.catalog.item("RS-004").version == 1
    assert terminal.catalog.item("RS-033") is None and terminal.catalog.item("RS-003").version == 1


def test_a_page_of_many_bad_items_reports_the_first_ones_and_counts_the_rest(
    center_server, synced, monkeypatch, caplog
):
    terminal, engine = synced
    monkeypatch.setattr(sync, "PULL_LIMIT", 10)  # the bad items span several pages
    bad = []
    for n in range(sync.REFUSED_ITEMS_REPORTED + 7):
        item = make_item(f"XX-{n:03d}", f"事项{n}", version=1)
        item["name"] = "长" * 101  # over the 100 characters a name may hold
        bad.append(entry(item))
    center_server.publish_unchecked("catalog", [*bad, entry(make_item("XX-GOOD", "好事项"))])
    with caplog.at_level("WARNING", logger="kiosk.services.sync.engine"):
        report = engine.run_once()

    assert report.refused["catalog"] == sync.REFUSED_ITEMS_REPORTED + 7
    assert len(report.errors) == sync.REFUSED_ITEMS_REPORTED + 1
    summary = report.errors[-1]
    assert summary.plain == "另有 7 个中心发布的事项有误，未缓存，详见日志"
    assert "XX-020" in summary.detail and "XX-026" in summary.detail
    assert terminal.catalog.item("XX-GOOD") is not None
    item_lines = [r for r in caplog.records if "from the center not cached" in r.getMessage()]
    assert len(item_lines) == sync.REFUSED_ITEMS_REPORTED + 1  # one line each, then one for the rest
    assert engine.run_once().ok
