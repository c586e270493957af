"""身份码: the reference center issues one-time identity codes for people it knows, a terminal resolves a scanned
code over the signed API into the session's Identity, and a code never works twice; offline the citizen is told
to use a card. Real center on 127.0.0.1, real terminal, real Qt objects for the prompt."""

from __future__ import annotations

import json
import logging
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from drivers.idcard.cards import SAMPLES
from kiosk.center.demo import publish_demo
from kiosk.center.store import Store, StoreError
from kiosk.center_client import CenterClient, IdentityCodeInvalid
from kiosk.cli.center_cmd import demo_people
from kiosk.cli.main import main
from kiosk.domain.identity import CardType
from kiosk.protocol import HMAC_SHA256, IDENTITY_CODE_PREFIX, new_secret, secret_from_hex, secret_to_hex
from kiosk.services.identity.identity_code import (
    INVALID_MESSAGE,
    OFFLINE_MESSAGE,
    IdentityCodeError,
    looks_like_identity_code,
)
from kiosk.ui.shell.identity_prompt import IdentityPrompt
from kiosk.ui.shell.identity_session import IdentitySession
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.tasks import pending_calls
from tests import center_support
from tests.center_support import KioskAuth
from tests.test_sync_engine import Rig

center_server = center_support.center_server

ELDER, HMT = SAMPLES["elder"], SAMPLES["hmt"]
RESOLVE = "/api/v1/identity/resolve"
WAIT = 20


@pytest.fixture
def people(center_server):
    """The center as ``serve --demo`` leaves it for identity codes: the sample card holders are known."""
    store = Store(center_server.db_path)
    try:
        report = publish_demo(store, None, None, demo_people())["people"]
        assert (report.changed, report.unchanged) == (len(SAMPLES), 0)
        again = publish_demo(store, None, None, demo_people())["people"]
        assert (again.changed, again.unchanged) == (0, len(SAMPLES))
        yield store
    finally:
        store.close()


@pytest.fixture
def rig(center_server, tmp_path):
    rig = Rig(center_server, tmp_path)
    yield rig
    rig.close()


def codes_of(rig: Rig):
    terminal, _ = rig.terminal()
    return terminal.citizen.identity_codes


def failure(future) -> IdentityCodeError:
    with pytest.raises(IdentityCodeError) as caught:
        future.result(WAIT)
    return caught.value


def test_a_code_resolves_once_to_the_person_it_was_issued_for(people, rig, center_server, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    service = codes_of(rig)
    issued = people.issue_identity_code(ELDER.id_number)
    assert issued.code.startswith(IDENTITY_CODE_PREFIX) and len(issued.code) == len(IDENTITY_CODE_PREFIX) + 32
    assert looks_like_identity_code(issued.code) and issued.code not in repr(issued)

    identity = service.resolve_async(f" {issued.code}\r\n").result(WAIT)  # as a scanner may deliver it
    assert identity.card_type is CardType.IDENTITY_CODE and identity.card_type.label == "身份码"
    assert (identity.name, identity.id_number) == (ELDER.name, ELDER.id_number)
    assert (identity.sex, identity.sex_code, identity.nation, identity.nation_code) == ("女", "2", "汉", "01")
    assert (identity.birth_date, identity.address) == (date(1948, 3, 15), ELDER.address)
    assert identity.valid
    assert repr(identity) == "Identity(identity_code, 陈*英, 441************621)"

    # One code, one identity: the same code again (a screenshot of it, another terminal) is refused.
    again = failure(service.resolve_async(issued.code))
    assert (again.code, again.message) == ("invalid", INVALID_MESSAGE)
    other = codes_of(rig)
    assert failure(other.resolve_async(issued.code)).code == "invalid"

    # Neither the code nor the person shows up in a log line, nor in the center's database files.
    for secret in (issued.code, issued.code[len(IDENTITY_CODE_PREFIX) :], ELDER.name, ELDER.id_number):
        assert secret not in caplog.text
    assert "identity code refused" in caplog.text and "code used before" in caplog.text
    stored = b"".join(path.read_bytes() for path in Path(center_server.db_path).parent.glob("center.db*"))
    for secret in (issued.code, ELDER.name, ELDER.id_number, ELDER.address):
        assert secret.encode("utf-8") not in stored


def test_expired_unknown_and_foreign_codes_are_refused(people, center_server) -> None:
    terminal_id, secret_hex = center_server.add_terminal("t")
    expired = people.issue_identity_code(HMT.id_number, 300, now=time.time() - 301).code
    fresh = people.issue_identity_code(HMT.id_number, 300).code
    with CenterClient(center_server.url, terminal_id, secret_from_hex(secret_hex), HMAC_SHA256) as client:
        for code in (expired, IDENTITY_CODE_PREFIX + "A" * 32, fresh + "x", "not a code at all"):
            with pytest.raises(IdentityCodeInvalid):
                client.resolve_identity_code(code)
        info = client.resolve_identity_code(fresh)
        assert (info.name, info.id_number, info.card_type, info.nation) == (
            HMT.name,
            HMT.id_number,
            "identity_code",
            "",
        )
        assert HMT.name not in repr(info) and HMT.id_number not in repr(info)
        assert info.expires_at.utcoffset() is not None
    session = requests.Session()
    session.auth = center_server.auth(terminal_id, secret_hex)
    answer = session.post(center_server.url + RESOLVE, json={"code": fresh}, timeout=10)
    assert (answer.status_code, answer.json()) == (404, {"error": "identity_code_invalid"})
    for body in ({"code": ""}, {"code": "x" * 513}, {"code": 12}, {"code": "GDID:x", "more": 1}, {}):
        assert session.post(center_server.url + RESOLVE, json=body, timeout=10).status_code == 422
    lone = session.post(
        center_server.url + RESOLVE,
        data=b'{"code": "\\ud800"}',
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert lone.status_code == 422
    with pytest.raises(StoreError):
        people.issue_identity_code("110101199003074514")  # a person the center does not know
    with pytest.raises(StoreError):
        people.issue_identity_code(HMT.id_number, 0)


def test_the_route_needs_a_signature_and_a_refused_request_leaves_the_code_unused(
    people, center_server
) -> None:
    terminal_id, secret_hex = center_server.add_terminal("t")
    code = people.issue_identity_code(ELDER.id_number).code
    body = {"code": code}
    for auth in (
        None,
        KioskAuth(terminal_id, secret_to_hex(new_secret())),
        KioskAuth("T-00000000", secret_hex),
    ):
        refused = requests.post(center_server.url + RESOLVE, json=body, auth=auth, timeout=10)
        assert (refused.status_code, refused.content) == (401, b'{"error":"unauthorized"}')
    center_server.set_enabled(terminal_id, False)
    refused = requests.post(
        center_server.url + RESOLVE, json=body, auth=center_server.auth(terminal_id, secret_hex), timeout=10
    )
    assert refused.status_code == 401
    center_server.set_enabled(terminal_id, True)
    answer = requests.post(
        center_server.url + RESOLVE, json=body, auth=center_server.auth(terminal_id, secret_hex), timeout=10
    )
    assert answer.status_code == 200 and answer.json()["identity"]["id_number"] == ELDER.id_number
    assert answer.json()["identity"]["birth_date"] == "1948-03-15"


def test_offline_or_not_enrolled_the_citizen_is_told_to_use_a_card(
    people, rig, center_server, terminal
) -> None:
    service = codes_of(rig)
    code = people.issue_identity_code(ELDER.id_number).code
    center_server.stop()
    offline = failure(service.resolve_async(code))
    assert (offline.code, offline.message, str(offline)) == ("offline", OFFLINE_MESSAGE, OFFLINE_MESSAGE)
    # The code was never used: back online, it still works.
    center_server.start()
    assert service.resolve_async(code).result(WAIT).id_number == ELDER.id_number

    never_enrolled = terminal.citizen.identity_codes  # a terminal with no center at all
    refused = failure(never_enrolled.resolve_async(code))
    assert (refused.code, refused.message) == ("not_enrolled", OFFLINE_MESSAGE)
    assert failure(service.resolve_async("https://example.invalid/rate?r=A012")).code == "not_a_code"


def test_what_looks_like_an_identity_code() -> None:
    assert looks_like_identity_code("GDID:" + "aZ09_-" * 5 + "xy")
    assert looks_like_identity_code("  GDID:" + "a" * 32 + "\n")
    for text in (
        "",
        "GDID:",
        "GDID:short",
        "gdid:" + "a" * 32,
        "GDID:" + "a" * 31 + "!",
        "GDID:" + "a" * 600,
        "https://example.invalid/rate?r=A012",
        "T-demo0001-261118-000003-X",
    ):
        assert not looks_like_identity_code(text), text


def test_the_cli_issues_codes_for_sample_and_named_people(tmp_path, capsys, center_server) -> None:
    db = str(center_server.db_path)
    assert main(["center", "identity-code", "issue", ELDER.id_number, "--json", "--db", db]) == 0
    issued = json.loads(capsys.readouterr().out)
    assert (issued["name"], issued["id_number"]) == ("陈*英", "441************621")
    assert looks_like_identity_code(issued["code"])

    assert main(["center", "identity-code", "issue", "110101199003074514", "--db", db]) == 1
    assert "--name" in capsys.readouterr().err
    assert (
        main(["center", "identity-code", "issue", "110101199003074514", "--name", "王小明", "--db", db]) == 0
    )
    named_code, description = capsys.readouterr().out.splitlines()
    assert "王*明" in description and "王小明" not in description
    assert main(["center", "identity-code", "issue", "110101199003074514", "--ttl", "0", "--db", db]) == 2
    assert "lifetime" in capsys.readouterr().err
    assert main(["center", "identity-code", "issue", HMT.id_number, "--qr", "--db", db]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert looks_like_identity_code(shown[0]) and "张*明" in shown[1] and len(shown) > 10 and "█" in shown[3]

    terminal_id, secret_hex = center_server.add_terminal("t")
    with CenterClient(center_server.url, terminal_id, secret_from_hex(secret_hex), HMAC_SHA256) as client:
        assert client.resolve_identity_code(issued["code"]).name == ELDER.name
        named = client.resolve_identity_code(named_code)
        # Birth date and sex come from the 18-digit number when not given.
        assert (named.name, named.sex, named.birth_date) == ("王小明", "男", date(1990, 3, 7))


# --- the prompt: a scanned code opens the session -----------------------------------------------------------


@pytest.fixture
def prompt(qapp, qtbot, rig):
    terminal, _ = rig.terminal()
    session, navigator = IdentitySession(), Navigator({"identify", "progress"})
    prompt = IdentityPrompt(session, navigator, services=lambda: terminal.citizen)
    yield prompt, session, navigator
    qtbot.waitUntil(lambda: pending_calls() == 0, timeout=10_000)
    for obj in (prompt, navigator, session):
        obj.deleteLater()


def test_a_scanned_code_begins_the_session_and_goes_on(people, prompt, qtbot) -> None:
    prompt, session, navigator = prompt
    code = people.issue_identity_code(ELDER.id_number).code
    assert not prompt.on_scan(code)  # the prompt is not showing: the code is someone else's business
    went_on: list[str] = []

    def action() -> None:
        went_on.append("progress")
        prompt.open("progress")

    prompt.run_with_identity("查询办件进度需要核对您的身份", action)
    assert navigator.current == "identify"
    assert not prompt.on_scan("https://example.invalid/rate?r=A012")  # a rating code: not the prompt's
    assert prompt.on_scan(code)
    assert prompt.busy and not session.active
    qtbot.waitUntil(lambda: went_on == ["progress"], timeout=WAIT * 1000)
    assert session.active and (session.maskedName, session.cardType) == ("陈*英", "identity_code")
    assert session.identity().id_number == ELDER.id_number
    assert navigator.stack() == ("home", "progress") and not prompt.busy and prompt.problem == ""


def test_a_used_or_offline_code_is_explained_and_the_prompt_stays(
    people, prompt, qtbot, center_server
) -> None:
    prompt, session, navigator = prompt
    code = people.issue_identity_code(ELDER.id_number).code
    went_on: list[str] = []
    prompt.run_with_identity("", lambda: went_on.append("yes"))

    people.resolve_identity_code(code, "T-elsewhere")  # already used (on another terminal)
    assert prompt.on_scan(code)
    qtbot.waitUntil(lambda: prompt.problem != "", timeout=WAIT * 1000)
    assert prompt.problem == INVALID_MESSAGE and not prompt.busy
    assert navigator.current == "identify" and prompt.waiting and not session.active and went_on == []

    center_server.stop()
    assert prompt.on_scan(people.issue_identity_code(ELDER.id_number).code)
    assert prompt.busy and prompt.problem == ""
    qtbot.waitUntil(lambda: prompt.problem != "", timeout=WAIT * 1000)
    assert prompt.problem == OFFLINE_MESSAGE and navigator.current == "identify" and went_on == []

    navigator.back()  # 返回: the prompt forgets what was asked
    assert not prompt.waiting and prompt.problem == ""
