"""The console for tests: a center serving it (uvicorn in a thread, its own database), accounts of each role with
cheap Argon2 parameters, and an operator's browser as a ``requests`` session that signs in and posts forms as the
pages do (the CSRF token from the page, the console's own Origin)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import requests

from kiosk.center.console import accounts, settings
from tests.center_support import CenterDb, CenterServer

PASSWORD = "correct horse battery"
# Cheap hashing for tests (the center's defaults take 64 MiB and a good fraction of a second each).
CHEAP_ARGON2 = {"argon2_time_cost": "1", "argon2_memory_kib": "64", "argon2_parallelism": "1"}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def prepare(db: CenterDb, **values: str) -> None:
    """Cheap Argon2, any other console settings, and one account of each role: ada (admin), oscar (operator),
    vera (viewer)."""
    store = db.store()
    try:
        for name, value in {**CHEAP_ARGON2, **values}.items():
            settings.write(store, name, value)
        for name, role in (("ada", "admin"), ("oscar", "operator"), ("vera", "viewer")):
            if accounts.account(store, name) is None:
                accounts.add(store, name, role, PASSWORD)
    finally:
        store.close()


class Browser:
    """One operator's browser: cookies kept, forms posted with the page's CSRF token and the console's Origin."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        self.csrf = ""

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        response = self.http.get(self.url + "/console" + path, timeout=30, **kwargs)
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(
        self,
        path: str,
        data: dict[str, str] | None = None,
        *,
        csrf: str | None = None,
        origin: str | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        form = {"csrf": self.csrf if csrf is None else csrf, **(data or {})}
        headers = {"Origin": self.url if origin is None else origin, **kwargs.pop("headers", {})}
        response = self.http.post(
            self.url + "/console" + path, data=form, headers=headers, timeout=30, **kwargs
        )
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def sign_in(self, name: str, password: str = PASSWORD, next_path: str = "") -> requests.Response:
        self.get("/signin")
        return self.post("/signin", {"name": name, "password": password, "next": next_path})


class ConsoleCenter:
    def __init__(self, server: CenterServer) -> None:
        self.server = server
        self.url = server.url
        self.db = server.db
        self.store = server.db.store()

    def browser(self, name: str | None = None) -> Browser:
        browser = Browser(self.url)
        if name is not None:
            response = browser.sign_in(name)
            assert response.status_code == 200, response.text
        return browser

    def query(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of the center's database (the audit log, sessions)."""
        return self.store.query(statement, params)

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> None:
        """A change to the center's database (to age a session, as time would)."""
        with self.store.transaction() as db:
            db.execute(statement, params)

    def terminal(self, name: str, region: str = "", unit: str = "", **state: Any) -> SimulatedTerminal:
        """A new terminal of this center, placed in ``region`` and ``unit``, not yet heard from."""
        terminal_id, secret = self.server.add_terminal(name)
        if region or unit:
            self.store.place_terminal(terminal_id, region=region, unit=unit)
        return SimulatedTerminal(self.url, terminal_id, self.server.auth(terminal_id, secret), **state)

    def audit_rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.query("SELECT * FROM audit_log ORDER BY seq")]


def running_console(db: CenterDb) -> Iterator[ConsoleCenter]:
    """A console center for a test module's fixture (``yield from running_console(center_db)``)."""
    prepare(db)
    server = CenterServer(db)
    try:
        server.start()
        center = ConsoleCenter(server)
        try:
            yield center
        finally:
            center.store.close()
    finally:
        server.close()


class SimulatedTerminal:
    """A terminal as the center sees it: signed heartbeats (with the results of the commands it was given) and
    uploads, over HTTP."""

    def __init__(self, url: str, terminal_id: str, auth: requests.auth.AuthBase, **state: Any) -> None:
        self.url = url
        self.id = terminal_id
        self.auth = auth
        self.state: dict[str, Any] = {"version": "1.3.0", "role": "kiosk", **state}
        self.results: list[dict[str, Any]] = []

    def beat(self, **changes: Any) -> Any:
        """One heartbeat with the state (changed by ``changes``) and the results waiting; the center's answer."""
        from kiosk.protocol import Heartbeat, HeartbeatAnswer

        self.state.update(changes)
        body = Heartbeat.model_validate({**self.state, "command_results": self.results}).model_dump_json()
        response = requests.post(
            self.url + "/api/v1/heartbeat",
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/json"},
            auth=self.auth,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        self.results = []
        return HeartbeatAnswer.model_validate_json(response.content)

    def report(self, command_id: str, outcome: str = "done", detail: str = "") -> None:
        """A command's result, sent with the next heartbeat (as the terminal's spool does)."""
        import uuid
        from datetime import UTC, datetime

        self.results.append(
            {
                "id": uuid.uuid4().hex[:20],
                "command_id": command_id,
                "at": datetime.now(UTC).isoformat(),
                "outcome": outcome,
                "detail": detail,
            }
        )

    def upload(self, command_id: str, body: bytes, content_type: str) -> requests.Response:
        return requests.post(
            f"{self.url}/api/v1/uploads/{command_id}",
            data=body,
            headers={"Content-Type": content_type},
            auth=self.auth,
            timeout=30,
        )
