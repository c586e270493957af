"""The demo hall (``kiosk hall serve --demo``): a town's 政务服务中心 with six services, eight counters and their
staff. Services take numbers all day (a real hall sets opening hours with ``kiosk hall service add --hours``)."""

from __future__ import annotations

from kiosk.hall import layout
from kiosk.hall.db import HallDb
from kiosk.hall.errors import SetupError
from kiosk.hall.settings import set_value

DEMO_NAME = "清城区政务服务中心"
DEMO_PIN = "1234"  # every demo staff member's PIN

# code, prefix, name, 实名
DEMO_SERVICES = (
    ("ZH", "A", "综合受理", False),
    ("SB", "B", "社保医保", False),
    ("BDC", "C", "不动产登记", True),
    ("GA", "D", "公安户政", True),
    ("SW", "E", "税务", False),
    ("QY", "F", "企业开办", False),
)
# number, name, services with weights, staff number, staff name
DEMO_COUNTERS = (
    (1, "1号窗口·综合受理", {"ZH": 3, "SB": 1}, "1001", "王丽"),
    (2, "2号窗口·综合受理", {"ZH": 3, "SW": 1}, "1002", "陈志强"),
    (3, "3号窗口·社保医保", {"SB": 3, "ZH": 1}, "1003", "李秀梅"),
    (4, "4号窗口·社保医保", {"SB": 1}, "1004", "张伟"),
    (5, "5号窗口·不动产登记", {"BDC": 1}, "1005", "刘芳"),
    (6, "6号窗口·公安户政", {"GA": 1}, "1006", "黄俊"),
    (7, "7号窗口·税务", {"SW": 3, "QY": 1}, "1007", "林晓燕"),
    (8, "8号窗口·企业开办", {"QY": 3, "SW": 1}, "1008", "吴建国"),
)


def set_up_demo(db: HallDb) -> None:
    """Make (or make again) the demo hall's services, counters and staff; tickets and events are kept."""
    try:
        if db.meta("hall_name") is None:
            set_value(db, "hall_name", DEMO_NAME)
        for code, prefix, name, real_name in DEMO_SERVICES:
            layout.add_service(db, code, prefix, name, numbers=(1, 999), real_name=real_name)
        for number, name, weights, staff_no, staff_name in DEMO_COUNTERS:
            layout.add_counter(db, number, name, weights)
            layout.add_staff(db, staff_no, staff_name, DEMO_PIN)
    except SetupError as exc:  # a layout an operator changed in a way the demo cannot follow
        raise SetupError(f"the demo hall cannot be set up on this database: {exc}") from None
