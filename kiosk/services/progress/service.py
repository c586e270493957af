"""办件进度: the cases of the citizen whose card was just read, from the center, plus what this terminal still holds.

Online, the center answers with the person's cases (``POST /api/v1/cases/query``) and the terminal adds the forms
submitted here whose records have not reached the center yet, marked 待上传. Offline (or whenever the center
cannot be asked) only those local forms are shown, with ``center_reached`` false so the screen can say that the
list is incomplete.

Finding the local forms means opening the sealed ``submission`` records in the outbox and comparing the ID number
inside them: personal data, so :meth:`ProgressService.query` runs on a worker thread (``query_async``), never logs
a value, and returns masked identity values only, with each case's title, receipt, state and time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from kiosk.center_client.errors import CenterError
from kiosk.domain.identity import Identity
from kiosk.domain.messages import Message, define
from kiosk.protocol.submissions import applicant_field
from kiosk.services.background import Background
from kiosk.services.sync.outbox import OutboxService
from kiosk.store import outbox as outbox_store
from kiosk.store import sync_state
from kiosk.store.database import Database
from kiosk.store.keystore import KeystoreError
from kiosk.store.sealing import SealError

if TYPE_CHECKING:
    from kiosk.center_client.client import CenterClient
    from kiosk.protocol.models import Case
    from kiosk.services.sync.engine import SyncEngine

log = logging.getLogger(__name__)

PENDING_UPLOAD = "待上传"
SUBMISSION_FORMAT = "kiosk-submission/1"
OFFLINE_MESSAGE = define(
    "progress.offline", "暂时连不上中心，以下只列出在本机提交、尚未上传的办件；联网后可查询全部进度"
)()
_UNTITLED = define("progress.untitled", "自助申请")()  # a form whose template this terminal no longer has

# A case's state as the citizen reads it: the center's words (kiosk.protocol.models.CASE_STATES) and 待上传, as
# messages the screens translate. A word the center adds later is shown as it is.
STATE_WORDS: dict[str, Message] = {
    "已受理": define("case.accepted", "已受理")(),
    "审核中": define("case.reviewing", "审核中")(),
    "已办结": define("case.done", "已办结")(),
    "需补正": define("case.correction", "需补正")(),
    PENDING_UPLOAD: define("case.pending_upload", "待上传")(),
}


def state_word(state: str) -> str:
    """The words for ``state`` (a :class:`Message` for the states known here)."""
    return STATE_WORDS.get(state, state)


_PAGE = 500


@dataclass(frozen=True, slots=True)
class ProgressStep:
    state: str
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProgressItem:
    """One case as the screen lists it. ``source`` is ``center`` (tracked there) or ``terminal`` (submitted here,
    not delivered yet: state 待上传)."""

    receipt: str
    title: str
    department: str
    state: str
    updated_at: datetime
    source: Literal["center", "terminal"]
    case_id: str = ""
    history: tuple[ProgressStep, ...] = ()


@dataclass(frozen=True, slots=True)
class ProgressResult:
    """The answer for one person: masked name and ID number, the cases (most recently updated first), and whether
    the center could be asked (``center_reached``; when false, ``message`` says the list is only this terminal's)."""

    masked_name: str
    masked_id_number: str
    items: tuple[ProgressItem, ...]
    center_reached: bool
    message: str = ""

    @property
    def pending_upload(self) -> int:
        return sum(1 for item in self.items if item.source == "terminal")


class ProgressService:
    """Progress queries for the person on the card; ``client_factory`` builds a center client per query."""

    def __init__(
        self,
        database: Database,
        background: Background,
        outbox: OutboxService,
        client_factory: Callable[[], CenterClient],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database = database
        self.background = background
        self.outbox = outbox
        self.client_factory = client_factory
        self._clock = clock

    @classmethod
    def for_engine(cls, engine: SyncEngine, *, timeout: tuple[float, float] = (3, 10)) -> ProgressService:
        """Sharing the sync engine's database, writer, outbox and credentials; a citizen waits at the screen, so
        the center gets a shorter timeout than a background sync."""
        from kiosk.services.sync.engine import client_factory_for

        factory = client_factory_for(engine.settings, engine.keystore, timeout=timeout)
        return cls(engine.database, engine.background, engine.outbox, factory)

    def query_async(self, identity: Identity) -> Future[ProgressResult]:
        """:meth:`query` on a worker thread: the way the UI asks."""
        return self.background.run(self.query, identity)

    def query(self, identity: Identity) -> ProgressResult:
        """The person's cases; blocks on the network and opens sealed records, so call it on a worker."""
        id_number = identity.id_number
        local = self.local_submissions(id_number)
        try:
            cases = self._ask_center(id_number)
        except (CenterError, KeystoreError) as exc:  # NotEnrolled is a KeystoreError
            log.info("progress query without the center: %s", type(exc).__name__)
            return ProgressResult(
                identity.masked_name, identity.masked_id_number, _newest_first(local), False, OFFLINE_MESSAGE
            )
        known = {case.receipt for case in cases}
        items = [_from_case(case) for case in cases] + [i for i in local if i.receipt not in known]
        return ProgressResult(identity.masked_name, identity.masked_id_number, _newest_first(items), True)

    def _ask_center(self, id_number: str) -> list[Case]:
        client = self.client_factory()
        try:
            return client.cases(id_number)
        finally:
            client.close()

    def local_submissions(self, id_number: str) -> list[ProgressItem]:
        """Forms submitted on this terminal by this person whose records still wait in the outbox (待上传)."""
        wanted = _normalised(id_number)
        conn = self.database.connection()
        templates = sync_state.form_templates(conn)
        found: list[ProgressItem] = []
        for body in self._pending_submissions():
            template = _template_of(body, templates)
            values = body.get("values")
            number = values.get(applicant_field(template)) if isinstance(values, dict) else None
            if not isinstance(number, str) or _normalised(number) != wanted:
                continue
            receipt = body.get("receipt")
            if not isinstance(receipt, str) or not receipt:
                continue
            reference = body.get("template")
            code = reference.get("code") if isinstance(reference, dict) else None
            found.append(
                ProgressItem(
                    receipt=receipt,
                    title=_text(template.get("title")) or _text(code) or _UNTITLED,
                    department=_text(template.get("department")),
                    state=PENDING_UPLOAD,
                    updated_at=_time(body.get("created_at"), self._clock()),
                    source="terminal",
                )
            )
        return found

    def _pending_submissions(self) -> Iterator[dict[str, Any]]:
        """The bodies of the pending ``submission`` records that open (a row that does not is the sync engine's
        to quarantine; it is skipped here)."""
        conn = self.database.connection()
        after = 0
        while True:
            rows = outbox_store.pending(conn, after_id=after, limit=_PAGE)
            for row in rows:
                if row.kind != "submission":
                    continue
                try:
                    body = self.outbox.open(row).body
                except (SealError, ValueError):
                    continue
                if body.get("format") == SUBMISSION_FORMAT:
                    yield body
            if len(rows) < _PAGE:
                return
            after = rows[-1].id


def _template_of(body: dict[str, Any], templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    reference = body.get("template")
    code = reference.get("code") if isinstance(reference, dict) else None
    return templates.get(code, {}) if isinstance(code, str) else {}


def _normalised(id_number: str) -> str:
    return id_number.strip().upper()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _time(value: Any, fallback: float) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
            if parsed.utcoffset() is not None:
                return parsed
        except ValueError:
            pass
    return datetime.fromtimestamp(fallback, UTC).astimezone()


def _from_case(case: Case) -> ProgressItem:
    return ProgressItem(
        receipt=case.receipt,
        title=case.title,
        department=case.department,
        state=case.state,
        updated_at=case.updated_at,
        source="center",
        case_id=case.case_id,
        history=tuple(ProgressStep(step.state, step.at, step.note) for step in case.history),
    )


def _newest_first(items: list[ProgressItem]) -> tuple[ProgressItem, ...]:
    return tuple(sorted(items, key=lambda item: item.updated_at, reverse=True))
