"""Taking a number (取号) and checking in an appointment (预约签到).

The number is taken in the transaction that stores the ticket: the service's row for the day in ``day_numbers``
is incremented (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) under the write lock of ``BEGIN IMMEDIATE``, the
ticket inserted, and both commit together or not at all. A number is therefore never given twice (the row is
only ever read and written inside the lock, and ``UNIQUE (day, service, number)`` would refuse a second one) and
never skipped (a refusal or a crash before the commit leaves the row as it was). The answer is sent after the
commit; if it is lost, the client asks again with the same ``request_id`` and gets the same ticket
(``kiosk.hall.hall.Hall.perform``).
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

from kiosk.hall import layout
from kiosk.hall.clock import at_clock, clock_time, iso
from kiosk.hall.errors import Refused
from kiosk.hall.people import age_on, birth_date, mask_name, person_key
from kiosk.hall.settings import person_salt
from kiosk.hall.tx import Tx
from kiosk.hall.views import ahead_of, estimated_wait_min, is_open, ticket_view
from kiosk.protocol.hall import (
    GREEN_REASONS,
    OPEN_STATES,
    CheckinRequest,
    TakeRequest,
    appointment_person_hash,
)

TICKET_FORMAT = "kiosk-hall-ticket/1"


def take(tx: Tx, request: TakeRequest) -> dict[str, Any]:
    service = tx.services().get(request.service)
    if service is None:
        raise Refused(404, "unknown_service", "没有这项业务，请选择其他业务或咨询工作人员")
    if not is_open(service, tx.now):
        raise Refused(409, "service_closed", f"{service.name}的取号时间为 {service.hours}，请在该时间内取号")
    key = masked = None
    if service.real_name:
        if request.person is None:
            raise Refused(422, "card_required", f"{service.name}需实名取号：请刷身份证或出示身份码")
        key = person_key(person_salt(tx.db), request.person.id_number)
        masked = mask_name(request.person.name)
        _check_person(tx, service, key)
    priority, reason = "normal", ""
    if request.green is not None:
        priority, reason = "green", GREEN_REASONS[request.green]
    elif request.person is not None:
        born = birth_date(request.person)
        if born is not None and age_on(born, tx.day) >= tx.settings.green_age:
            priority, reason = "green", GREEN_REASONS["age"]
    row = issue(tx, service, priority=priority, reason=reason, person=key, masked_name=masked or "")
    return taken_answer(tx, row)


def _check_person(tx: Tx, service: layout.Service, key: str) -> None:
    """实名 rules: one open ticket per person and service, and a daily cap per person (号贩子 take many)."""
    open_here = tx.conn.execute(
        f"SELECT label FROM tickets WHERE day = ? AND person_hash = ? AND state IN {OPEN_STATES!r} "
        "AND (queue_service = ? OR service = ?)",
        (tx.day_text, key, service.code, service.code),
    ).fetchone()
    if open_here is not None:
        raise Refused(
            409,
            "person_has_open_ticket",
            f"您已取过{service.name}的号（{open_here['label']}），请等候叫号，无需重复取号",
            details={"number": str(open_here["label"])},
        )
    today = tx.conn.execute(
        "SELECT COUNT(*) FROM tickets WHERE day = ? AND person_hash = ?", (tx.day_text, key)
    ).fetchone()[0]
    if today >= tx.settings.person_daily_cap:
        raise Refused(
            409,
            "person_daily_cap",
            f"每人每天最多取 {tx.settings.person_daily_cap} 个号，您今天已取满；如有需要请咨询工作人员",
            details={"cap": str(tx.settings.person_daily_cap)},
        )


def issue(
    tx: Tx,
    service: layout.Service,
    *,
    priority: str,
    reason: str,
    person: str | None = None,
    masked_name: str = "",
    window_starts: float | None = None,
    appointment: str | None = None,
    over_cap: bool = False,
) -> sqlite3.Row:
    """The next number of ``service`` today, stored as a ticket (the caller's transaction commits both)."""
    full = Refused(409, "service_full", f"{service.name}今天的号已取完，请明天再来或咨询工作人员")
    while True:
        issued = tx.conn.execute(
            "INSERT INTO day_numbers (service, day, issued) VALUES (?, ?, 1) "
            "ON CONFLICT (service, day) DO UPDATE SET issued = issued + 1 RETURNING issued",
            (service.code, tx.day_text),
        ).fetchone()[0]
        number = service.number_first + issued - 1
        if number > service.number_last or (issued > service.daily_cap and not over_cap):
            raise full
        try:
            row = _insert(
                tx, service, number, priority, reason, person, masked_name, window_starts, appointment
            )
            break
        except sqlite3.IntegrityError:
            # The range was changed during the day: pass over a number a ticket already has (UNIQUE (day,
            # service, number) refused the row, and only the row: the transaction goes on).
            continue
    tx.action(row, "taken", detail=priority)
    tx.event("ticket.taken", {"ticket": ticket_view(tx, row), "waiting": tx.waiting_counts()})
    body: dict[str, Any] = {
        "format": TICKET_FORMAT,
        "hall": tx.settings.hall_code,
        "ticket_id": row["id"],
        "day": tx.day_text,
        "service": service.code,
        "number": row["label"],
        "priority": priority,
        "priority_reason": reason,
        "taken_at": iso(tx.now),
        "taken_by": tx.terminal_id or "hall",
    }
    if appointment:
        body["appointment_code"] = appointment
    tx.record("ticket", body)
    return row


def _insert(
    tx: Tx,
    service: layout.Service,
    number: int,
    priority: str,
    reason: str,
    person: str | None,
    masked_name: str,
    window_starts: float | None,
    appointment: str | None,
) -> sqlite3.Row:
    label = service.label(number)
    ticket_id = f"{tx.settings.hall_code}-{tx.day:%Y%m%d}-{service.code}-{number}"
    cursor = tx.conn.execute(
        "INSERT INTO tickets (id, day, service, number, label, queue_service, state, priority, priority_reason, "
        "window_starts, appointment_code, person_hash, masked_name, taken_at, taken_by, queue_at, token) "
        "VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ticket_id,
            tx.day_text,
            service.code,
            number,
            label,
            service.code,
            priority,
            reason,
            window_starts,
            appointment,
            person,
            masked_name,
            tx.now,
            tx.terminal_id or "hall",
            tx.now,
            secrets.token_urlsafe(12),
        ),
    )
    row = tx.conn.execute("SELECT * FROM tickets WHERE seq = ?", (cursor.lastrowid,)).fetchone()
    return row


def taken_answer(tx: Tx, row: sqlite3.Row) -> dict[str, Any]:
    ahead = ahead_of(tx, row) if row["state"] == "waiting" else 0
    serving = tx.conn.execute(
        "SELECT c.number, c.name FROM counter_services s JOIN counters c ON c.number = s.counter "
        "WHERE s.service = ? ORDER BY c.number",
        (row["queue_service"],),
    ).fetchall()
    counters, names = [r["number"] for r in serving], [r["name"] for r in serving]
    return {
        "ticket": ticket_view(tx, row, ahead=ahead),
        "hall_name": tx.settings.hall_name,
        "estimated_wait_min": estimated_wait_min(tx, row["queue_service"], ahead),
        "counters": counters,
        "counter_names": names,
    }


def check_in(tx: Tx, request: CheckinRequest) -> dict[str, Any]:
    """预约签到: the appointment's ticket, in the appointment lane once its window begins. Checked in before, the
    same ticket again (to show or print once more)."""
    if request.code is not None:
        appointment = tx.conn.execute(
            "SELECT * FROM appointments WHERE code = ? AND cancelled = 0", (request.code,)
        ).fetchone()
        if appointment is None:
            raise Refused(404, "appointment_not_found", "没有找到这个预约，请核对预约码，或咨询工作人员")
    else:
        assert request.person is not None
        appointment = _appointment_of(tx, request)
    day = tx.day_text
    if appointment["day"] > day:
        raise Refused(
            409,
            "wrong_day",
            f"您的预约在 {appointment['day']}，请在预约当天来签到",
            details={"day": str(appointment["day"])},
        )
    if appointment["day"] < day:
        raise Refused(
            409,
            "too_late",
            f"您的预约在 {appointment['day']}，已过期：请重新预约或现场取号",
            details={"day": str(appointment["day"])},
        )
    if appointment["ticket"] is not None:
        row = tx.conn.execute("SELECT * FROM tickets WHERE seq = ?", (appointment["ticket"],)).fetchone()
        if row is not None:
            return taken_answer(tx, row)
    starts = at_clock(tx.day, appointment["starts"])
    ends = at_clock(tx.day, appointment["ends"])
    window = f"{appointment['starts']}-{appointment['ends']}"
    opens_at = starts - tx.settings.checkin_early_min * 60
    if tx.now < opens_at:
        raise Refused(
            409,
            "too_early",
            f"您预约的时间是 {window}，请在 {clock_time(opens_at)} 以后签到",
            details={"window": window, "opens": clock_time(opens_at)},
        )
    if tx.now > ends:
        raise Refused(
            409, "too_late", f"您预约的时间 {window} 已过，请现场取号或重新预约", details={"window": window}
        )
    service = tx.services().get(appointment["service"])
    if service is None:
        raise Refused(
            409, "unknown_service", "本大厅没有您预约的业务，请咨询工作人员", details={"for": "appointment"}
        )
    row = issue(
        tx,
        service,
        priority="appointment",
        reason=f"预约 {window}",
        masked_name=appointment["masked_name"],
        window_starts=starts,
        appointment=appointment["code"],
        over_cap=True,  # a booked appointment is served even when the day's walk-in numbers have run out
    )
    tx.conn.execute("UPDATE appointments SET ticket = ? WHERE code = ?", (row["seq"], appointment["code"]))
    return taken_answer(tx, row)


def _appointment_of(tx: Tx, request: CheckinRequest) -> sqlite3.Row:
    """The person's appointment today: the first whose window has not ended, else the last (too late)."""
    assert request.person is not None
    rows = tx.conn.execute(
        "SELECT * FROM appointments WHERE day >= ? AND cancelled = 0 ORDER BY day, starts, code",
        (tx.day_text,),
    ).fetchall()
    mine = [
        row
        for row in rows
        if appointment_person_hash(row["person_salt"], request.person.id_number) == row["person_hash"]
        and (request.service is None or row["service"] == request.service)
    ]
    if mine and mine[0]["day"] > tx.day_text:
        return mine[0]  # (refused by the caller: not today)
    mine = [row for row in mine if row["day"] == tx.day_text]
    if not mine:
        raise Refused(404, "appointment_not_found", "没有找到您今天的预约，请现场取号，或咨询工作人员")
    now_clock = clock_time(tx.now)
    unchecked = [row for row in mine if row["ticket"] is None]
    for row in unchecked or mine:
        if row["ends"] >= now_clock:
            return row
    return (unchecked or mine)[-1]
