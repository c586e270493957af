"""What a counter (窗口) does: 叫号, 重呼, 过号 (and putting a no-show back), 转移, 挂起/恢复, 呼叫指定号, 暂停/恢复服务,
办结, 绿色通道, and staff signing in and out.

Each operation runs in one write transaction (``BEGIN IMMEDIATE``): the ticket is chosen and marked as this
counter's in the same transaction, so two counters calling at once never get the same ticket. A staff number is
signed in at one counter at a time (``counters.staff_no`` is unique). A counter with staff signed in is operated
from the terminal they signed in on; a counter without staff may be operated by any enrolled terminal of the hall
(``kiosk queue call --counter N``, for scripts and tests).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from kiosk.hall import layout
from kiosk.hall.clock import iso
from kiosk.hall.errors import Refused
from kiosk.hall.ordering import next_for
from kiosk.hall.staff import LOCK_S, MAX_FAILED_PINS, verify_pin
from kiosk.hall.tx import Tx
from kiosk.hall.views import counter_view_of, ticket_view, waiting_of
from kiosk.protocol.hall import GREEN_REASONS, CounterRequest

EVENT_FORMAT = "kiosk-hall-event/1"

Operation = Callable[[Tx, layout.Counter, CounterRequest], sqlite3.Row | None]


def perform(tx: Tx, number: int, action: str, request: CounterRequest) -> dict[str, Any]:
    """Carry out ``action`` at counter ``number``; the counter as it now is and the ticket concerned."""
    operation, needs = ACTIONS.get(action, (None, frozenset()))
    if operation is None:
        raise Refused(404, "unknown_action", f"没有这项窗口操作：{action}")
    given = {
        name
        for name in ("number", "service", "counter", "reason", "staff_no", "pin")
        if getattr(request, name)
    }
    extra = sorted(given - needs)
    if extra:
        raise Refused(422, "invalid", f"body.{extra[0]}: not used by {action}")
    counter = layout.counter(tx.conn, number)
    if counter is None:
        raise Refused(404, "unknown_counter", f"没有 {number} 号窗口")
    if action != "sign-in" and counter.staff_no and counter.terminal_id != tx.terminal_id:
        raise Refused(409, "counter_taken", f"{counter.name}已由工号 {counter.staff_no} 在另一台终端登录")
    ticket = operation(tx, counter, request)
    return {
        "counter": counter_view_of(tx, number),
        "ticket": ticket_view(tx, _reload(tx, ticket)) if ticket is not None else None,
    }


def _reload(tx: Tx, row: sqlite3.Row) -> sqlite3.Row:
    fresh = tx.conn.execute("SELECT * FROM tickets WHERE seq = ?", (row["seq"],)).fetchone()
    assert fresh is not None
    return fresh


def _current(tx: Tx, counter: layout.Counter) -> sqlite3.Row:
    if counter.current_ticket is None:
        raise Refused(409, "no_current_ticket", f"{counter.name}当前没有正在办理的号")
    return tx.conn.execute("SELECT * FROM tickets WHERE seq = ?", (counter.current_ticket,)).fetchone()


def _must_be_free(counter: layout.Counter) -> None:
    if counter.current_ticket is not None:
        raise Refused(409, "counter_busy", f"{counter.name}正在办理一个号：请先办结、挂起、转移或过号")


def _must_serve(counter: layout.Counter) -> None:
    if counter.state == "paused":
        raise Refused(409, "counter_paused", f"{counter.name}已暂停服务：请先恢复服务")
    if counter.state == "closed":
        raise Refused(409, "counter_closed", f"{counter.name}未开放：请先登录或恢复服务")


def _by_number(tx: Tx, request: CounterRequest) -> sqlite3.Row:
    assert request.number is not None
    sql = "SELECT * FROM tickets WHERE day = ? AND label = ?"
    params: list[Any] = [tx.day_text, request.number]
    if request.service is not None:
        sql += " AND service = ?"
        params.append(request.service)
    row = tx.conn.execute(sql + " ORDER BY seq DESC LIMIT 1", params).fetchone()
    if row is None:
        raise Refused(404, "unknown_ticket", f"今天没有 {request.number} 号")
    return row


def _announce(tx: Tx, type_: str, row: sqlite3.Row, counter: int | None, **extra: Any) -> None:
    data = {"ticket": ticket_view(tx, _reload(tx, row)), "waiting": tx.waiting_counts(), **extra}
    if counter is not None:
        data["counter"] = counter_view_of(tx, counter)
    tx.event(type_, data)


def _record(tx: Tx, row: sqlite3.Row, action: str, counter: layout.Counter, **extra: Any) -> None:
    tx.record(
        "event",
        {
            "format": EVENT_FORMAT,
            "hall": tx.settings.hall_code,
            "ticket_id": row["id"],
            "action": action,
            "at": iso(tx.now),
            "counter": counter.number,
            "staff_no": counter.staff_no,
            "service": row["queue_service"],
            **extra,
        },
    )


def _call(tx: Tx, counter: layout.Counter, row: sqlite3.Row) -> sqlite3.Row:
    updated = tx.conn.execute(
        "UPDATE tickets SET state = 'called', counter = ?, staff_no = ?, called_at = ?, "
        "first_called_at = COALESCE(first_called_at, ?), call_count = call_count + 1, target_counter = NULL "
        "WHERE seq = ? AND state = 'waiting'",
        (counter.number, counter.staff_no or None, tx.now, tx.now, row["seq"]),
    ).rowcount
    assert updated == 1, "a ticket that is not waiting is never called"
    tx.conn.execute("UPDATE counters SET current_ticket = ? WHERE number = ?", (row["seq"], counter.number))
    tx.action(row, "called", counter=counter.number, staff_no=counter.staff_no)
    _announce(tx, "ticket.called", row, counter.number)
    _record(tx, row, "called", counter)
    return row


def call_next(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row | None:
    _must_serve(counter)
    _must_be_free(counter)
    rows = tx.conn.execute(
        "SELECT * FROM tickets WHERE day = ? AND state = 'waiting'", (tx.day_text,)
    ).fetchall()
    chosen = next_for([waiting_of(r) for r in rows], counter.number, dict(counter.services), tx.now)
    if chosen is None:
        return None
    row = next(r for r in rows if r["seq"] == chosen.seq)
    return _call(tx, counter, row)


def call_number(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    _must_serve(counter)
    _must_be_free(counter)
    row = _by_number(tx, request)
    if row["state"] != "waiting":
        raise Refused(
            409, "ticket_not_waiting", f"{row['label']} 号不在等候中（{_STATE_NAMES[row['state']]}）"
        )
    return _call(tx, counter, row)


def recall(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    row = _current(tx, counter)
    tx.conn.execute("UPDATE tickets SET call_count = call_count + 1 WHERE seq = ?", (row["seq"],))
    tx.action(row, "recalled", counter=counter.number, staff_no=counter.staff_no)
    _announce(tx, "ticket.recalled", row, counter.number)
    _record(tx, row, "recalled", counter)
    return row


def _leave_counter(tx: Tx, counter: layout.Counter) -> None:
    tx.conn.execute("UPDATE counters SET current_ticket = NULL WHERE number = ?", (counter.number,))


def no_show(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    row = _current(tx, counter)
    tx.conn.execute("UPDATE tickets SET state = 'no_show' WHERE seq = ?", (row["seq"],))
    _leave_counter(tx, counter)
    tx.action(row, "no_show", counter=counter.number, staff_no=counter.staff_no)
    _announce(tx, "ticket.no_show", row, counter.number)
    _record(tx, row, "no_show", counter)
    return row


def put_back(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    """A no-show who turned up joins the queue again, with the arrival time they had (they come up soon)."""
    row = _by_number(tx, request)
    if row["state"] != "no_show":
        raise Refused(409, "ticket_not_no_show", f"{row['label']} 号不是过号，无需恢复")
    tx.conn.execute(
        "UPDATE tickets SET state = 'waiting', counter = NULL, target_counter = NULL WHERE seq = ?",
        (row["seq"],),
    )
    tx.action(row, "returned", counter=counter.number, staff_no=counter.staff_no)
    _announce(tx, "ticket.returned", row, None)
    _record(tx, row, "returned", counter)
    return row


def transfer(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    """The current ticket waits again for another service or at another counter, keeping its arrival time."""
    row = _current(tx, counter)
    if request.service is None and request.counter is None:
        raise Refused(422, "invalid", "body.service: give the service or the counter to transfer to")
    service = row["queue_service"]
    if request.service is not None:
        if request.service not in tx.services():
            raise Refused(404, "unknown_service", f"没有业务 {request.service}")
        service = request.service
    if request.counter is not None:
        if request.counter == counter.number:
            raise Refused(409, "same_counter", "不能转移到本窗口")
        if layout.counter(tx.conn, request.counter) is None:
            raise Refused(404, "unknown_counter", f"没有 {request.counter} 号窗口")
    tx.conn.execute(
        "UPDATE tickets SET state = 'waiting', counter = NULL, queue_service = ?, target_counter = ? WHERE seq = ?",
        (service, request.counter, row["seq"]),
    )
    _leave_counter(tx, counter)
    to = {"to_service": service, "to_counter": request.counter}
    detail = f"service={service}" + (f" counter={request.counter}" if request.counter is not None else "")
    tx.action(row, "transferred", counter=counter.number, staff_no=counter.staff_no, detail=detail)
    _announce(tx, "ticket.transferred", row, counter.number, from_counter=counter.number, **to)
    _record(tx, row, "transferred", counter, **to)
    return row


def hold(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    """挂起: the citizen fetches a missing paper; the counter serves others meanwhile."""
    row = _current(tx, counter)
    tx.conn.execute("UPDATE tickets SET state = 'held' WHERE seq = ?", (row["seq"],))
    _leave_counter(tx, counter)
    tx.action(row, "held", counter=counter.number, staff_no=counter.staff_no)
    _announce(tx, "ticket.held", row, counter.number)
    _record(tx, row, "held", counter)
    return row


def resume(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    _must_be_free(counter)
    held = tx.conn.execute(
        "SELECT * FROM tickets WHERE day = ? AND state = 'held' AND counter = ? ORDER BY seq",
        (tx.day_text, counter.number),
    ).fetchall()
    if request.number is not None:
        held = [row for row in held if row["label"] == request.number]
    if not held:
        raise Refused(
            409,
            "nothing_held",
            f"{counter.name}没有挂起的号" + (f" {request.number}" if request.number else ""),
        )
    if len(held) > 1:
        raise Refused(409, "which_held", "挂起的号不止一个：请指明号码")
    row = held[0]
    tx.conn.execute("UPDATE tickets SET state = 'called' WHERE seq = ?", (row["seq"],))
    tx.conn.execute("UPDATE counters SET current_ticket = ? WHERE number = ?", (row["seq"], counter.number))
    tx.action(row, "resumed", counter=counter.number, staff_no=counter.staff_no)
    _announce(tx, "ticket.resumed", row, counter.number)
    _record(tx, row, "resumed", counter)
    return row


def finish(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    """办结: the service time ends; the counter's rating pad asks the citizen (ticket.finished)."""
    row = _current(tx, counter)
    tx.conn.execute(
        "UPDATE tickets SET state = 'finished', finished_at = ? WHERE seq = ?", (tx.now, row["seq"])
    )
    _leave_counter(tx, counter)
    tx.action(row, "finished", counter=counter.number, staff_no=counter.staff_no)
    _announce(tx, "ticket.finished", row, counter.number)
    wait_s = (row["first_called_at"] or row["called_at"]) - row["taken_at"]
    _record(
        tx, row, "finished", counter, wait_s=round(wait_s, 3), service_s=round(tx.now - row["called_at"], 3)
    )
    return row


def mark_green(tx: Tx, counter: layout.Counter, request: CounterRequest) -> sqlite3.Row:
    """绿色通道 marked by staff (disability, pregnancy; age when the card was not read)."""
    if request.reason is None:
        raise Refused(422, "invalid", "body.reason: required (age, disability or pregnancy)")
    row = _by_number(tx, request)
    if row["state"] != "waiting":
        raise Refused(409, "ticket_not_waiting", f"{row['label']} 号不在等候中")
    if row["priority"] != "appointment":
        tx.conn.execute(
            "UPDATE tickets SET priority = 'green', priority_reason = ? WHERE seq = ?",
            (GREEN_REASONS[request.reason], row["seq"]),
        )
    tx.action(row, "green", counter=counter.number, staff_no=counter.staff_no, detail=request.reason)
    _announce(tx, "ticket.priority", row, None)
    return row


def _set_state(tx: Tx, counter: layout.Counter, state: str) -> None:
    tx.conn.execute("UPDATE counters SET state = ? WHERE number = ?", (state, counter.number))
    tx.event(
        "counter.changed", {"counter": counter_view_of(tx, counter.number), "waiting": tx.waiting_counts()}
    )


def pause(tx: Tx, counter: layout.Counter, request: CounterRequest) -> None:
    if counter.state == "closed":
        raise Refused(409, "counter_closed", f"{counter.name}未开放")
    _set_state(tx, counter, "paused")


def reopen(tx: Tx, counter: layout.Counter, request: CounterRequest) -> None:
    _set_state(tx, counter, "open")


def sign_in(tx: Tx, counter: layout.Counter, request: CounterRequest) -> None:
    if request.staff_no is None or request.pin is None:
        raise Refused(422, "invalid", "body.staff_no: staff number and PIN are required to sign in")
    staff = tx.conn.execute("SELECT * FROM staff WHERE staff_no = ?", (request.staff_no,)).fetchone()
    wrong = Refused(403, "bad_pin", "工号或密码不对，请重新输入", keep_changes=True)
    if staff is None:
        raise wrong
    if staff["locked_until"] > tx.now:
        raise Refused(429, "pin_locked", "密码错误次数过多，请 5 分钟后再试")
    if not verify_pin(request.pin, staff["pin_hash"]):
        failed = staff["failed_pins"] + 1
        locked = tx.now + LOCK_S if failed >= MAX_FAILED_PINS else 0.0
        tx.conn.execute(
            "UPDATE staff SET failed_pins = ?, locked_until = ? WHERE staff_no = ?",
            (0 if locked else failed, locked, request.staff_no),
        )
        raise wrong
    tx.conn.execute("UPDATE staff SET failed_pins = 0 WHERE staff_no = ?", (request.staff_no,))
    elsewhere = tx.conn.execute(
        "SELECT number, name FROM counters WHERE staff_no = ? AND number != ?",
        (request.staff_no, counter.number),
    ).fetchone()
    if elsewhere is not None:
        raise Refused(
            409,
            "staff_signed_in_elsewhere",
            f"工号 {request.staff_no} 已在{elsewhere['name']}登录：请先在那里退出",
        )
    if counter.staff_no and counter.staff_no != request.staff_no:
        raise Refused(409, "counter_taken", f"{counter.name}已由工号 {counter.staff_no} 登录：请其先退出")
    tx.conn.execute(
        "UPDATE counters SET staff_no = ?, terminal_id = ?, signed_in_at = ?, state = 'open' WHERE number = ?",
        (request.staff_no, tx.terminal_id, tx.now, counter.number),
    )
    tx.event(
        "counter.changed", {"counter": counter_view_of(tx, counter.number), "waiting": tx.waiting_counts()}
    )


def sign_out(tx: Tx, counter: layout.Counter, request: CounterRequest) -> None:
    _must_be_free(counter)
    tx.conn.execute(
        "UPDATE counters SET staff_no = NULL, terminal_id = NULL, signed_in_at = NULL, state = 'closed' "
        "WHERE number = ?",
        (counter.number,),
    )
    tx.event(
        "counter.changed", {"counter": counter_view_of(tx, counter.number), "waiting": tx.waiting_counts()}
    )


_STATE_NAMES = {
    "waiting": "等候中",
    "called": "已叫号",
    "held": "挂起",
    "no_show": "已过号",
    "finished": "已办结",
}

_NONE: frozenset[str] = frozenset()
_NUMBER = frozenset({"number", "service"})
ACTIONS: dict[str, tuple[Callable[[Tx, layout.Counter, CounterRequest], Any], frozenset[str]]] = {
    "call": (call_next, _NONE),
    "call-number": (call_number, _NUMBER),
    "recall": (recall, _NONE),
    "no-show": (no_show, _NONE),
    "return": (put_back, _NUMBER),
    "transfer": (transfer, frozenset({"service", "counter"})),
    "hold": (hold, _NONE),
    "resume": (resume, frozenset({"number"})),
    "finish": (finish, _NONE),
    "mark-green": (mark_green, frozenset({"number", "service", "reason"})),
    "pause": (pause, _NONE),
    "open": (reopen, _NONE),
    "sign-in": (sign_in, frozenset({"staff_no", "pin"})),
    "sign-out": (sign_out, _NONE),
}
