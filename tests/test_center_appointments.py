"""The center's appointments feed (网上预约 for halls' queue services, docs/hall.md): booked at the center, pulled
through the center client by a hall enrolled like a terminal; the person travels as a salted hash and a masked
name only, and terminals' own sync does not pull the feed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from kiosk.center_client import CenterClient
from kiosk.protocol import FEED_KINDS, secret_from_hex
from kiosk.protocol.hall import AppointmentData, appointment_person_hash
from tests.center_support import center_server  # noqa: F401 (fixture)

ID_NUMBER = "440102195001011238"


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60)


def test_an_appointment_booked_at_the_center_reaches_a_hall_as_hash_and_masked_name(center_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    db = center_server.db.args
    booked = kiosk(
        "center", "appointment", "add", *db, "--service", "sb", "--day", "2026-12-07",
        "--window", "09:00-09:30", "--id-number", ID_NUMBER, "--name", "陈秀英", "--json",
    )  # fmt: skip
    assert booked.returncode == 0, booked.stderr
    code = json.loads(booked.stdout)["code"]
    assert json.loads(booked.stdout)["masked_name"] == "陈*英"

    terminal_id, secret_hex = center_server.add_terminal("hall")
    with CenterClient(center_server.url, terminal_id, secret_from_hex(secret_hex), "HMAC-SHA256") as client:
        page = client.pull("appointments", "", 100)
    [entry] = page.entries
    appointment = AppointmentData.model_validate(entry.data)
    assert (entry.key, appointment.code, appointment.service) == (code, code, "SB")
    assert (appointment.day, appointment.starts, appointment.ends) == (date(2026, 12, 7), "09:00", "09:30")
    assert appointment.person.hash == appointment_person_hash(appointment.person.salt, ID_NUMBER)
    assert ID_NUMBER not in json.dumps(page.model_dump(mode="json"))
    if center_server.db.backend == "sqlite":
        assert ID_NUMBER.encode() not in center_server.db_path.read_bytes()

    assert kiosk("center", "appointment", "cancel", code, *db).returncode == 0
    with CenterClient(center_server.url, terminal_id, secret_from_hex(secret_hex), "HMAC-SHA256") as client:
        later = client.pull("appointments", page.next_cursor, 100)
    assert [(e.key, e.deleted) for e in later.entries] == [(code, True)]
    assert "appointments" not in FEED_KINDS, "terminals do not pull appointments"


def test_a_bad_appointment_is_refused_with_what_is_wrong(center_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    db = center_server.db.args
    wrong = kiosk(
        "center", "appointment", "add", *db, "--service", "SB", "--window", "10:00-09:00",
        "--id-number", ID_NUMBER, "--name", "陈秀英",
    )  # fmt: skip
    assert wrong.returncode == 2 and "window" in wrong.stderr and "Traceback" not in wrong.stderr
