"""The center client against hostile answers, through the fault proxy in front of the real center on 127.0.0.1:
an answer trickled a byte at a time ends at the request's deadline, an answer of hundreds of megabytes is not
read whole, an answer nested 200,000 deep is refused, and a server time of NaN or infinity is ignored (logged,
never learnt). After each, the same client works again."""

from __future__ import annotations

import logging
import time
import tracemalloc

import pytest

from kiosk.center_client import BadAnswer, CenterClient, DeadlineExceeded, Unauthorized
from kiosk.protocol import HMAC_SHA256, secret_from_hex
from kiosk.protocol.limits import ANSWER_LIMITS
from kiosk.protocol.models import Heartbeat
from tests import center_support, fault_proxy
from tests.fault_proxy import Fault, FaultProxy

center_server = center_support.center_server
proxy = fault_proxy.fault_proxy

DEADLINE_S = 1.5


@pytest.fixture
def client(center_server, proxy: FaultProxy):
    terminal_id, secret_hex = center_server.add_terminal("hostile")
    with CenterClient(
        proxy.url, terminal_id, secret_from_hex(secret_hex), HMAC_SHA256, timeout=(1.0, DEADLINE_S)
    ) as client:
        yield client


def works_again(client: CenterClient, proxy: FaultProxy) -> None:
    proxy.passthrough()
    assert client.pull("settings", "", 10).entries == []
    assert client.heartbeat(Heartbeat(version="0.2.0", role="kiosk")).server_time.tzinfo is not None


@pytest.mark.parametrize("only", ["GET /api/v1/feeds", "POST /api/v1/heartbeat"])
def test_a_trickled_answer_ends_at_the_deadline(client, proxy, only):
    client.pull("settings", "", 10)  # the next request goes on this kept-alive connection
    # The answer comes a byte every 0.2 s: a read timeout would never fire, the whole answer would take a minute.
    proxy.set(Fault("trickle", delay_s=0.2), only=only)
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded, match=f"no complete answer within {DEADLINE_S:g} s"):
        if only.startswith("GET"):
            client.pull("settings", "", 10)
        else:
            client.heartbeat(Heartbeat(version="0.2.0", role="kiosk"))
    assert time.monotonic() - started < 15  # far less than the trickle would take
    works_again(client, proxy)


def test_a_huge_answer_is_not_read_whole(client, proxy):
    proxy.set(Fault("huge", size=300 * 1024 * 1024), only="GET /api/v1/feeds")
    tracemalloc.start()
    try:
        with pytest.raises(BadAnswer, match="larger than the 33554432 bytes"):
            client.pull("settings", "", 10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * ANSWER_LIMITS["feed"].max_bytes  # the limit's worth, not 300 MB
    proxy.set(Fault("huge", size=300 * 1024 * 1024), only="POST /api/v1/heartbeat")
    with pytest.raises(BadAnswer, match=f"larger than the {ANSWER_LIMITS['heartbeat'].max_bytes} bytes"):
        client.heartbeat(Heartbeat(version="0.2.0", role="kiosk"))
    works_again(client, proxy)


def test_an_answer_nested_200000_deep_is_refused(client, proxy):
    proxy.set(Fault("deep", size=200_000))
    with pytest.raises(BadAnswer, match="nested deeper than 64 levels"):
        client.pull("settings", "", 10)
    proxy.set(Fault("deep", size=20_000))  # 40 kB: within a heartbeat answer's size, far over its nesting
    with pytest.raises(BadAnswer, match="nested deeper than 8 levels"):
        client.heartbeat(Heartbeat(version="0.2.0", role="kiosk"))
    works_again(client, proxy)


@pytest.mark.parametrize(
    "value", ["nan", "inf", "-inf", "1e999", "NaN", "0", "-1795320185.4", "1e300", "soon", ""]
)
def test_an_implausible_server_time_is_ignored_and_logged(client, proxy, caplog, value):
    proxy.plan([Fault("header", value=value)] * 2)
    with caplog.at_level(logging.WARNING, logger="kiosk.center_client"):
        assert client.pull("settings", "", 10).entries == []
        client.heartbeat(Heartbeat(version="0.2.0", role="kiosk"))
    assert client.skew == 0.0  # nothing learnt from it
    assert sum("ignoring an implausible X-Kiosk-Server-Time" in r.getMessage() for r in caplog.records) == 2
    works_again(client, proxy)
    assert abs(client.skew) < 60  # the next plausible one is learnt


def test_a_401_with_a_nan_server_time_is_not_retried_and_leaves_the_skew_alone(center_server, proxy):
    terminal_id, _ = center_server.add_terminal("wrong-secret")
    proxy.set(Fault("header", value="nan"))
    with CenterClient(proxy.url, terminal_id, bytes(32), HMAC_SHA256, timeout=(1.0, DEADLINE_S)) as client:
        with pytest.raises(Unauthorized):
            client.pull("settings", "", 10)
        assert client.skew == 0.0
    assert len(proxy.exchanges) == 1
