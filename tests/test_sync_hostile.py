"""The sync engine when what comes over the network is hostile (the fault proxy in front of the real center on
127.0.0.1): a server time of NaN or infinity never wedges it, a trickling center ends a cycle at the deadline and
the next cycle recovers (with smaller pages for the feed that was too slow), and a batch the center refuses whole
is split until the one record it will not take is kept aside and the others are delivered."""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest

from kiosk.config import load_settings
from kiosk.protocol import secret_from_hex
from kiosk.services.sync.engine import PULL_LIMIT, SyncEngine, client_factory_for
from kiosk.services.terminal import Terminal
from kiosk.store import outbox as outbox_store
from kiosk.store.keystore import Keystore
from tests import center_support, fault_proxy
from tests.conftest import catalog_document
from tests.fault_proxy import Fault, FaultProxy

center_server = center_support.center_server
proxy = fault_proxy.fault_proxy

DEADLINE_S = 1.5


@pytest.fixture
def engine(center_server, proxy: FaultProxy, tmp_path):
    """An enrolled terminal whose engine talks to the center through the proxy, each request within 1.5 s."""
    terminal_id, secret_hex = center_server.add_terminal("village")
    settings = load_settings(
        data_dir=tmp_path / "terminal",
        environ={},
        overrides={"terminal_id": terminal_id, "center_url": proxy.url},
    )
    Keystore.for_data_dir(settings.data_dir).store_secret(secret_from_hex(secret_hex))
    terminal = Terminal.open(settings)
    factory = client_factory_for(settings, timeout=(1.0, DEADLINE_S))
    engine = SyncEngine.for_terminal(terminal, client_factory=factory)
    try:
        yield engine
    finally:
        engine.stop()
        terminal.close()


def add(engine: SyncEngine, kind: str, body: dict) -> str:
    def job() -> str:
        with engine.database.transaction() as conn:
            return engine.outbox.add(conn, kind, body, personal=False)

    return engine.background.write(job).result()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
def test_a_server_time_of_nan_or_infinity_never_wedges_the_engine(engine, proxy, center_server, value):
    add(engine, "event", {"n": 1})
    proxy.plan([Fault("header", value=value)] * 6)  # every request of the first cycle
    first = engine.run_once()
    assert first.ok, first.reason
    assert first.acknowledged == 1
    add(engine, "event", {"n": 2})
    second = engine.run_once()
    assert second.ok and second.acknowledged == 1, second.reason
    assert len(center_server.records()) == 2


def test_a_trickling_center_ends_the_cycle_at_the_deadline_and_the_next_one_recovers(
    engine, proxy, center_server
):
    center_server.publish_catalog(catalog_document())
    add(engine, "event", {"n": 1})
    proxy.set(Fault("trickle", delay_s=0.2))
    started = time.monotonic()
    report = engine.run_once()
    assert time.monotonic() - started < 15  # the trickled answer alone would take minutes
    assert not report.ok and report.online is False
    assert report.errors[0].where == "pull:catalog"
    assert report.errors[0].plain == "中心响应超时，记录已保存在本机，稍后自动重试"
    assert "no complete answer within 1.5 s" in report.errors[0].detail

    proxy.passthrough()
    again = engine.run_once()
    assert again.ok, again.reason
    assert again.pulled["catalog"] == 12 and again.acknowledged == 1
    limits = [parse_qs(e.query)["limit"][0] for e in proxy.exchanges if e.path == "/api/v1/feeds/catalog"]
    # Asked for a full page, which came too slowly; then a quarter of it; fast pages let it grow back.
    assert limits[0] == str(PULL_LIMIT) and limits[1] == str(PULL_LIMIT // 4)
    for _ in range(3):
        assert engine.run_once().ok
    limits = [parse_qs(e.query)["limit"][0] for e in proxy.exchanges if e.path == "/api/v1/feeds/catalog"]
    assert limits[-1] == str(PULL_LIMIT)


def test_a_batch_refused_whole_is_split_until_the_record_it_will_not_take_is_kept_aside(
    engine, proxy, center_server
):
    deep: dict = {"level": 0}
    for level in range(1, 40):
        deep = {"level": level, "inner": deep}  # deeper than the center reads (32 levels a request)
    keys = [add(engine, "event", {"n": n}) for n in range(3)]
    bad = add(engine, "event", deep)
    keys += [add(engine, "event", {"n": n}) for n in range(3, 6)]
    report = engine.run_once()
    assert report.acknowledged == 6 and report.rejected == 1, report.reason
    assert sorted(r["idempotency_key"] for r in center_server.records()) == sorted(keys)
    assert engine.outbox.stats().backlog == 0  # converged: nothing left to offer the center every cycle
    (rejected,) = outbox_store.rejected(engine.database.connection())
    assert rejected.idempotency_key == bad
    assert rejected.last_error == "422 body: nested deeper than 32 levels"
    batches = [e for e in proxy.exchanges if e.path == "/api/v1/records"]
    # 7 refused; 3 taken, 4 refused; 2 refused, 2 taken; the bad one alone refused, its neighbour taken.
    assert [e.upstream_status for e in batches] == [422, 200, 422, 422, 422, 200, 200]
    assert engine.run_once().pushed == 0  # and it is not sent again
