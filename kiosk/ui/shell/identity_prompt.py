"""Asking for the citizen's identity where a screen needs it, and going on to that screen once it is there.

A screen that needs an identity (a form, a progress query) calls :meth:`IdentityPrompt.run_with_identity` with what
to do next. With a session open that runs at once; otherwise the 请放置身份证 screen opens (``wanted`` tells the
card readers, which read a card lying there unless it was left behind by someone else), and when a card is read
(or an identity code resolved) the prompt runs the action, which opens its screen in the prompt's place
(:meth:`open`). A card read while another screen covers the prompt (the maintenance screen, where the demo's sample
cards are placed) begins the session at once, and the prompt goes on as soon as it shows again. 返回 from the
prompt goes back to where the citizen was and forgets the action.

An identity code (身份码) scanned while the prompt shows is resolved at the center on a worker (:meth:`on_scan`);
the prompt is busy meanwhile, and a code that gives no identity leaves the prompt open with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.ui.messages import on_language_switched, translate
from kiosk.ui.shell.identity_session import IdentitySession
from kiosk.ui.shell.navigator import Navigator
from kiosk.ui.shell.tasks import BackgroundCall, run_in_background

if TYPE_CHECKING:
    from kiosk.domain.identity import Identity
    from kiosk.services.citizen import CitizenServices

log = logging.getLogger(__name__)

SCREEN = "identify"


class IdentityPrompt(QObject):
    changed = Signal()
    wanted = Signal()  # the prompt opened: the card readers read a card that lies there (see DevicePanel)

    def __init__(
        self,
        session: IdentitySession,
        navigator: Navigator,
        say: Callable[[str], None] = lambda key: None,
        parent: QObject | None = None,
        services: Callable[[], CitizenServices] | None = None,
        card_left: Callable[[], bool] = lambda: False,
    ) -> None:
        """``card_left``: whether a card left behind by an earlier session lies on a reader (what is said aloud
        when the prompt opens depends on it)."""
        super().__init__(parent)
        self._session = session
        self._navigator = navigator
        self._say = say
        self._services = services
        self._card_left = card_left
        self._purpose = ""
        self._action: Callable[[], None] | None = None
        self._problem = ""
        self._busy = False
        self._resolving: BackgroundCall | None = None
        session.started.connect(self._on_identity)
        on_language_switched(self.changed)
        navigator.left.connect(self._on_left)
        navigator.currentChanged.connect(self._go_on_if_shown)

    def run_with_identity(self, purpose: str, action: Callable[[], None]) -> None:
        """Run ``action`` now if a citizen is identified, else once they are; ``purpose`` says why we ask
        (shown on the prompt, e.g. 填写表单需要核对您的身份)."""
        if self._session.active:
            action()
            return
        self._purpose, self._action, self._problem, self._busy = purpose, action, "", False
        self.changed.emit()
        self._navigator.push(SCREEN)
        self._say("card_left" if self._card_left() else "place_card")
        self.wanted.emit()

    def open(self, screen: str) -> None:
        """Open ``screen``: in the prompt's place when the prompt is showing, so 返回 skips it."""
        if self._navigator.current == SCREEN:
            self._navigator.replace(screen)
        else:
            self._navigator.push(screen)

    def begin(self, identity: Identity) -> None:
        """An identity that did not come from a card (an identity code the center resolved)."""
        self._session.begin(identity)

    def set_problem(self, message: str) -> None:
        """A read or a code that failed: shown on the prompt, which stays open."""
        self._problem, self._busy = message, False
        self.changed.emit()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            self._problem = ""
        self.changed.emit()

    def on_scan(self, text: str) -> bool:
        """A scanned code: taken (True) when the prompt shows and the text is an identity code, which is then
        resolved at the center and begins the session; anything else is left to the other screens (False)."""
        if self._services is None or self._navigator.current != SCREEN:
            return False
        from kiosk.services.identity.identity_code import UNAVAILABLE_MESSAGE, looks_like_identity_code

        if not looks_like_identity_code(text):
            return False
        if self._resolving is not None:
            log.info("an identity code scanned while another is being checked: ignored")
            return True
        self.set_busy(True)
        try:
            service = self._services().identity_codes
        except Exception as exc:  # the terminal's data failed to open: the card readers still work
            log.error("identity codes unavailable: %s", exc)
            self.set_problem(UNAVAILABLE_MESSAGE)
            return True
        log.info("identity code scanned: asking the center")
        self._resolving = run_in_background(
            service.resolve_async(text), self._on_code_resolved, self._on_code_failed, parent=self
        )
        return True

    def _on_code_resolved(self, identity: Identity) -> None:
        self._resolving = None
        if self._navigator.current != SCREEN:
            return  # the citizen left the prompt meanwhile (返回, the idle reset): no session behind their back
        self.begin(identity)

    def _on_code_failed(self, exc: BaseException) -> None:
        from kiosk.services.identity.identity_code import UNAVAILABLE_MESSAGE, IdentityCodeError

        self._resolving = None
        if isinstance(exc, IdentityCodeError):
            code, message = exc.code, exc.message
        else:
            code, message = type(exc).__name__, UNAVAILABLE_MESSAGE
        log.info("identity code gave no identity: %s", code)
        if self._navigator.current == SCREEN:
            self.set_problem(message)

    @Slot()
    def _on_identity(self) -> None:
        self._busy, self._problem = False, ""
        self.changed.emit()
        self._go_on_if_shown()

    @Slot()
    def _go_on_if_shown(self) -> None:
        """With an identity and the prompt on top, go on to where the citizen was going. The action waits while
        another screen covers the prompt, and is forgotten when the prompt leaves the stack (``_on_left``)."""
        if self._action is None or not self._session.active or self._navigator.current != SCREEN:
            return
        action, self._action = self._action, None
        self.changed.emit()
        log.info("identity given: going on to %s", self._purpose or "the screen that asked")
        action()

    @Slot(str)
    def _on_left(self, screen: str) -> None:
        if screen == SCREEN:
            self.clear()

    @Slot()
    def clear(self) -> None:
        if self._resolving is not None:
            self._resolving.cancel()
            self._resolving = None
        self._purpose, self._action, self._problem, self._busy = "", None, "", False
        self.changed.emit()

    @Property(bool, notify=changed)
    def waiting(self) -> bool:
        return self._action is not None

    @Property(str, notify=changed)
    def purpose(self) -> str:
        return translate(self._purpose)

    @Property(str, notify=changed)
    def problem(self) -> str:
        return translate(self._problem)

    @Property(bool, notify=changed)
    def busy(self) -> bool:
        return self._busy
