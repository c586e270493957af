"""Each terminal may make a set number of signed requests a minute, counted in the database; past it the center
answers 429 with Retry-After, whatever the request, and other terminals are served as before."""

from __future__ import annotations

import json
import subprocess
import sys

import requests

from kiosk.center import rate_limits
from kiosk.protocol import API_PREFIX
from tests.center_support import CenterDb, CenterServer, center_server  # noqa: F401 - the fixture


def test_a_terminal_past_its_limit_is_answered_429_with_retry_after(
    center_server: CenterServer,  # noqa: F811
) -> None:
    rate_limits.set_limit(center_server._admin, 10)
    busy, busy_secret = center_server.add_terminal("busy")
    calm, calm_secret = center_server.add_terminal("calm")
    url = center_server.url + API_PREFIX + "/feeds/settings"
    session = requests.Session()
    statuses = [
        session.get(url, auth=center_server.auth(busy, busy_secret), timeout=10).status_code
        for _ in range(10)
    ]
    assert statuses == [200] * 10
    refused = session.post(
        center_server.url + API_PREFIX + "/heartbeat",
        data=b"{}",
        headers={"Content-Type": "application/json"},
        auth=center_server.auth(busy, busy_secret),
        timeout=10,
    )
    assert refused.status_code == 429
    assert refused.json() == {"error": "rate_limited"}
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "X-Kiosk-Server-Time" in refused.headers
    # Another terminal is not held up by the busy one.
    assert session.get(url, auth=center_server.auth(calm, calm_secret), timeout=10).status_code == 200
    # An unsigned or wrongly signed request is still a 401, not counted against anyone.
    assert session.get(url, timeout=10).status_code == 401


def test_retry_after_is_when_enough_requests_have_left_the_minute(center_db: CenterDb) -> None:
    store = center_db.store()
    try:
        terminal = store.add_terminal("t").terminal_id
        rate_limits.set_limit(store, 10)
        for second in range(10):  # 10 requests at 1000, 1001, ... 1009: within the limit
            assert store.remember_nonce(terminal, f"{second:032x}", 1000.0 + second)
        assert rate_limits.retry_after(store, terminal, 1009.0) is None
        assert store.remember_nonce(terminal, f"{10:032x}", 1010.0)
        # At 1010 the 11th is one too many; at 1061 the window (1001, 1061] holds 9 and the next one makes 10.
        assert rate_limits.retry_after(store, terminal, 1010.0) == 51
        assert rate_limits.retry_after(store, terminal, 1061.0) is None
    finally:
        store.close()


def test_the_limit_is_a_setting_of_the_center(center_db: CenterDb) -> None:
    center_db.store().close()

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "center", "rate-limit", *center_db.args, *args],
            capture_output=True,
            text=True,
            timeout=60,
        )

    shown = kiosk("--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == {"per_minute": rate_limits.DEFAULT_PER_MINUTE, "updated_at": None}
    assert kiosk("--per-minute", "300").returncode == 0
    assert "300 signed requests a minute per terminal" in kiosk().stdout
    too_low = kiosk("--per-minute", "3")
    assert too_low.returncode == 2 and "10 to 100000" in too_low.stderr
