"""What can go wrong talking to the hall's queue service, sorted by what a terminal should do about it.

Each error has ``plain``: a sentence a citizen or staff member can act on (the kiosk shows "请咨询工作人员" rather
than a spinner); ``str()`` adds the technical detail for the log. None carries a secret, a signature or an ID
number.
"""

from __future__ import annotations


class HallError(Exception):
    plain = "排队服务出错，请咨询工作人员"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class HallConfigError(HallError, ValueError):
    """The client cannot be set up as asked (a bad URL, a malformed secret)."""

    plain = "排队服务的地址或凭据配置有误，请联系运维人员"


class HallUnavailable(HallError):
    """The hall's service cannot be reached, or did not answer within the deadline (a request that changes
    something was retried with the same request id until its time ran out: it may or may not have been done;
    asking again with the same id finds out)."""

    plain = "暂时连不上排队服务，请咨询工作人员"


class HallUnauthorized(HallError):
    """401: the hall does not accept this terminal's credentials (enroll again: ``kiosk hall enroll``)."""

    plain = "排队服务不认可本终端，请联系运维人员重新登记"


class HallBadAnswer(HallError):
    """The hall answered something that is not the protocol's."""

    plain = "排队服务返回的数据有误，请稍后重试"


class HallRefused(HallError):
    """The hall refused the request (4xx): ``code`` for programs (``service_full``, ``counter_busy`` …),
    ``message`` the hall's plain sentence (shown as it is), ``details`` the values it names (``window``,
    ``opens``, ``day``, ``number``, ``cap``), for a terminal that says them in its own words."""

    def __init__(
        self, detail: str, status: int, code: str, message: str, details: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details or {})  # the values the sentence names (docs/hall.md, "Errors")

    @property
    def plain(self) -> str:  # type: ignore[override]
        return self.message or "排队服务拒绝了这个操作"
