"""Sample boards for the display's screenshots: the demo hall (清城区政务服务中心, its six services and eight
counters, as ``kiosk hall serve --demo`` sets it up) at a quarter past ten, and two notices of the center.

Built as the hall's own values (``HallState``, ``HallEvent``) and fed to the board as the follower would, so a
screenshot shows what the display makes of them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.protocol.hall import CallView, HallEvent, HallState, ServiceView
from kiosk.services.display.board import Board, HallBoard
from kiosk.services.notices import NoticeShown

DEMO_NOW = datetime(2026, 11, 23, 10, 15).astimezone()
HALL_NAME = "清城区政务服务中心"

# code, prefix, name, waiting (a busy Monday morning), the counters
_SERVICES = (
    ("ZH", "A", "综合受理", 12, [1, 2, 3]),
    ("SB", "B", "社保医保", 7, [1, 3, 4]),
    ("BDC", "C", "不动产登记", 5, [5]),
    ("GA", "D", "公安户政", 3, [6]),
    ("SW", "E", "税务", 2, [2, 7, 8]),
    ("QY", "F", "企业开办", 1, [7, 8]),
)
_COUNTER_NAMES = {
    1: "1号窗口·综合受理",
    2: "2号窗口·综合受理",
    3: "3号窗口·社保医保",
    4: "4号窗口·社保医保",
    5: "5号窗口·不动产登记",
    6: "6号窗口·公安户政",
    7: "7号窗口·税务",
    8: "8号窗口·企业开办",
}
# number, service, counter, minutes before now: the last calls, latest first
_CALLS = (
    ("A011", "ZH", 2, 1),
    ("B006", "SB", 4, 2),
    ("C004", "BDC", 5, 4),
    ("A010", "ZH", 1, 5),
    ("E002", "SW", 7, 7),
    ("D003", "GA", 6, 9),
    ("A009", "ZH", 2, 11),
    ("B005", "SB", 3, 12),
)

DEMO_NOTICES = (
    NoticeShown(
        "N-2026-118",
        "系统维护",
        "11月25日（周三）12:00-14:00 不动产登记系统维护，期间暂停办理不动产业务，其他业务照常。",
        "warning",
    ),
    NoticeShown("N-2026-117", "延时服务", "本中心周六上午 9:00-12:00 办理社保医保、税务业务。", "info"),
)
# A notice longer than the bar holds: shown a page of lines at a time.
DEMO_LONG_NOTICE = NoticeShown(
    "N-2026-120",
    "不动产登记业务调整",
    "自12月1日起，不动产登记业务实行“一窗受理、集成服务”：办理抵押登记、转移登记的，请先在“粤省事”或广东政务服务网"
    "预约，并携带身份证原件、不动产权证书及相关合同到 C 区 5 号、6 号窗口办理；未预约的，当日取号后按顺序办理，每日"
    "限 80 号。办理继承、遗赠登记的，需全体继承人到场，或提供经公证的委托书。如有疑问，请到服务台咨询，或拨打 12345 "
    "政务服务便民热线。",
    "warning",
)


def demo_state(*, busy: bool = True, seq: int = 240) -> HallState:
    """The demo hall now: with its morning's calls and queues, or (``busy`` False) opened, nobody waiting."""
    services = [
        ServiceView(
            code=code,
            prefix=prefix,
            name=name,
            waiting=waiting if busy else 0,
            estimated_wait_min=waiting * 4 if busy else 0,
            open_now=True,
            counters=counters,
        )
        for code, prefix, name, waiting, counters in _SERVICES
    ]
    calls = (
        [
            CallView(
                number=number,
                service=service,
                counter=counter,
                counter_name=_COUNTER_NAMES[counter],
                at=DEMO_NOW - timedelta(minutes=minutes),
            )
            for number, service, counter, minutes in _CALLS
        ]
        if busy
        else []
    )
    return HallState(
        seq=seq,
        day=date(2026, 11, 23),
        hall_name=HALL_NAME,
        services=services,
        counters=[],
        waiting=[],
        recent_calls=calls,
    )


def demo_call(state: HallState, number: str = "A012", counter: int = 3) -> HallEvent:
    """The next event: ``number`` called to ``counter`` now (the waiting count of its service one less)."""
    service = next(s for s in state.services if number.startswith(s.prefix))
    ticket = {
        "id": f"H000001-20261123-{service.code}-{number[1:]}",
        "number": number,
        "service": service.code,
        "service_name": service.name,
        "day": "2026-11-23",
        "state": "called",
        "priority": "normal",
        "taken_at": (DEMO_NOW - timedelta(minutes=20)).isoformat(),
        "called_at": DEMO_NOW.isoformat(),
        "counter": counter,
        "counter_name": _COUNTER_NAMES[counter],
        "call_count": 1,
    }
    waiting = {s.code: s.waiting - (s.code == service.code) for s in state.services}
    return HallEvent(
        seq=state.seq + 1,
        type="ticket.called",
        at=DEMO_NOW,
        data={"ticket": ticket, "waiting": waiting},
    )


def demo_boards() -> dict[str, Board]:
    """``calling`` (A012 just called to counter 3, after the morning's calls) and ``idle`` (nobody waits)."""
    board = HallBoard(hall_now=lambda: DEMO_NOW)
    state = demo_state()
    board.on_state(state)
    calling, _ = board.on_event(demo_call(state))
    assert calling is not None
    return {"calling": calling, "idle": HallBoard().on_state(demo_state(busy=False))}
