"""身份码: a citizen without their card shows the dynamic identity code of a government app, the code scanner reads
it, and the center says who it stands for (``POST /api/v1/identity/resolve``).

Only the center can vouch for a code, so this works online only: offline, or on a terminal not enrolled with a
center, the citizen is told to use their ID card or social security card instead. A code resolves once (the center
refuses it the second time), so a screenshot of someone else's code cannot be replayed; an unknown, expired or
used code asks the citizen to refresh it on the phone.

The code and the identity are personal data: neither is logged here, and every failure carries a message the
citizen can act on (``IdentityCodeError.message``) and a short ``code`` for the log.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from drivers.idcard.tables import NATIONS, SEXES
from kiosk.center_client.errors import (
    CenterConfigError,
    CenterError,
    CenterUnavailable,
    IdentityCodeInvalid,
)
from kiosk.domain.identity import CardType, Identity
from kiosk.domain.messages import define
from kiosk.protocol.models import IDENTITY_CODE_MAX, IDENTITY_CODE_PREFIX
from kiosk.services.background import Background
from kiosk.store.keystore import KeystoreError

if TYPE_CHECKING:
    from kiosk.center_client.client import CenterClient
    from kiosk.protocol.models import IdentityInfo

log = logging.getLogger(__name__)

# kiosk.domain.messages: the screens translate them by code.
OFFLINE_MESSAGE = define(
    "identity_code.offline", "扫码核验身份需要联网，现在网络不通，请改用身份证或社保卡"
)()
INVALID_MESSAGE = define("identity_code.invalid", "身份码无效或已过期，请在手机上刷新身份码后重新扫描")()
UNAVAILABLE_MESSAGE = define("identity_code.unavailable", "扫码核验身份暂时用不了，请改用身份证或社保卡")()

# The prefix, then url-safe characters (the reference center issues 32; other issuers may use more or fewer).
_CODE = re.compile(re.escape(IDENTITY_CODE_PREFIX) + r"[A-Za-z0-9_-]{16,256}")
_SEX_CODES = {name: code for code, name in SEXES.items()}
_NATION_CODES = {name: code for code, name in NATIONS.items()}


class IdentityCodeError(Exception):
    """A code that gave no identity. ``message`` is for the citizen (shown on the prompt); ``code`` is one of
    ``not_a_code``, ``invalid`` (unknown, expired or used: refresh it), ``offline`` (center unreachable),
    ``not_enrolled`` and ``unavailable`` (the center refused the terminal or answered nonsense)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def looks_like_identity_code(text: str) -> bool:
    """Whether a scanned text is an identity code (and not, say, a rating code or a receipt's QR code)."""
    text = text.strip()
    return len(text) <= IDENTITY_CODE_MAX and _CODE.fullmatch(text) is not None


class IdentityCodeService:
    """Resolves identity codes at the center; ``client_factory`` builds a center client per code (it raises
    ``NotEnrolled`` on a terminal that has no credentials yet)."""

    def __init__(self, client_factory: Callable[[], CenterClient], background: Background) -> None:
        self.client_factory = client_factory
        self.background = background

    def resolve_async(self, code: str) -> Future[Identity]:
        """:meth:`resolve` on a worker thread: the way the UI asks. The future fails with
        :class:`IdentityCodeError` (an expected outcome, so it is not logged as a crash)."""
        future: Future[Identity] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return  # the screen gave up waiting before the work began
            try:
                future.set_result(self.resolve(code))
            except IdentityCodeError as exc:  # handed to the caller, who shows it
                future.set_exception(exc)
            except Exception as exc:
                log.exception("resolving an identity code failed")
                future.set_exception(exc)

        self.background.run(run)
        return future

    def resolve(self, code: str) -> Identity:
        """The identity the code stands for; blocks on the network, so call it on a worker."""
        code = code.strip()
        if not looks_like_identity_code(code):
            raise IdentityCodeError(INVALID_MESSAGE, "not_a_code")
        try:
            client = self.client_factory()
        except KeystoreError:  # NotEnrolled: no center to ask
            log.info("identity code not resolved: this terminal is not enrolled with a center")
            raise IdentityCodeError(OFFLINE_MESSAGE, "not_enrolled") from None
        except CenterConfigError as exc:
            log.warning("identity code not resolved: %s", exc.detail)
            raise IdentityCodeError(UNAVAILABLE_MESSAGE, "unavailable") from None
        try:
            info = client.resolve_identity_code(code)
        except IdentityCodeInvalid:
            log.info("identity code refused by the center (unknown, expired or used)")
            raise IdentityCodeError(INVALID_MESSAGE, "invalid") from None
        except CenterUnavailable as exc:
            log.info("identity code not resolved: the center is unreachable (%s)", type(exc).__name__)
            raise IdentityCodeError(OFFLINE_MESSAGE, "offline") from None
        except CenterError as exc:  # 401, another refusal, an answer that does not validate
            log.warning("identity code not resolved: %s: %s", type(exc).__name__, exc.detail)
            raise IdentityCodeError(UNAVAILABLE_MESSAGE, "unavailable") from None
        finally:
            client.close()
        identity = identity_from_info(info)
        log.info("identity code resolved: %r", identity)  # masked
        return identity


def identity_from_info(info: IdentityInfo) -> Identity:
    """The session's Identity for what the center said; the ID number is checked like a card's."""
    sex, nation = info.sex.strip(), info.nation.strip()
    return Identity(
        card_type=CardType.IDENTITY_CODE,
        name=info.name.strip(),
        id_number=info.id_number.strip().upper(),
        sex=sex,
        sex_code=_SEX_CODES.get(sex, ""),
        nation=nation,
        nation_code=_NATION_CODES.get(nation, ""),
        birth_date=info.birth_date,
        address=info.address.strip(),
    ).checked()
