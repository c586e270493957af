"""The OpenAPI document against the served API: generated requests, validly signed, never get a 5xx.

The schema is built from the application at import (schemathesis parametrises at collection time, before any
server runs), and the test checks that the running center serves exactly that document. Requests are signed by a
``requests`` auth on the session, after schemathesis has serialised them, so the signature covers the exact bytes
sent. Negative cases (bodies and parameters that break the schema) must be answered 4xx with the protocol's error
body, and every answer must match the document. Each generated body is also sent spoiled in the ways JSON Schema
cannot express and the strict parser refuses (a lone surrogate, NUL, ``1e999``, NaN, a repeated key, deep
nesting): answered 4xx with the error body, or for a push batch 200 with one result per record.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from schemathesis import GenerationMode

from kiosk.center.app import create_app
from kiosk.center.store import Store
from tests.center_support import HOSTILE_JSON, CenterServer, KioskAuth, spoil_json

MAX_EXAMPLES = 25


def _document() -> dict:
    store = Store(":memory:")
    try:
        return create_app(store).openapi()
    finally:
        store.close()


DOCUMENT = _document()


def _config() -> schemathesis.Config:
    config = schemathesis.Config()
    project = config.projects.default
    project.update(request_timeout=10)
    project.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        with_security_parameters=False,
        deterministic=True,
        database="none",
    )
    # A cursor is opaque: any string is schema-valid, but one the center did not issue is refused with
    # 400 bad_cursor by design (docs/protocol.md), so 400 counts as an acceptable answer to valid data too.
    acceptance = project.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "400"]
    return config


class _LateAuth(requests.auth.AuthBase):
    """Signs as the terminal the fixture registers (the schema exists before any server does)."""

    signer: KioskAuth | None = None

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        assert self.signer is not None
        return self.signer(request)


AUTH = _LateAuth()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=_config())
schema.auth.set_from_requests(AUTH)


@pytest.fixture(scope="module")
def center() -> Iterator[tuple[CenterServer, requests.Session]]:
    """One center for every generated case (module scope: hypothesis reuses it across inputs anyway)."""
    with tempfile.TemporaryDirectory() as directory:
        server = CenterServer(Path(directory) / "center.db")
        try:
            server.start()
            assert requests.get(server.url + "/openapi.json", timeout=10).json() == DOCUMENT
            terminal_id, secret_hex = server.add_terminal("schemathesis")
            server.publish(
                "notices",
                [
                    {
                        "key": "n1",
                        "version": 1,
                        "deleted": False,
                        "data": {
                            "title": "通知",
                            "body": "",
                            "level": "info",
                            "starts_at": "2026-11-22T08:00:00+08:00",
                        },
                    },
                    {"key": "n2", "version": 2, "deleted": True, "data": None},
                ],
            )
            AUTH.signer = server.auth(terminal_id, secret_hex)
            with requests.Session() as session:
                yield server, session
        finally:
            server.close()


@schema.parametrize()
def test_api_conforms_to_its_document(
    case: schemathesis.Case, center: tuple[CenterServer, requests.Session]
) -> None:
    server, session = center
    case.call_and_validate(base_url=server.url, session=session)
    if case.method != "POST" or not isinstance(case.body, dict | list):
        return
    for number, hostile in enumerate(HOSTILE_JSON):
        body = spoil_json(case.body, hash((case.path, number)) & 0xFFFF, hostile)
        response = session.post(
            server.url + case.formatted_path,
            data=body,
            headers={"Content-Type": "application/json"},
            auth=AUTH,
            timeout=10,
        )
        assert response.status_code < 500, (body, response.text)
        answer = response.json()
        if response.status_code >= 400:
            assert set(answer) == {"error"} and answer["error"], answer
        elif case.path.endswith("/records"):
            assert isinstance(answer.get("results"), list)
