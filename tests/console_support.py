"""The console for tests: a center serving it (uvicorn in a thread, its own database), accounts of each role with
cheap Argon2 parameters, and an operator's browser as a ``requests`` session that signs in and posts forms as the
pages do (the CSRF token from the page, the console's own Origin)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from kiosk.center.console import accounts, settings
from kiosk.center.store import Store
from tests.center_support import CenterServer

PASSWORD = "correct horse battery"
# Cheap hashing for tests (the center's defaults take 64 MiB and a good fraction of a second each).
CHEAP_ARGON2 = {"argon2_time_cost": "1", "argon2_memory_kib": "64", "argon2_parallelism": "1"}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def prepare(db_path: Path, **values: str) -> None:
    """Cheap Argon2, any other console settings, and one account of each role: ada (admin), oscar (operator),
    vera (viewer)."""
    store = Store(db_path)
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
        self.db_path = server.db_path
        self.store = Store(server.db_path)

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

    def audit_rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.query("SELECT * FROM audit_log ORDER BY seq")]


def running_console(tmp_path: Path) -> Iterator[ConsoleCenter]:
    """A console center for a test module's fixture (``yield from running_console(tmp_path)``)."""
    db_path = tmp_path / "center.db"
    prepare(db_path)
    server = CenterServer(db_path)
    try:
        server.start()
        center = ConsoleCenter(server)
        try:
            yield center
        finally:
            center.store.close()
    finally:
        server.close()
