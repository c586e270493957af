"""好差评 on the kiosk: the rating screen over the rating flow (``kiosk.flows.rating``, Qt-free, which a rating pad
reuses), shown to QML through the shell's one flow adapter.

Three ways in: after a completed form (``start_for_case``, skippable), a scanned rating code anywhere
(``on_scan``), or the home tile (``show``: scan, type a receipt number, or rate this visit). What only the kiosk's
screen does is here: opening and leaving the screen, going home, the spoken prompt, and the sample states of the
screenshots. The flow keeps the rating, its rules and the one rating per case, ticket or visit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.domain.rating import RatingSubject
from kiosk.flows.rating import LEVELS, RatingFlow
from kiosk.ui.shell.flow_adapter import flow_view

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.services.citizen import CitizenServices
    from kiosk.ui.shell.identity_session import IdentitySession
    from kiosk.ui.shell.navigator import Navigator

log = logging.getLogger(__name__)

SCREEN = "rating"

__all__ = ["LEVELS", "SCREEN", "RatingScreen"]


class RatingScreen(flow_view(RatingFlow)):  # type: ignore[misc]
    # A submitted rating came back incomplete: the screen scrolls to the first problem.
    problemsShown = Signal()

    def __init__(
        self,
        services: Callable[[], CitizenServices],
        session: IdentitySession,
        navigator: Navigator,
        settings: Settings,
        say: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            lambda deliver: RatingFlow(
                lambda: services().ratings, settings.terminal_id, session.identity, deliver
            ),
            parent,
        )
        self._navigator = navigator
        self._session = session
        self._say = say
        self._generation = 0  # bumped by clear() and leaving: a deferred opening from before it is dropped
        session.changed.connect(self.refresh)  # the rater's masked name
        navigator.left.connect(self._on_left)

    # --- the three ways in -------------------------------------------------------------------------------

    def start_for_case(self, receipt: str) -> None:
        """After a completed transaction: rate the case of ``receipt`` (skippable)."""
        subject = self.flow.case_subject(receipt)
        if subject is None:
            return
        generation = self._generation

        def open_after_form() -> None:
            # On the next turn, once the form flow is done with its own screens: the rating then stands alone
            # on the home screen, so 返回 cannot lead back into a form that has been closed.
            if generation != self._generation:
                return
            self._navigator.home()
            self.flow.open(subject, skippable=True)
            self._say("rate_service")

        QTimer.singleShot(0, self, open_after_form)  # dropped with this object

    def on_scan(self, text: str) -> bool:
        """A scanned code; True when it was a rating code and was handled (the flow says which)."""
        return self.flow.scan(text, at_entry=self._navigator.current == SCREEN)

    @Slot()
    def show(self) -> None:
        """The home tile 服务评价: how to rate."""
        self.flow.show_entry()
        self._show_screen()

    @Slot()
    def skip(self) -> None:
        """跳过: no rating this time."""
        self._navigator.home()

    @Slot()
    def goHome(self) -> None:
        self._navigator.home()

    def clear(self) -> None:
        """The session ended: forget the rating being given, and this session's visit."""
        self._generation += 1
        self.flow.clear()

    def flow_event(self, event: str) -> None:
        if event == "opened":
            self._show_screen()
        elif event == "problems":
            self.problemsShown.emit()

    # --- screenshots -------------------------------------------------------------------------------------

    DEMO_STATES = ("entry", "entry-mistyped", "levels", "details", "bad", "missing-reason", "done", "refused")

    def demo_state(self, which: str) -> None:
        """A representative state for screenshots, with a demo card's session: ``entry``, ``levels`` (nothing
        chosen yet), ``details`` (满意 with its indicators), ``bad`` (不满意 with reasons and a comment),
        ``missing-reason`` (不满意 sent without a reason), ``done`` or ``refused``; ``entry-mistyped`` is the entry
        with a receipt number keyed in with two digits swapped. Nothing is written."""
        from datetime import date

        from drivers.idcard.cards import SAMPLES
        from kiosk.domain.receipt import make_receipt

        if which not in self.DEMO_STATES:
            raise ValueError(f"unknown rating screen state {which!r}; known: {', '.join(self.DEMO_STATES)}")
        if not self._session.active:
            self._session.begin(SAMPLES["elder"])
        if which in ("entry", "entry-mistyped"):
            self.show()
            if which == "entry-mistyped":  # two neighbouring digits of the number swapped
                receipt = make_receipt("T-demo0001", date.today(), 27)
                self.flow.press_receipt_key(receipt[:14] + receipt[15] + receipt[14] + receipt[16:])
                self.flow.rate_typed_receipt()
            return
        subject = RatingSubject.case(make_receipt("T-demo0001", date.today(), 7))
        # what a citizen would type, in the language shown
        self.flow.show_sample(which, subject, comment=self.tr("周一上午排队一个多小时"))
        self._show_screen()

    # --- inside ------------------------------------------------------------------------------------------

    def _show_screen(self) -> None:
        if self._navigator.current != SCREEN:
            self._navigator.push(SCREEN)

    @Slot(str)
    def _on_left(self, screen: str) -> None:
        """Leaving the screen drops the rating; the visit id stays for the session (one rating per visit)."""
        if screen == SCREEN:
            self._generation += 1
            self.flow.leave()

    def __repr__(self) -> str:
        return f"RatingScreen({self.flow!r})"
