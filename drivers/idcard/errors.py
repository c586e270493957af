"""The ID card reader's errors, and what each SAM status (SW3) means to a person at the terminal.

Every failure that leaves an ID card driver is an :class:`IdCardError`: a plain-Chinese message the citizen or the
operator can act on, a short ``code`` for support (the base reader retries ``no_card``, ``select_failed``,
``read_failed``, ``checksum``, ``frame`` and ``timeout``), the reader's :class:`~drivers.base.Health` after it, and,
when the module said so, the module's own status byte in ``status``.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.base import DeviceError, Health
from kiosk.domain.messages import define

# Messages (kiosk.domain.messages, translated by the screens), shared by several statuses so the screens show one
# wording for one situation.
PLACE_CARD = define("idcard.place_card", "请放置身份证")()
NO_CARD = define("idcard.no_card", "没有检测到身份证，请把身份证平放在读卡区")()
DONT_MOVE = define("idcard.dont_move", "请不要移动身份证")()
READ_FAILED = define("idcard.read_failed", "读卡失败，请不要移动身份证")()
NO_ITEM = define("idcard.no_item", "身份证上没有这项信息")()
READER_FAULT = define("idcard.reader_fault", "读卡器故障，请联系工作人员")()
LINK_FAULT = define("idcard.link_fault", "读卡器通信出错，请稍后再试；仍不行请联系工作人员")()
NOT_CONNECTED = define("idcard.not_connected", "读卡器未连接，请检查读卡器的连接线和电源")()
NO_ANSWER = define("idcard.no_answer", "读卡器没有响应，请检查读卡器的连接线和电源")()
BAD_CARD_DATA = define(
    "idcard.bad_card_data", "身份证信息无法识别，请重新放置身份证；仍不行请到人工窗口办理"
)()
AUTH_FAILED = define("idcard.auth_failed", "身份证认证失败，请重新放置身份证；仍不行请到人工窗口办理")()
UNKNOWN_CARD = define("idcard.unknown_card", "无法识别的卡片，请放置居民身份证或居住证")()
SAM_UNAUTHORISED = define("idcard.sam_unauthorised", "读卡器未授权，请联系工作人员")()


class IdCardError(DeviceError):
    """A failed ID card operation. ``status`` is the module's SW3 byte when the module reported the failure."""

    def __init__(
        self, message: str, *, code: str, health: Health = Health.ERROR, status: int | None = None
    ) -> None:
        super().__init__(message, code=code, health=health)
        self.status = status

    def __repr__(self) -> str:
        status = f", status=0x{self.status:02X}" if self.status is not None else ""
        return f"IdCardError({str(self)!r}, code={self.code!r}{status})"


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """What one SW3 value means: the module's own wording (for logs), a person's message, a code, the health."""

    meaning: str
    message: str
    code: str
    health: Health


SW_OK = 0x90
SW_CARD_FOUND = 0x9F

STATUSES: dict[int, StatusInfo] = {
    0x90: StatusInfo("operation succeeded", "", "ok", Health.OK),
    0x9F: StatusInfo("card found", "", "ok", Health.OK),
    0x80: StatusInfo("find card failed (no card)", PLACE_CARD, "no_card", Health.OK),
    0x81: StatusInfo("select card failed", DONT_MOVE, "select_failed", Health.OK),
    0x41: StatusInfo("read card failed", READ_FAILED, "read_failed", Health.OK),
    0x47: StatusInfo("get random number failed", READ_FAILED, "read_failed", Health.OK),
    0x91: StatusInfo("the card has no such item", NO_ITEM, "no_item", Health.OK),
    0x10: StatusInfo("the module received a bad checksum", LINK_FAULT, "checksum", Health.ERROR),
    0x11: StatusInfo("the module received a bad length", LINK_FAULT, "frame", Health.ERROR),
    0x21: StatusInfo("bad command", READER_FAULT, "bad_command", Health.ERROR),
    0x23: StatusInfo("operation not authorised", READER_FAULT, "not_authorised", Health.ERROR),
    0x24: StatusInfo("unknown error", READER_FAULT, "unknown_error", Health.ERROR),
    0x31: StatusInfo("card failed to authenticate the SAM", AUTH_FAILED, "auth_failed", Health.OK),
    0x32: StatusInfo("SAM failed to authenticate the card", AUTH_FAILED, "auth_failed", Health.OK),
    0x33: StatusInfo("information check failed", BAD_CARD_DATA, "auth_failed", Health.OK),
    0x40: StatusInfo("unknown card type", UNKNOWN_CARD, "unknown_card", Health.OK),
    0x60: StatusInfo("SAM self-test failed", READER_FAULT, "sam_fault", Health.ERROR),
    0x66: StatusInfo("SAM not authorised", SAM_UNAUTHORISED, "sam_unauthorised", Health.ERROR),
}


def describe_status(sw3: int) -> StatusInfo:
    """The meaning of any SW3 byte; one the table does not know is a reader fault."""
    return STATUSES.get(sw3, StatusInfo(f"unknown status 0x{sw3:02X}", READER_FAULT, "status", Health.ERROR))


def status_error(sw3: int) -> IdCardError:
    """The error for a module's failure status; ``status`` keeps the byte for support."""
    info = describe_status(sw3)
    return IdCardError(info.message or READER_FAULT, code=info.code, health=info.health, status=sw3)


def bad_text() -> IdCardError:
    """A text block that cannot be a card's. The reader is fine (the card may have moved); what was wrong goes
    to the log only, since the detail may hold personal data."""
    return IdCardError(BAD_CARD_DATA, code="bad_text", health=Health.OK)
