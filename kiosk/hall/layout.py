"""The hall's layout: services (业务类型), counters (窗口) with the services they serve and their weights, staff.

Every change is one transaction that also stores a ``hall.changed`` event, so displays and counters connected
to a running service (the command may run in another process on the same file) fetch the hall again.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from kiosk.hall.db import HallDb
from kiosk.hall.errors import SetupError
from kiosk.hall.staff import hash_pin

_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,15}")
_HOURS = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]")
_STAFF_NO = re.compile(r"[A-Za-z0-9_-]{1,16}")
WEIGHT_MIN, WEIGHT_MAX = 1, 10
NUMBER_MAX = 9999


@dataclass(frozen=True, slots=True)
class Service:
    code: str
    prefix: str
    name: str
    number_first: int
    number_last: int
    daily_cap: int
    opens: str  # "HH:MM"; empty: all day
    closes: str
    real_name: bool
    position: int

    @property
    def hours(self) -> str:
        return f"{self.opens}-{self.closes}" if self.opens else ""

    def label(self, number: int) -> str:
        """The printed number: the prefix and the number, three digits at least (A001, A012, A1000)."""
        width = max(3, len(str(self.number_last)))
        return f"{self.prefix}{number:0{width}d}"

    def summary(self) -> dict[str, object]:
        return {
            "code": self.code,
            "prefix": self.prefix,
            "name": self.name,
            "numbers": f"{self.number_first}-{self.number_last}",
            "daily_cap": self.daily_cap,
            "hours": self.hours,
            "real_name": self.real_name,
        }


@dataclass(frozen=True, slots=True)
class Counter:
    number: int
    name: str
    state: str
    staff_no: str
    terminal_id: str
    current_ticket: int | None
    services: tuple[tuple[str, int], ...]  # (service code, weight)

    def summary(self) -> dict[str, object]:
        return {
            "number": self.number,
            "name": self.name,
            "state": self.state,
            "staff_no": self.staff_no,
            "services": [{"service": code, "weight": weight} for code, weight in self.services],
        }


def service_of(row: sqlite3.Row) -> Service:
    return Service(
        code=row["code"],
        prefix=row["prefix"],
        name=row["name"],
        number_first=row["number_first"],
        number_last=row["number_last"],
        daily_cap=row["daily_cap"],
        opens=row["opens"],
        closes=row["closes"],
        real_name=bool(row["real_name"]),
        position=row["position"],
    )


def services(conn: sqlite3.Connection) -> list[Service]:
    return [service_of(row) for row in conn.execute("SELECT * FROM services ORDER BY position, code")]


def service(conn: sqlite3.Connection, code: str) -> Service | None:
    row = conn.execute("SELECT * FROM services WHERE code = ?", (code,)).fetchone()
    return service_of(row) if row is not None else None


def counters(conn: sqlite3.Connection) -> list[Counter]:
    weights: dict[int, list[tuple[str, int]]] = {}
    for row in conn.execute(
        "SELECT counter, service, weight FROM counter_services ORDER BY counter, service"
    ):
        weights.setdefault(row["counter"], []).append((row["service"], row["weight"]))
    return [
        _counter(row, weights.get(row["number"], []))
        for row in conn.execute("SELECT * FROM counters ORDER BY number")
    ]


def counter(conn: sqlite3.Connection, number: int) -> Counter | None:
    row = conn.execute("SELECT * FROM counters WHERE number = ?", (number,)).fetchone()
    if row is None:
        return None
    weights = conn.execute(
        "SELECT service, weight FROM counter_services WHERE counter = ? ORDER BY service", (number,)
    ).fetchall()
    return _counter(row, [(w["service"], w["weight"]) for w in weights])


def _counter(row: sqlite3.Row, weights: list[tuple[str, int]]) -> Counter:
    return Counter(
        number=row["number"],
        name=row["name"],
        state=row["state"],
        staff_no=row["staff_no"] or "",
        terminal_id=row["terminal_id"] or "",
        current_ticket=row["current_ticket"],
        services=tuple(weights),
    )


# -- changes ----------------------------------------------------------------------------------------------------


def add_service(
    db: HallDb,
    code: str,
    prefix: str,
    name: str,
    *,
    numbers: tuple[int, int] = (1, 999),
    daily_cap: int | None = None,
    hours: str = "",
    real_name: bool = False,
) -> Service:
    """Add a service, or change the one with this code."""
    code, prefix, name, hours = code.strip().upper(), prefix.strip().upper(), name.strip(), hours.strip()
    if not _CODE.fullmatch(code):
        raise SetupError("a service code is 1-16 capital letters, digits or _, starting with a letter")
    if not re.fullmatch(r"[A-Z]", prefix):
        raise SetupError("a prefix is one capital letter (A-Z)")
    if not 1 <= len(name) <= 40:
        raise SetupError("a service name is 1-40 characters")
    first, last = numbers
    if not 1 <= first <= last <= NUMBER_MAX:
        raise SetupError(f"the number range is first-last within 1-{NUMBER_MAX}")
    cap = last - first + 1 if daily_cap is None else daily_cap
    if not 1 <= cap <= last - first + 1:
        raise SetupError(f"the daily cap is 1-{last - first + 1} (no more numbers than the range holds)")
    if hours and not _HOURS.fullmatch(hours):
        raise SetupError("opening hours are HH:MM-HH:MM (e.g. 08:30-17:30), or empty for all day")
    opens, closes = hours.split("-") if hours else ("", "")
    if hours and closes <= opens:
        raise SetupError("opening hours must end after they start")
    with db.write() as conn:
        taken = conn.execute(
            "SELECT code FROM services WHERE prefix = ? AND code != ?", (prefix, code)
        ).fetchone()
        if taken is not None:
            raise SetupError(f"the prefix {prefix} is service {taken['code']}'s already")
        position = conn.execute(
            "SELECT COALESCE((SELECT position FROM services WHERE code = ?), "
            "(SELECT COALESCE(MAX(position), 0) + 1 FROM services))",
            (code,),
        ).fetchone()[0]
        conn.execute(
            "INSERT OR REPLACE INTO services (code, prefix, name, number_first, number_last, daily_cap, opens, "
            "closes, real_name, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code, prefix, name, first, last, cap, opens, closes, int(real_name), position),
        )
        db.append_event(conn, "hall.changed", {"what": "services"}, db.now())
        added = service(conn, code)
    assert added is not None
    return added


def add_counter(db: HallDb, number: int, name: str, weights: dict[str, int]) -> Counter:
    """Add a counter, or change its name and services (``{service code: weight}``, weights 1-10)."""
    name = name.strip()
    if not 1 <= number <= 999:
        raise SetupError("a counter number is 1-999")
    if not 1 <= len(name) <= 40:
        raise SetupError("a counter name is 1-40 characters")
    if not weights:
        raise SetupError("a counter serves at least one service")
    for code, weight in weights.items():
        if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            raise SetupError(f"{code}: a weight is {WEIGHT_MIN}-{WEIGHT_MAX}")
    with db.write() as conn:
        known = {row[0] for row in conn.execute("SELECT code FROM services")}
        unknown = sorted(set(weights) - known)
        if unknown:
            raise SetupError(f"no service {unknown[0]} (add it first: kiosk hall service add)")
        conn.execute(
            "INSERT INTO counters (number, name, state) VALUES (?, ?, 'open') "
            "ON CONFLICT (number) DO UPDATE SET name = excluded.name",
            (number, name),
        )
        conn.execute("DELETE FROM counter_services WHERE counter = ?", (number,))
        conn.executemany(
            "INSERT INTO counter_services (counter, service, weight) VALUES (?, ?, ?)",
            [(number, code, weight) for code, weight in sorted(weights.items())],
        )
        db.append_event(conn, "hall.changed", {"what": "counters"}, db.now())
        added = counter(conn, number)
    assert added is not None
    return added


def parse_weights(text: str) -> dict[str, int]:
    """``"ZH:2,SB"`` → ``{"ZH": 2, "SB": 1}``."""
    weights: dict[str, int] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        code, _, weight = part.partition(":")
        code = code.strip().upper()
        if not weight.strip():
            weights[code] = 1
        elif weight.strip().isdigit():
            weights[code] = int(weight)
        else:
            raise SetupError(f"{part!r}: a service is CODE or CODE:WEIGHT")
    return weights


def add_staff(db: HallDb, staff_no: str, name: str, pin: str) -> None:
    """Add a staff member (工号), or change their name and PIN; the PIN is kept as a salted scrypt hash."""
    staff_no, name = staff_no.strip(), name.strip()
    if not _STAFF_NO.fullmatch(staff_no):
        raise SetupError("a staff number is 1-16 letters, digits, - or _")
    if not 1 <= len(name) <= 40:
        raise SetupError("a staff name is 1-40 characters")
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise SetupError("a PIN is 4-12 digits")
    hashed = hash_pin(pin)
    with db.write() as conn:
        conn.execute(
            "INSERT INTO staff (staff_no, name, pin_hash) VALUES (?, ?, ?) ON CONFLICT (staff_no) DO UPDATE "
            "SET name = excluded.name, pin_hash = excluded.pin_hash, failed_pins = 0, locked_until = 0",
            (staff_no, name, hashed),
        )
        # Counters and rating pads show staff by name: they fetch the hall again.
        db.append_event(conn, "hall.changed", {"what": "staff"}, db.now())


def staff_list(db: HallDb) -> list[dict[str, object]]:
    rows = db.rows(
        "SELECT s.staff_no, s.name, c.number AS counter, p.digest AS photo FROM staff s LEFT JOIN counters c "
        "ON c.staff_no = s.staff_no LEFT JOIN staff_photos p ON p.staff_no = s.staff_no ORDER BY s.staff_no"
    )
    return [
        {
            "staff_no": r["staff_no"],
            "name": r["name"],
            "counter": r["counter"],
            "photo": r["photo"] is not None,
        }
        for r in rows
    ]
