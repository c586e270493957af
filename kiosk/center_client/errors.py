"""What can go wrong talking to the center, sorted by what the terminal should do about it.

Each error carries ``plain``: a short sentence for the maintenance screen and ``kiosk sync status``; ``str()``
adds the technical detail for the log. None of them ever carries the secret, a signature or a record body.
"""

from __future__ import annotations


class CenterError(Exception):
    """Base of every center client error."""

    plain = "与中心通信出错"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class CenterConfigError(CenterError, ValueError):
    """The client cannot be set up as asked (a bad URL, plain HTTP to a remote host, a malformed secret)."""

    plain = "中心地址或凭据配置有误"


class CenterUnavailable(CenterError):
    """The network or the center is down (connection refused, timeout, 5xx): try again later, with backoff."""

    plain = "暂时连不上中心，记录已保存在本机，联网后自动上传"


class Unauthorized(CenterError):
    """401: the center does not accept this terminal's credentials; an operator must enroll it again."""

    plain = "中心拒绝了本终端的凭据，请重新登记终端（kiosk enroll）"


class BadCursor(CenterError):
    """400 bad_cursor: the feed's cursor is unknown to the center; start that feed over from the beginning."""

    plain = "同步位置失效，将从头同步"


class BadAnswer(CenterError):
    """The center answered something that is not what the protocol says (wrong type, bad or truncated JSON)."""

    plain = "中心返回的数据有误，已跳过，稍后重试"


class RequestRefused(CenterError):
    """The center refused the request as a whole (404, 413, 422 batch); resending it unchanged will not help.
    ``error`` is the answer's short error code (``{"error": ...}``), "" when it had none."""

    plain = "中心拒绝了请求"

    def __init__(self, detail: str, status: int, error: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.error = error


class IdentityCodeInvalid(RequestRefused):
    """404 ``identity_code_invalid``: the center does not know the identity code, it expired, or it was used
    before (a code resolves once). The citizen refreshes the code on the phone and shows it again."""

    plain = "身份码无效或已过期"


class DeadlineExceeded(CenterUnavailable):
    """No complete answer within the request's deadline (a line too slow, or a center that trickles): like any
    network fault, try again later. The sync engine also asks for smaller feed pages afterwards."""

    plain = "中心响应超时，记录已保存在本机，稍后自动重试"


class RateLimited(CenterUnavailable):
    """429: this terminal made more requests a minute than the center allows one; wait ``retry_after_s`` (the
    answer's Retry-After) before the next. Nothing is wrong with what was sent: records stay pending."""

    def __init__(self, detail: str, retry_after_s: float) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s
