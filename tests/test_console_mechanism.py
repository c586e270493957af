"""The console's mechanism against a real center on 127.0.0.1: signing in and out, the throttle on failed
sign-ins, sessions that end when idle and when old, CSRF and Origin checks on every form, each role's limits, the
audit log, the security headers, English, and plain pages for errors."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest

from kiosk.center.console import accounts, settings
from kiosk.center.console.i18n import catalog
from tests.center_support import CenterDb
from tests.console_support import PASSWORD, ConsoleCenter, prepare, running_console


@pytest.fixture
def console(center_db: CenterDb) -> Iterator[ConsoleCenter]:
    yield from running_console(center_db)


def actions(center: ConsoleCenter) -> list[tuple[str, str, str]]:
    return [(row["operator"], row["action"], row["target"]) for row in center.audit_rows()]


def test_an_operator_signs_in_lands_where_they_were_going_and_is_audited(console: ConsoleCenter) -> None:
    browser = console.browser()
    asked = browser.get("/audit")
    assert asked.url.endswith("/console/signin?next=%2Faudit")  # not signed in: to the sign-in page first
    signed = browser.sign_in("ada", next_path="/audit")
    assert signed.status_code == 200
    assert signed.url.endswith("/console/audit")
    assert "ada · 管理员" in signed.text
    cookie = next(c for c in browser.http.cookies if c.name == "kiosk_console")
    assert cookie.path == "/console"
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert str(cookie.get_nonstandard_attr("SameSite")).lower() == "strict"
    assert not cookie.secure  # plain HTTP on 127.0.0.1
    stored = console.query("SELECT token_hash FROM console_sessions")
    assert [row["token_hash"] for row in stored] != [cookie.value]  # only the token's hash is kept
    assert ("ada", "sign_in", "ada") in actions(console)


def test_a_wrong_password_is_refused_plainly_and_audited(console: ConsoleCenter) -> None:
    browser = console.browser()
    refused = browser.sign_in("ada", "not the password")
    assert refused.status_code == 401
    assert "用户名或密码不对" in refused.text
    assert "kiosk_console" not in browser.http.cookies
    unknown = browser.sign_in("nobody", "whatever it is")
    assert unknown.status_code == 401
    assert ("-", "sign_in_failed", "ada") in actions(console)
    assert ("-", "sign_in_failed", "nobody") in actions(console)


def test_five_failures_in_a_row_stop_sign_in_for_that_name_with_the_minutes_to_wait(
    console: ConsoleCenter,
) -> None:
    browser = console.browser()
    for _ in range(5):
        assert browser.sign_in("oscar", "guess guess guess").status_code == 401
    stopped = browser.sign_in("oscar")  # even the right password, for now
    assert stopped.status_code == 429
    assert re.search(r"请 1[0-5] 分钟后再试", stopped.text)
    assert "kiosk_console" not in browser.http.cookies
    assert console.browser("vera")  # another name from the same address still signs in
    # Counted in the database (every worker sees the same): the window moving on frees the name.
    console.execute("UPDATE sign_in_failures SET at_unix = at_unix - 900")
    assert console.browser().sign_in("oscar").status_code == 200
    assert ("-", "sign_in_throttled", "oscar") in actions(console)


def test_a_session_ends_when_idle_and_when_too_old_and_at_sign_out(console: ConsoleCenter) -> None:
    idle = console.browser("ada")
    console.execute("UPDATE console_sessions SET last_seen_unix = last_seen_unix - 31 * 60")
    assert idle.get("/audit").url.endswith("/console/signin?next=%2Faudit")
    old = console.browser("ada")
    console.execute("UPDATE console_sessions SET created_unix = created_unix - 12 * 3600 - 60")
    assert old.get("/audit").url.endswith("/signin?next=%2Faudit")
    leaving = console.browser("ada")
    token = leaving.http.cookies["kiosk_console"]
    assert leaving.post("/signout").url.endswith("/console/signin")
    assert console.query("SELECT count(*) AS n FROM console_sessions")[0]["n"] == 0
    leaving.http.cookies.set("kiosk_console", token, path="/console")  # the old cookie, kept by someone
    assert leaving.get("/audit").url.endswith("/signin?next=%2Faudit")
    assert ("ada", "sign_out", "ada") in actions(console)


def test_a_page_refreshing_itself_does_not_keep_an_idle_session_alive(console: ConsoleCenter) -> None:
    browser = console.browser("vera")
    console.execute("UPDATE console_sessions SET last_seen_unix = last_seen_unix - 20 * 60")
    poll = {"HX-Request": "true", "HX-Trigger": "fleet-table", "HX-Target": "fleet-table"}
    assert browser.get("/fleet", headers=poll).status_code == 200  # still within the 30 minutes
    console.execute("UPDATE console_sessions SET last_seen_unix = last_seen_unix - 11 * 60")
    ended = browser.get("/fleet", headers=poll, allow_redirects=False)
    assert ended.headers["HX-Redirect"] == "/console/signin?next=%2Ffleet"  # htmx takes the page there
    active = console.browser("vera")
    console.execute("UPDATE console_sessions SET last_seen_unix = last_seen_unix - 20 * 60")
    assert active.get("/fleet").status_code == 200  # the operator's own request counts
    console.execute("UPDATE console_sessions SET last_seen_unix = last_seen_unix - 11 * 60")
    assert active.get("/fleet").url.endswith("/console/fleet")


def test_session_lifetimes_are_center_settings(console: ConsoleCenter) -> None:
    settings.write(console.store, "session_idle_minutes", "5")
    browser = console.browser("ada")
    console.execute("UPDATE console_sessions SET last_seen_unix = last_seen_unix - 6 * 60")
    assert "/signin" in browser.get("/audit").url


def test_every_form_needs_the_sessions_token_and_this_consoles_origin(console: ConsoleCenter) -> None:
    admin = console.browser("ada")
    form = {"name": "newcomer", "role": "viewer", "password": PASSWORD}
    assert admin.post("/operators", form, csrf="").status_code == 403
    assert admin.post("/operators", form, csrf="0" * 64).status_code == 403
    other = admin.post("/operators", form, origin="http://evil.example")
    assert other.status_code == 403
    assert "安全检查" in other.text
    no_origin = admin.http.post(
        console.url + "/console/operators", data={"csrf": admin.csrf, **form}, timeout=30
    )
    assert no_origin.status_code == 403  # neither Origin nor Referer: refused
    assert accounts.account(console.store, "newcomer") is None
    # htmx sends the token in its header (hx-headers on <body>), with the same Origin check.
    by_header = admin.http.post(
        console.url + "/console/operators",
        data=form,
        headers={"X-CSRF-Token": admin.csrf, "Origin": console.url, "HX-Request": "true"},
        timeout=30,
    )
    assert by_header.status_code == 200
    assert by_header.headers["HX-Redirect"] == "/console/operators"
    assert accounts.account(console.store, "newcomer") is not None
    another = console.browser("oscar")  # a token is its session's: another session's is refused
    assert another.post("/language", {"lang": "en"}, csrf=admin.csrf).status_code == 403


def test_each_role_sees_and_does_only_what_it_may(console: ConsoleCenter) -> None:
    viewer, operator, admin = console.browser("vera"), console.browser("oscar"), console.browser("ada")
    for browser in (viewer, operator):
        page = browser.get("/operators")
        assert page.status_code == 403
        assert "您的角色不能做这件事" in page.text
        assert "/console/operators" not in browser.get("/fleet").text  # not in their navigation either
        assert browser.post("/operators/vera/enabled", {"enabled": "0"}).status_code == 403
    assert admin.get("/operators").status_code == 200
    assert admin.get("/audit").status_code == 200
    assert admin.post("/operators/vera/role", {"role": "operator"}).status_code == 200
    assert accounts.account(console.store, "vera").role == "operator"  # type: ignore[union-attr]
    assert admin.post("/operators/ada/role", {"role": "viewer"}).status_code == 409  # not one's own
    assert admin.post("/operators/oscar/enabled", {"enabled": "0"}).status_code == 200
    assert "/signin" in operator.get("/fleet").url  # a disabled operator's session ends at once
    assert ("ada", "operator_role", "vera") in actions(console)
    assert ("ada", "operator_disabled", "oscar") in actions(console)


def test_the_audit_page_filters_by_operator_and_action(console: ConsoleCenter) -> None:
    console.browser("vera")
    console.browser().sign_in("vera", "a wrong password")
    admin = console.browser("ada")
    page = admin.get("/audit", params={"action": "sign_in_failed"})
    rows = re.findall(r"<tr><td>[^<]+</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", page.text)
    assert rows == [("-", "登录失败", "vera")]
    mine = admin.get("/audit", params={"operator": "vera"})
    assert "共 1 条" in mine.text


def test_every_console_response_carries_the_security_headers(console: ConsoleCenter) -> None:
    browser = console.browser("ada")
    for response in (
        browser.get("/signin"),
        browser.get("/audit"),
        browser.get("/no-such-page"),
        browser.post("/operators", {}, csrf="wrong"),
    ):
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store"
    missing = browser.get("/no-such-page")
    assert missing.status_code == 404
    assert "没有这个页面" in missing.text
    assert "Traceback" not in missing.text
    # No inline script anywhere (the CSP would block it); htmx is served from the console itself.
    page = browser.get("/audit").text
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/console/static/htmx.min.js" defer>',
        '<script src="/console/static/console.js" defer>',
    ]
    assert " style=" not in page
    htmx = browser.get("/static/htmx.min.js")
    assert htmx.status_code == 200
    assert htmx.headers["Content-Type"].startswith("text/javascript")


def test_english_is_kept_in_the_session_and_before_sign_in_in_a_cookie(console: ConsoleCenter) -> None:
    browser = console.browser()
    browser.get("/signin")
    english = browser.post("/language", {"lang": "en"})
    assert english.url.endswith("/console/signin")
    assert '<html lang="en">' in english.text
    assert "Sign in" in english.text
    signed = browser.sign_in("ada", next_path="/audit")
    assert "Audit log" in signed.text
    assert "ada · Admin" in signed.text
    back = browser.post("/language", {"lang": "zh", "next": "/audit"})
    assert back.url.endswith("/console/audit")
    assert "审计日志" in back.text
    refused = console.browser().sign_in("ada", "wrong password!")
    assert "用户名或密码不对" in refused.text


def test_a_password_is_hashed_again_when_the_argon2_parameters_change(center_db: CenterDb) -> None:
    store = center_db.store()
    try:
        for name, value in {
            "argon2_time_cost": "1",
            "argon2_memory_kib": "64",
            "argon2_parallelism": "1",
        }.items():
            settings.write(store, name, value)
        accounts.add(store, "ada", "admin", PASSWORD)
        before = store.query("SELECT password_hash FROM operators")[0]["password_hash"]
        assert before.startswith("$argon2id$") and "m=64," in before
        settings.write(store, "argon2_memory_kib", "128")
        assert accounts.verify(store, "ada", "wrong password") is None
        assert store.query("SELECT password_hash FROM operators")[0]["password_hash"] == before
        assert accounts.verify(store, "ada", PASSWORD) is not None
        after = store.query("SELECT password_hash FROM operators")[0]["password_hash"]
        assert "m=128," in after
        assert accounts.verify(store, "ada", PASSWORD) is not None
    finally:
        store.close()


def console_strings() -> set[str]:
    """The console's Chinese strings: those its templates pass to t() and every Chinese literal of its Python (but
    docstrings, and the bare error page, which carries both languages)."""
    root = Path(str(files("kiosk.center.console")))
    found: set[str] = set()
    calls = re.compile(r"""\bt\(\s*(["'])(.+?)\1""")
    for path in root.rglob("*.html"):
        found.update(match.group(2) for match in calls.finditer(path.read_text(encoding="utf-8")))
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        found.update(
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        )
    return {text for text in found if re.search(r"[\u4e00-\u9fff]", text) and "<" not in text}


def test_every_string_of_the_console_has_its_english() -> None:
    english = catalog()
    assert sorted(text for text in console_strings() if not english.get(text)) == []
    document = json.loads((Path(str(files("kiosk.center.console"))) / "en.json").read_text(encoding="utf-8"))
    assert [text for text in document.values() if re.search(r"[\u4e00-\u9fff]", text)] == []


@pytest.mark.parametrize("password", ["short", ""])
def test_the_operator_command_refuses_a_short_password(
    center_db: CenterDb, password: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from kiosk.cli.main import main

    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    assert (
        main(["center", "operator", "add", "ada", "--role", "admin", "--password-stdin", *center_db.args])
        == 2
    )
    assert "at least 10 characters" in capsys.readouterr().err


def test_the_operator_command_manages_accounts_and_audits_them(
    center_db: CenterDb, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from kiosk.cli.main import main

    store = center_db.store()
    for name, value in {
        "argon2_time_cost": "1",
        "argon2_memory_kib": "64",
        "argon2_parallelism": "1",
    }.items():
        settings.write(store, name, value)

    def cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(["center", "operator", *args, *center_db.args])
        out, err = capsys.readouterr()
        return code, out, err

    try:
        assert cli("add", "ada", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
        assert cli("add", "ada", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n")[0] == 2
        assert cli("add", "bad name!", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n")[0] == 2
        assert cli("role", "ada", "operator")[0] == 0
        assert cli("disable", "ada")[0] == 0
        code, out, _ = cli("list", "--json")
        assert code == 0
        listed = json.loads(out)
        assert [(a["name"], a["role"], a["enabled"]) for a in listed] == [("ada", "operator", False)]
        assert cli("enable", "ada")[0] == 0
        assert cli("passwd", "ada", "--password-stdin", stdin="a new password, long\n")[0] == 0
        assert accounts.verify(store, "ada", "a new password, long") is not None
        assert cli("passwd", "nobody", "--password-stdin", stdin=PASSWORD + "\n")[0] == 2
        code, _, err = cli("settings", "--set", "session_idle_minutes=0")
        assert code == 2 and "1 to 1440" in err
        assert cli("settings", "--set", "session_idle_minutes=15")[0] == 0
        assert settings.read(store).session_idle_minutes == 15
        done = [row["action"] for row in store.query("SELECT action FROM audit_log ORDER BY seq")]
        assert done == [
            "operator_added",
            "operator_role",
            "operator_disabled",
            "operator_enabled",
            "operator_password",
            "settings_changed",
        ]
    finally:
        store.close()


def test_sessions_and_the_throttle_hold_across_workers(center_db: CenterDb) -> None:
    from tests.center_support import CenterProcess
    from tests.console_support import Browser

    prepare(center_db)
    center = CenterProcess(center_db, "--workers", "2")
    try:
        browser = Browser(center.url)
        assert browser.sign_in("ada", next_path="/audit").status_code == 200
        pages = [browser.get("/audit") for _ in range(12)]  # whichever worker answers knows the session
        assert all(page.status_code == 200 and "ada · 管理员" in page.text for page in pages)
        stranger = Browser(center.url)
        for _ in range(5):
            assert stranger.sign_in("oscar", "not the password").status_code == 401
        assert stranger.sign_in("oscar").status_code == 429
    finally:
        center.close()
