"""The hall manager's report (``kiosk hall report``): per service and per counter, for a day or a month.

What each figure counts (docs/hall.md, "The report"):
- tickets: per service, the numbers taken for it; per counter, the tickets it called (each once);
- served, no_shows, transfers: the 办结, 过号 and 转移 done, under the service the ticket waited for then and at
  the counter that did it (a ticket put back after a no-show and missed again counts twice);
- wait: from taking the number to its first call, under the service and counter of that call; mean and 90th
  percentile (nearest rank), in minutes;
- service time: from the (last) call to 办结, mean in minutes (a ticket held meanwhile counts its hold);
- ratings by level (5 非常满意 … 1 非常不满意) and bad ratings (levels 1-2), under the service and counter that
  served the ticket.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.hall.db import HallDb
from kiosk.hall.errors import SetupError

LEVELS = (5, 4, 3, 2, 1)


@dataclass
class _Figures:
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)
    ratings: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    def shown(self) -> dict[str, Any]:
        return {
            "tickets": self.tickets,
            "served": self.served,
            "no_shows": self.no_shows,
            "transfers": self.transfers,
            "wait_mean_min": _minutes(sum(self.waits) / len(self.waits)) if self.waits else None,
            "wait_p90_min": _minutes(percentile(self.waits, 90)) if self.waits else None,
            "service_mean_min": _minutes(sum(self.services) / len(self.services)) if self.services else None,
            "ratings": {str(level): self.ratings[level] for level in LEVELS},
            "bad_ratings": self.ratings[1] + self.ratings[2],
        }


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``pct`` % of the samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def period(day: str | None, month: str | None) -> tuple[str, str, str]:
    """(label, first day, last day) of ``--day YYYY-MM-DD`` or ``--month YYYY-MM``."""
    if (day is None) == (month is None):
        raise SetupError("give --day YYYY-MM-DD or --month YYYY-MM")
    if day is not None:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                raise ValueError
            date.fromisoformat(day)
        except ValueError:
            raise SetupError(f"{day!r} is not a day (YYYY-MM-DD)") from None
        return day, day, day
    assert month is not None
    found = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise SetupError(f"{month!r} is not a month (YYYY-MM)")
    year, number = int(found.group(1)), int(found.group(2))
    following = date(year + (number == 12), number % 12 + 1, 1)
    last = date.fromordinal(following.toordinal() - 1)
    return month, f"{month}-01", last.isoformat()


def build(db: HallDb, first: str, last: str, label: str) -> dict[str, Any]:
    services: dict[str, _Figures] = {}
    counters: dict[int, _Figures] = {}
    total = _Figures()
    names = {
        row["code"]: row["name"] for row in db.rows("SELECT code, name FROM services ORDER BY position, code")
    }
    order = {code: index for index, code in enumerate(names)}
    counter_names = {row["number"]: row["name"] for row in db.rows("SELECT number, name FROM counters")}

    def of_service(code: str) -> _Figures:
        return services.setdefault(code, _Figures())

    def of_counter(number: int | None) -> _Figures | None:
        return None if number is None else counters.setdefault(number, _Figures())

    span = (first, last)
    tickets = {row["seq"]: row for row in db.rows("SELECT * FROM tickets WHERE day BETWEEN ? AND ?", span)}
    for row in tickets.values():
        of_service(row["service"]).tickets += 1
        total.tickets += 1
    first_calls: dict[int, Any] = {}
    called_at: dict[int, set[int]] = {}
    for action in db.rows(
        "SELECT * FROM ticket_actions WHERE day BETWEEN ? AND ? AND action IN "
        "('called', 'finished', 'no_show', 'transferred') ORDER BY id",
        span,
    ):
        ticket = tickets.get(action["ticket"])
        if ticket is None:
            continue
        counter = of_counter(action["counter"])
        kind = action["action"]
        targets = [t for t in (of_service(action["service"]), counter, total) if t is not None]
        if kind == "called":
            first_calls.setdefault(action["ticket"], action)
            seen = called_at.setdefault(action["counter"], set())
            if counter is not None and action["ticket"] not in seen:
                seen.add(action["ticket"])
                counter.tickets += 1
        elif kind == "finished":
            duration = (ticket["finished_at"] or action["at"]) - (ticket["called_at"] or action["at"])
            for target in targets:
                target.served += 1
                target.services.append(max(0.0, duration))
        elif kind == "no_show":
            for target in targets:
                target.no_shows += 1
        else:
            for target in targets:
                target.transfers += 1
    for seq, action in first_calls.items():
        wait = max(0.0, tickets[seq]["first_called_at"] - tickets[seq]["taken_at"])
        for found in (of_service(action["service"]), of_counter(action["counter"]), total):
            if found is not None:
                found.waits.append(wait)
    for rating in db.rows("SELECT * FROM ratings WHERE day BETWEEN ? AND ?", span):
        for found in (of_service(rating["service"]), of_counter(rating["counter"]), total):
            if found is not None:
                found.ratings[rating["level"]] += 1
    return {
        "period": label,
        "from": first,
        "to": last,
        "services": [
            {"service": code, "name": names.get(code, code), **services[code].shown()}
            for code in sorted(services, key=lambda c: (order.get(c, len(order)), c))
        ],
        "counters": [
            {
                "counter": number,
                "name": counter_names.get(number, f"{number}号窗口"),
                **counters[number].shown(),
            }
            for number in sorted(counters)
        ],
        "total": total.shown(),
    }


CSV_FIELDS = (
    "scope",
    "key",
    "name",
    "tickets",
    "served",
    "no_shows",
    "transfers",
    "wait_mean_min",
    "wait_p90_min",
    "service_mean_min",
    *(f"rated_{level}" for level in LEVELS),
    "bad_ratings",
)


def as_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)

    def row(scope: str, key: object, name: str, figures: dict[str, Any]) -> None:
        writer.writerow(
            [
                scope,
                key,
                name,
                *("" if figures[name_] is None else figures[name_] for name_ in CSV_FIELDS[3:10]),
                *(figures["ratings"][str(level)] for level in LEVELS),
                figures["bad_ratings"],
            ]
        )

    for service in report["services"]:
        row("service", service["service"], service["name"], service)
    for counter in report["counters"]:
        row("counter", counter["counter"], counter["name"], counter)
    row("total", "", "", report["total"])
    return out.getvalue()


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
