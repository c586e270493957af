"""A terminal past the center's rate limit (429 with Retry-After): the sync cycle stops at the first refused
request, the records stay pending, the terminal counts as online, and the next cycle waits as long as the center
said."""

from __future__ import annotations

from kiosk.center import rate_limits
from kiosk.center_client import CenterClient, RateLimited
from kiosk.protocol import secret_from_hex
from tests import center_support
from tests.test_sync_engine import Rig, add, rig  # noqa: F401 - the fixture

center_server = center_support.center_server


def _requests_seen(center: center_support.CenterServer, terminal_id: str) -> int:
    rows = center._admin.query("SELECT COUNT(*) AS n FROM nonces WHERE terminal_id = ?", (terminal_id,))
    return int(rows[0]["n"])


def test_the_client_says_how_long_to_wait(center_server: center_support.CenterServer) -> None:
    rate_limits.set_limit(center_server._admin, 10)
    terminal_id, secret_hex = center_server.add_terminal("busy")
    with CenterClient(center_server.url, terminal_id, secret_from_hex(secret_hex), "HMAC-SHA256") as client:
        for _ in range(10):
            client.pull("notices", "", 10)
        try:
            client.pull("notices", "", 10)
        except RateLimited as limited:
            assert 1 <= limited.retry_after_s <= 60
            assert "429" in limited.detail
        else:
            raise AssertionError("the 11th request of the minute was served")


def test_a_limited_cycle_stops_at_once_and_waits_for_retry_after(rig: Rig, center_server) -> None:  # noqa: F811
    rate_limits.set_limit(center_server._admin, 10)
    terminal, engine = rig.terminal()
    assert engine.run_once().ok
    used = _requests_seen(center_server, terminal.settings.terminal_id)
    for _ in range(10 - used):  # the rest of the minute's requests, used up by someone with its credentials
        engine.run_once()
    add(terminal, engine, "event", {"what": "screen_opened"})
    before = _requests_seen(center_server, terminal.settings.terminal_id)
    limited = engine.run_once()
    assert not limited.ok and limited.online is True
    assert _requests_seen(center_server, terminal.settings.terminal_id) == before + 1  # one refused, no more
    assert engine.outbox.stats().backlog == 1  # still pending, not set aside
    assert engine.next_wait(1) >= 30  # what the center said (about a minute), not the backoff's 2 s
    assert engine.next_wait(1) <= 2.0  # taken once
