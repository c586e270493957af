"""办件进度查询 for the citizen of the session: their cases at the center, plus the forms this terminal still holds.

The query needs the person's ID number, so it asks for a card first (the identity prompt) and runs on a worker
(the center may be slow or unreachable; the local forms are sealed and must be opened). The screen shows the
masked name and number only. When the center cannot be asked, the answer is the local forms marked 待上传 with
a message saying the list is incomplete. A new card in the reader is a new person: the list of the previous one
is dropped at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.domain.messages import define
from kiosk.domain.receipt import group_receipt
from kiosk.services.progress.service import PENDING_UPLOAD, ProgressItem, ProgressResult, state_word
from kiosk.services.usage import events as usage
from kiosk.ui.messages import on_language_switched, translate
from kiosk.ui.shell.list_models import ValueListModel
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:
    from kiosk.domain.identity import Identity
    from kiosk.services.citizen import CitizenServices
    from kiosk.ui.shell.identity_prompt import IdentityPrompt
    from kiosk.ui.shell.identity_session import IdentitySession
    from kiosk.ui.shell.navigator import Navigator

log = logging.getLogger(__name__)

SCREEN = "progress"

# idle: nothing asked; loading; ready: the center's answer (with any local forms); empty: the center knows no
# case and nothing waits here; offline: the center could not be asked, local forms only; error.
IDLE, LOADING, READY, EMPTY, OFFLINE, ERROR = "idle", "loading", "ready", "empty", "offline", "error"

NEEDS_CORRECTION = "需补正"
IDENTIFY_PURPOSE = define(
    "progress.identify_purpose", "查询办件进度，请先读取您的身份证"
)()  # follows a switch

# The state words the center uses (kiosk.protocol.models.CASE_STATES) and 待上传, as the badge's kind: the QML
# picks colour and icon by kind, and always shows the words too.
STATE_KINDS = {
    "已受理": "accepted",
    "审核中": "reviewing",
    "已办结": "done",
    NEEDS_CORRECTION: "correction",
    PENDING_UPLOAD: "pending",
}

ROW_FIELDS = (
    "receipt",
    "receiptShown",
    "title",
    "department",
    "state",
    "stateKind",
    "submittedAt",
    "updatedAt",
    "pending",
    "note",
    "steps",
)


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """One case as the list shows it: texts ready to read (the state in the language shown; the title, the
    department and the staff's notes as the center wrote them), times in the terminal's zone. ``steps`` are the
    state history, oldest first, each ``{"state", "stateKind", "at", "note"}``."""

    receipt: str
    receiptShown: str  # in the groups it is read aloud in (395607 261122 00424)
    title: str
    department: str
    state: str
    stateKind: str  # camelCase: QML roles
    submittedAt: str
    updatedAt: str
    pending: bool
    note: str
    steps: list[dict[str, str]]

    @classmethod
    def of(cls, item: ProgressItem) -> ProgressRow:
        history = item.history
        submitted = history[0].at if history else item.updated_at
        note = ""
        if item.state == NEEDS_CORRECTION:
            # What to bring or correct: the note of the step that asked for it.
            note = next((s.note for s in reversed(history) if s.state == NEEDS_CORRECTION and s.note), "")
        return cls(
            receipt=item.receipt,
            receiptShown=group_receipt(item.receipt),
            title=translate(item.title),
            department=item.department,
            state=translate(state_word(item.state)),
            stateKind=STATE_KINDS.get(item.state, "other"),
            submittedAt=_when(submitted),
            updatedAt=_when(item.updated_at),
            pending=item.source == "terminal",
            note=note,
            steps=[
                {
                    "state": translate(state_word(s.state)),
                    "stateKind": STATE_KINDS.get(s.state, "other"),
                    "at": _when(s.at),
                    "note": s.note,
                }
                for s in history
            ],
        )


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class ProgressScreen(QObject):
    changed = Signal()

    def __init__(
        self,
        services: Callable[[], CitizenServices],
        session: IdentitySession,
        prompt: IdentityPrompt,
        navigator: Navigator,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._session = session
        self._prompt = prompt
        self._navigator = navigator
        self._items = ValueListModel(ROW_FIELDS, self)
        self._state = IDLE
        self._masked_name = ""
        self._masked_id_number = ""
        self._message = ""
        self._queried_for: Identity | None = None  # whose cases are shown: another card drops them
        self._shown: tuple[ProgressItem, ...] = ()  # the cases listed, to say them again in another language
        self._call: BackgroundCall | None = None
        on_language_switched(self._on_language_switched)
        session.changed.connect(self._on_session_changed)
        navigator.left.connect(self._on_left)

    # --- actions -----------------------------------------------------------------------------------------

    @Slot()
    def show(self) -> None:
        """The home tile 办件进度: the citizen's card first, then their cases."""
        self._prompt.run_with_identity(IDENTIFY_PURPOSE, self._open_and_query)

    @Slot()
    def refresh(self) -> None:
        """刷新 / 重试: ask again."""
        if self._session.active:
            self._query()

    @Slot()
    def retry(self) -> None:
        self.refresh()

    def clear(self) -> None:
        """Forget the person's cases."""
        self._cancel()
        self._queried_for = None
        self._shown = ()
        self._items.clear()
        self._masked_name = self._masked_id_number = self._message = ""
        self._state = IDLE
        self.changed.emit()

    # --- what QML reads ----------------------------------------------------------------------------------

    @Property(QObject, constant=True)
    def items(self) -> ValueListModel:
        return self._items

    @Property(str, notify=changed)
    def state(self) -> str:
        return self._state

    @Property(str, notify=changed)
    def maskedName(self) -> str:
        return self._masked_name

    @Property(str, notify=changed)
    def maskedIdNumber(self) -> str:
        return self._masked_id_number

    @Property(str, notify=changed)
    def message(self) -> str:
        """The center could not be asked: what the list leaves out."""
        return translate(self._message)

    @Property(int, notify=changed)
    def pendingCount(self) -> int:
        return sum(1 for row in self._items.rows() if row.pending)

    # --- screenshots -------------------------------------------------------------------------------------

    DEMO_STATES = ("loading", "ready", "empty", "offline", "error")

    def demo_state(self, which: str) -> None:
        """A representative state for screenshots, with a demo card's session and made-up cases (no center is
        asked): ``loading``, ``ready``, ``empty``, ``offline`` or ``error``."""
        from drivers.idcard.cards import SAMPLES

        if which not in self.DEMO_STATES:
            raise ValueError(f"unknown progress screen state {which!r}; known: {', '.join(self.DEMO_STATES)}")
        identity = SAMPLES["elder"]
        if not self._session.active:
            self._session.begin(identity)
        identity = self._session.identity() or identity
        self._cancel()
        if self._navigator.current != SCREEN:
            self._navigator.push(SCREEN)
        self._queried_for = identity
        self._masked_name, self._masked_id_number = identity.masked_name, identity.masked_id_number
        if which == "loading":
            self._show_rows(LOADING, ())
        elif which == "error":
            self._show_rows(ERROR, ())
        elif which == "empty":
            self._show_rows(EMPTY, ())
        else:
            result = _demo_result(identity, online=which == "ready")
            self._show_result(result)

    # --- inside ------------------------------------------------------------------------------------------

    def _open_and_query(self) -> None:
        self._prompt.open(SCREEN)
        self._query()

    def _query(self) -> None:
        identity = self._session.identity()
        if identity is None:
            return
        self._cancel()
        if identity is not self._queried_for:
            self._shown = ()
            self._items.clear()
        self._queried_for = identity
        self._masked_name, self._masked_id_number = identity.masked_name, identity.masked_id_number
        self._message = ""
        self._set_state(LOADING)
        try:
            future = self._services().progress.query_async(identity)
        except Exception as exc:  # the terminal's data did not open
            self._on_failed(exc)
            return
        self._call = run_in_background(future, self._show_result, self._on_failed, parent=self)

    def _show_result(self, result: ProgressResult) -> None:
        self._call = None
        self._masked_name, self._masked_id_number = result.masked_name, result.masked_id_number
        self._message = result.message
        state = OFFLINE if not result.center_reached else READY if result.items else EMPTY
        log.info(
            "progress shown: %d cases, %d waiting to upload, center %s",
            len(result.items),
            result.pending_upload,
            "reached" if result.center_reached else "not reached",
        )
        self._show_rows(state, result.items)

    def _on_failed(self, exc: BaseException) -> None:
        self._call = None
        log.error("progress query failed (E-PROGRESS): %s", type(exc).__name__)
        usage.error_shown("E-PROGRESS")
        self._show_rows(ERROR, ())

    def _show_rows(self, state: str, items: tuple[ProgressItem, ...]) -> None:
        self._shown = tuple(items)
        self._items.replace([ProgressRow.of(item) for item in self._shown])
        self._state = state
        self.changed.emit()

    def _on_language_switched(self) -> None:
        if self._shown:
            self._items.replace([ProgressRow.of(item) for item in self._shown])
        self.changed.emit()

    def _set_state(self, state: str) -> None:
        self._state = state
        self.changed.emit()

    def _cancel(self) -> None:
        if self._call is not None:
            self._call.cancel()
            self._call = None

    @Slot()
    def _on_session_changed(self) -> None:
        if self._state == IDLE or self._session.identity() is self._queried_for:
            return
        if self._session.active and self._navigator.current == SCREEN:
            self._query()  # another card on the reader: that person's cases, never the previous one's
        else:
            self.clear()

    @Slot(str)
    def _on_left(self, screen: str) -> None:
        if screen == SCREEN:
            self.clear()


def _demo_result(identity: Identity, *, online: bool) -> ProgressResult:
    """Made-up cases in every state, for screenshots."""
    from datetime import timedelta

    from kiosk.domain.receipt import make_receipt
    from kiosk.services.progress.service import OFFLINE_MESSAGE, ProgressStep

    now = datetime.now().astimezone().replace(second=0, microsecond=0)

    def at(days: float) -> datetime:
        return now - timedelta(days=days)

    def receipt(days: int, sequence: int) -> str:
        return make_receipt("T-demo0001", at(days).date(), sequence)

    pending = ProgressItem(
        receipt(0, 3),
        "社会保障卡补换卡申请表",
        "清远市人力资源和社会保障局",
        PENDING_UPLOAD,
        at(0.01),
        "terminal",
    )
    if not online:
        return ProgressResult(
            identity.masked_name, identity.masked_id_number, (pending,), False, OFFLINE_MESSAGE
        )
    cases = (
        ProgressItem(
            receipt(2, 5),
            "居住证申领",
            "清远市公安局清城分局",
            NEEDS_CORRECTION,
            at(1),
            "center",
            "C-demo-3",
            (
                ProgressStep("已受理", at(2)),
                ProgressStep(NEEDS_CORRECTION, at(1), "请补交近6个月的居住证明（租房合同或房屋产权证明）"),
            ),
        ),
        ProgressItem(
            receipt(5, 3),
            "城乡居民医保参保登记",
            "清远市医疗保障局",
            "审核中",
            at(4),
            "center",
            "C-demo-2",
            (ProgressStep("已受理", at(5)), ProgressStep("审核中", at(4))),
        ),
        ProgressItem(
            receipt(20, 7),
            "社会保障卡补换卡",
            "清远市人力资源和社会保障局",
            "已办结",
            at(12),
            "center",
            "C-demo-1",
            (
                ProgressStep("已受理", at(20)),
                ProgressStep("审核中", at(18)),
                ProgressStep("已办结", at(12), "新卡已制好，请带身份证到区政务服务中心3号窗口领取"),
            ),
        ),
    )
    return ProgressResult(identity.masked_name, identity.masked_id_number, (pending, *cases), True)
