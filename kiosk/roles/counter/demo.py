"""Sample states of a counter for ``kiosk screenshot`` (no hall needed): a hall like the demo one at mid-morning,
seen from 2号窗口·综合受理 with staff 1002 signed in. Times are set back from now, so waiting minutes read right."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kiosk.protocol.hall import HallState

COUNTER = 2
STAFF_NO = "1002"

_SERVICES = (
    ("ZH", "A", "综合受理", 6),
    ("SB", "B", "社保医保", 2),
    ("BDC", "C", "不动产登记", 1),
    ("GA", "D", "公安户政", 0),
    ("SW", "E", "税务", 2),
    ("QY", "F", "企业开办", 0),
)
_COUNTERS = (
    (1, "1号窗口·综合受理", {"ZH": 3, "SB": 1}, "1001", "王丽", "open"),
    (2, "2号窗口·综合受理", {"ZH": 3, "SW": 1}, STAFF_NO, "陈志强", "open"),
    (3, "3号窗口·社保医保", {"SB": 3, "ZH": 1}, "1003", "李秀梅", "open"),
    (4, "4号窗口·社保医保", {"SB": 1}, "1004", "张伟", "paused"),
    (5, "5号窗口·不动产登记", {"BDC": 1}, "1005", "刘芳", "open"),
    (6, "6号窗口·公安户政", {"GA": 1}, "", "", "closed"),
    (7, "7号窗口·税务", {"SW": 3, "QY": 1}, "1007", "林晓燕", "open"),
    (8, "8号窗口·企业开办", {"QY": 3, "SW": 1}, "", "", "closed"),
)
# number, service, minutes ago taken, priority, reason, to counter
_WAITING = (
    ("A031", "ZH", 24, "normal", "", None),
    ("A032", "ZH", 19, "green", "孕妇", None),
    ("A034", "ZH", 12, "normal", "", None),
    ("A035", "ZH", 9, "appointment", "预约 {window}", None),
    ("A036", "ZH", 6, "normal", "", None),
    ("A037", "ZH", 2, "normal", "", None),
    ("E012", "SW", 31, "normal", "", None),
    ("B021", "SB", 15, "normal", "", COUNTER),
    ("E013", "SW", 3, "normal", "", None),
    ("B022", "SB", 8, "normal", "", None),
    ("C007", "BDC", 11, "normal", "", None),
)


def _ticket(
    now: datetime, number: str, service: str, taken_min: float, *, state: str = "waiting", **more: Any
) -> dict[str, Any]:
    names = {code: name for code, _, name, _ in _SERVICES}
    return {
        "id": f"H1A2B3C-{now:%Y%m%d}-{service}-{number}",
        "number": number,
        "service": service,
        "service_name": names[service],
        "day": now.date().isoformat(),
        "state": state,
        "priority": "normal",
        "taken_at": (now - timedelta(minutes=taken_min)).isoformat(),
        **more,
    }


def sample_state(which: str, now: datetime | None = None) -> HallState:
    """The hall for a named screenshot: ``signin`` (nobody at the counter yet), ``serving`` (A030 at the
    counter), ``idle`` (nobody being served, a queue), ``held`` (two tickets held, nobody being served),
    ``reconnecting`` (as serving)."""
    now = now or datetime.now().astimezone()
    window = f"{(now - timedelta(minutes=5)):%H:%M}-{(now + timedelta(minutes=25)):%H:%M}"
    waiting = [
        _ticket(
            now,
            number,
            service,
            ago,
            priority=priority,
            priority_reason=reason.format(window=window),
            to_counter=to_counter,
        )
        for number, service, ago, priority, reason, to_counter in _WAITING
    ]
    held: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    if which in ("serving", "reconnecting"):
        current = _ticket(
            now,
            "A030",
            "ZH",
            21,
            state="called",
            called_at=(now - timedelta(minutes=4)).isoformat(),
            counter=COUNTER,
            counter_name="2号窗口·综合受理",
            call_count=1,
        )
    if which == "held":
        for label, taken, held_min in (("A027", 48, 12), ("E010", 40, 5)):
            held.append(
                _ticket(
                    now,
                    label,
                    "ZH" if label.startswith("A") else "SW",
                    taken,
                    state="held",
                    called_at=(now - timedelta(minutes=held_min + 6)).isoformat(),
                    counter=COUNTER,
                    counter_name="2号窗口·综合受理",
                    call_count=1,
                )
            )
    no_shows = [
        _ticket(
            now,
            "A026",
            "ZH",
            55,
            state="no_show",
            called_at=(now - timedelta(minutes=30)).isoformat(),
            counter=COUNTER,
            call_count=2,
        )
    ]
    counters = []
    for number, name, weights, staff_no, staff_name, state in _COUNTERS:
        mine = number == COUNTER
        if mine and which == "signin":  # nobody signed in at it yet
            staff_no, staff_name, state = "", "", "closed"
        counters.append(
            {
                "number": number,
                "name": name,
                "state": state,
                "staff_no": staff_no,
                "staff_name": staff_name,
                "services": [{"service": s, "weight": w} for s, w in weights.items()],
                "current": current if mine else None,
                "held": held if mine else [],
                "served_today": 14 if mine else 9,
                "no_shows_today": 1 if mine else 0,
                "service_mean_s_today": 392.0 if mine else 300.0,
                "no_shows": no_shows if mine else [],
            }
        )
    return HallState.model_validate(
        {
            "seq": 1,
            "day": now.date().isoformat(),
            "hall_name": "清城区政务服务中心",
            "services": [
                {
                    "code": code,
                    "prefix": prefix,
                    "name": name,
                    "waiting": count,
                    "estimated_wait_min": count * 5,
                    "open_now": True,
                }
                for code, prefix, name, count in _SERVICES
            ],
            "counters": counters,
            "waiting": waiting,
            "recent_calls": [],
        }
    )
