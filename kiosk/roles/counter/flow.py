"""The counter (窗口) as a flow, Qt-free: staff sign in at a counter, then call, recall, finish, miss, put back,
transfer, hold and resume, call a number, mark 绿色通道, pause and sign out, each through the hall's queue service
(``kiosk.hall_client``), while the hall's events keep what the counter shows current.

Everything that talks to the hall runs on the services' background and comes back through ``deliver`` (the UI
thread's, for the window); the hall's events come from the follower's own thread and are handed over through
``post`` (given at :meth:`CounterFlow.start`), so the flow's state only ever changes on the owner's thread.

No blind actions: while the link to the hall is down the counter says so and sends nothing, and one action runs at
a time. A request under way when the link drops is sent again with its request id for a few seconds (the hall
does it once), then the counter says it may not have been done; the state after reconnecting shows what was.

The PIN goes from the sign-in form to the hall and nowhere else: it is neither kept, shown nor logged.

Events: ``changed``; ``signedIn``, ``signedOut`` (the window moves its focus).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from kiosk.domain.messages import Message
from kiosk.flows import Deliver, Flow
from kiosk.hall_client import (
    HallClient,
    HallConfigError,
    HallError,
    HallFollower,
    HallRefused,
    HallUnavailable,
)
from kiosk.hall_client.mirror import apply
from kiosk.protocol.hall import CounterAnswer, HallEvent, HallState
from kiosk.roles.counter import messages as say
from kiosk.roles.counter.desk import Desk, Place, TicketRow, desk_of, normalized_number, with_answer

if TYPE_CHECKING:
    from kiosk.services.background import Background

log = logging.getLogger(__name__)

# starting: finding the hall; unenrolled: this PC has no hall; signIn: the sign-in form; desk: signed in.
STARTING, UNENROLLED, SIGN_IN, DESK = "starting", "unenrolled", "signIn", "desk"
# connecting: never reached yet; online; reconnecting: the link was lost (shown at once: "正在重新连接…").
CONNECTING, ONLINE, RECONNECTING = "connecting", "online", "reconnecting"
# Dialogs the window shows over the desk; which one is open is the flow's, so keys and screenshots agree.
NO_DIALOG = ""
DIALOGS = ("noShow", "signOut", "transfer", "callNumber", "putBack", "green", "resume")

# The keyboard: one key an action, shown on its button (docs/counter.md).
SHORTCUTS: dict[str, str] = {
    "call": "F1",
    "recall": "F2",
    "finish": "F3",
    "noShow": "F4",
    "hold": "F5",
    "resume": "F6",
    "transfer": "F7",
    "callNumber": "F8",
    "putBack": "F9",
    "green": "F10",
    "pause": "F11",
    "signOut": "F12",
}
_STAFF_NO = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
_PIN = re.compile(r"^[0-9]{4,12}$")
# How long a request is sent again while the hall cannot be reached: short, so staff hear soon that it failed.
ACTION_RETRY_S = 3.0
# The follower's idle timeout: a silent link is known lost within it (the hall sends a keep-alive every 2 s).
LINK_IDLE_TIMEOUT_S = 4.0


def _row(row: TicketRow, *, first: bool = False) -> dict[str, Any]:
    return {
        "id": row.id,
        "number": row.number,
        "service": row.service,
        "serviceName": row.service_name,
        "priority": row.priority,
        "priorityReason": say.priority_reason(row.priority_reason),
        "waitedMin": row.waited_min,
        "maskedName": row.masked_name,
        "toMe": row.to_me,
        "next": first,
    }


def _place(place: Place) -> dict[str, Any]:
    return {"key": place.key, "name": place.name, "detail": place.detail}


class CounterFlow(Flow):
    FIELDS: ClassVar[dict[str, type]] = {
        "phase": str,
        "link": str,
        "busy": bool,
        "message": str,
        "messageKind": str,  # info, done, refused
        "dialog": str,
        "hallName": str,
        "defaultCounter": int,
        "counterChoices": list,
        "counterNumber": int,
        "counterName": str,
        "counterState": str,  # open, paused, closed
        "staffNo": str,
        "staffName": str,
        "hasCurrent": bool,
        "current": dict,
        "queue": list,
        "held": list,
        "noShows": list,
        "served": int,
        "noShowCount": int,
        "meanServiceMin": float,  # -1: nothing finished yet today
        "services": list,
        "counters": list,
        "prefixes": list,  # the hall's number prefixes (the touch keys of a number)
        "shortcuts": dict,
    }
    ACTIONS: ClassVar[dict[str, tuple[str, tuple[type, ...]]]] = {
        "signIn": ("sign_in", (str, str, str)),
        "press": ("press", (str,)),
        "callNext": ("call_next", ()),
        "recall": ("recall", ()),
        "finish": ("finish", ()),
        "noShow": ("no_show", ()),
        "hold": ("hold", ()),
        "resume": ("resume", (str,)),
        "transfer": ("transfer", (str, str)),
        "callNumber": ("call_number", (str,)),
        "putBack": ("put_back", (str,)),
        "markGreen": ("mark_green", (str, str)),
        "togglePause": ("toggle_pause", ()),
        "signOut": ("sign_out", ()),
        "finishAndSignOut": ("finish_and_sign_out", ()),
        "openDialog": ("open_dialog", (str,)),
        "closeDialog": ("close_dialog", ()),
        "confirm": ("confirm", ()),
        "clearMessage": ("clear_message", ()),
        "closeWanted": ("close_wanted", ()),
    }

    def __init__(
        self,
        deliver: Deliver,
        background: Background,
        connect: Callable[[], HallClient],
        *,
        default_counter: int = 0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self._deliver = deliver
        self._background = background
        self._connect = connect
        self._default_counter = default_counter
        self._clock = clock or (lambda: datetime.now().astimezone())
        self._post: Callable[[Callable[[], None]], None] | None = None
        self._client: HallClient | None = None
        self._follower: HallFollower | None = None
        self._phase = STARTING
        self._link = CONNECTING
        self._busy = False
        self._message: str = ""
        self._message_kind = "info"
        self._dialog = NO_DIALOG
        self._state: HallState | None = None
        self._counter = 0
        self._staff_no = ""

    # --- the link to the hall ------------------------------------------------------------------------------

    def start(self, post: Callable[[Callable[[], None]], None]) -> None:
        """Find the hall (reading this PC's credentials, on a worker) and follow it. ``post(fn)`` runs ``fn`` on
        the owner's thread, from any thread."""
        self._post = post
        self._deliver(self._background.run(self._connect), self._connected, self._not_connected)

    def _connected(self, client: HallClient) -> None:
        self._client = client
        self._phase = SIGN_IN
        post = self._post
        assert post is not None
        self._follower = HallFollower(
            client,
            on_state=lambda state: post(lambda: self._on_state(state)),
            on_event=lambda event: post(lambda: self._on_event(event)),
            on_link=lambda up: post(lambda: self._on_link(up)),
            idle_timeout=LINK_IDLE_TIMEOUT_S,
            reconnect_max_s=3.0,
        )
        self._follower.start()
        self.notify()

    def _not_connected(self, exc: BaseException) -> None:
        log.error("the counter cannot reach its hall: %s", exc)
        self._phase = UNENROLLED
        self._say(say.CONFIG_WRONG if isinstance(exc, HallConfigError) else say.NOT_ENROLLED, "refused")
        self.notify()

    def close(self) -> None:
        """Stop following the hall (the follower's stop waits for its thread: on a worker, not here)."""
        follower, self._follower = self._follower, None
        if follower is not None:
            self._background.run(follower.stop)

    def _on_state(self, state: HallState) -> None:
        self._state = state
        self._check_still_signed_in()
        self.notify()

    def _on_event(self, event: HallEvent) -> None:
        if self._state is None:
            return
        after = apply(self._state, event)
        if after is None:
            return  # the follower fetches the whole state next
        self._state = after
        self._check_still_signed_in()
        self.notify()

    def _on_link(self, up: bool) -> None:
        self._link = ONLINE if up else RECONNECTING
        if up and self._message == say.LINK_DOWN:
            self._say("")  # said while it was down; the screen now shows what is
        log.info("link to the hall %s", "up" if up else "lost: reconnecting")
        self.notify()

    def _check_still_signed_in(self) -> None:
        """Staff signed in here, and the hall says someone else holds the counter now (signed in again from a
        replacement PC) or nobody does: this window is signed out."""
        if self._phase != DESK or self._state is None:
            return
        counter = next((c for c in self._state.counters if c.number == self._counter), None)
        if counter is not None and counter.staff_no == self._staff_no:
            return
        log.warning("counter %d is no longer signed in from here", self._counter)
        self._signed_out(say.TAKEN_ELSEWHERE, "refused")

    # --- what the window shows ----------------------------------------------------------------------------

    def desk(self) -> Desk | None:
        if self._state is None or not self._counter:
            return None
        return desk_of(self._state, self._counter, self._clock())

    def view(self) -> dict[str, Any]:
        state, desk = self._state, self.desk()
        counter = desk.counter if desk is not None else None
        serving = desk.serving if desk is not None else None
        current: dict[str, Any] = {}
        if serving is not None:
            current = {
                **_row(serving.ticket),
                "servingMin": serving.serving_min,
                "callCount": serving.call_count,
            }
        return {
            "phase": self._phase,
            "link": self._link,
            "busy": self._busy,
            "message": self._message,
            "messageKind": self._message_kind,
            "dialog": self._dialog,
            "hallName": state.hall_name if state is not None else "",
            "defaultCounter": self._default_counter,
            "counterChoices": [
                {"number": c.number, "name": c.name, "state": c.state, "staffNo": c.staff_no}
                for c in (state.counters if state is not None else [])
            ],
            "counterNumber": self._counter,
            "counterName": counter.name if counter is not None else "",
            "counterState": counter.state if counter is not None else "closed",
            "staffNo": self._staff_no,
            "staffName": counter.staff_name if counter is not None else "",
            "hasCurrent": serving is not None,
            "current": current,
            "queue": [_row(r, first=i == 0) for i, r in enumerate(desk.queue)] if desk else [],
            "held": [_row(r) for r in desk.held] if desk else [],
            "noShows": [_row(r) for r in desk.no_shows] if desk else [],
            "served": counter.served_today if counter is not None else 0,
            "noShowCount": counter.no_shows_today if counter is not None else 0,
            "meanServiceMin": desk.mean_service_min if desk and desk.mean_service_min is not None else -1.0,
            "services": [_place(p) for p in desk.services] if desk else [],
            "counters": [_place(p) for p in desk.counters] if desk else [],
            "prefixes": sorted({s.prefix for s in state.services}) if state is not None else [],
            "shortcuts": dict(SHORTCUTS),
        }

    def _say(self, message: str, kind: str = "info") -> None:
        self._message, self._message_kind = message, kind

    def clear_message(self) -> None:
        self._say("")
        self.notify()

    def close_wanted(self) -> None:
        """The window's close button while signed in: the counter would stay open in the hall with nobody."""
        self._say(say.SIGN_OUT_FIRST, "refused")
        self.notify()

    # --- signing in and out -------------------------------------------------------------------------------

    def sign_in(self, counter_text: str, staff_no: str, pin: str) -> None:
        counter_text, staff_no = counter_text.strip(), staff_no.strip()
        problem = None
        if not counter_text.isdigit() or not 1 <= int(counter_text) <= 999:
            problem = say.BAD_COUNTER
        elif not _STAFF_NO.fullmatch(staff_no):
            problem = say.BAD_STAFF
        elif not _PIN.fullmatch(pin):
            problem = say.BAD_PIN
        elif self._state is not None and not any(c.number == int(counter_text) for c in self._state.counters):
            problem = say.NO_SUCH_COUNTER(counter=int(counter_text))
        if problem is not None:
            self._say(problem, "refused")
            self.notify()
            return
        number = int(counter_text)
        log.info("staff %s signing in at counter %d", staff_no, number)

        def signed_in(answer: CounterAnswer) -> None:
            self._counter, self._staff_no = number, staff_no
            self._phase = DESK
            self._dialog = NO_DIALOG
            self._say(say.SIGNED_IN(staff=staff_no, counter=answer.counter.name), "done")
            self.notify("signedIn")

        self._send(lambda c: c.sign_in(number, staff_no, pin), signed_in, phase=SIGN_IN, staff_no=staff_no)

    def sign_out(self) -> None:
        if self._guard():
            self._send(
                lambda c: c.sign_out(self._counter), lambda _: self._signed_out(say.SIGNED_OUT, "done")
            )

    def finish_and_sign_out(self) -> None:
        """办结 the ticket being served, then sign out (asked once, when signing out with a ticket open)."""
        if not self._guard():
            return
        counter = self._counter

        def both(client: HallClient) -> CounterAnswer:
            client.finish(counter)
            return client.sign_out(counter)

        self._send(both, lambda _: self._signed_out(say.SIGNED_OUT, "done"))

    def _signed_out(self, message: Message, kind: str) -> None:
        self._phase = SIGN_IN if self._client is not None else self._phase
        self._counter, self._staff_no = 0, ""
        self._dialog = NO_DIALOG
        self._say(message, kind)
        self.notify("signedOut")

    # --- the counter's operations -------------------------------------------------------------------------

    def call_next(self) -> None:
        if self._guard():
            self._send(
                lambda c: c.call_next(self._counter),
                lambda a: self._done(say.CALLED(number=a.ticket.number) if a.ticket else say.NOBODY_WAITS),
            )

    def recall(self) -> None:
        if self._guard():
            self._send(lambda c: c.recall(self._counter), lambda a: self._done(say.RECALLED, a))

    def finish(self) -> None:
        if self._guard():
            self._send(lambda c: c.finish(self._counter), lambda a: self._done(say.FINISHED, a))

    def no_show(self) -> None:
        if self._guard():
            self._send(lambda c: c.no_show(self._counter), lambda a: self._done(say.NO_SHOW, a))

    def hold(self) -> None:
        if self._guard():
            self._send(lambda c: c.hold(self._counter), lambda a: self._done(say.HELD, a))

    def resume(self, number: str = "") -> None:
        if not self._guard():
            return
        chosen = number.strip() or None
        self._send(
            lambda c: c.resume(self._counter, chosen), lambda a: self._done(say.RESUMED, a), number=chosen
        )

    def transfer(self, kind: str, key: str) -> None:
        """转移 the ticket being served to a service (``kind`` ``service``, ``key`` its code) or to a counter
        (``counter``, its number)."""
        if not self._guard():
            return
        desk = self.desk()
        places = {"service": desk.services, "counter": desk.counters} if desk is not None else {}
        place = next((p for p in places.get(kind, ()) if p.key == key), None)
        if place is None:
            self._say(say.REFUSALS["unknown_service" if kind == "service" else "unknown_counter"], "refused")
            self.notify()
            return
        counter = self._counter
        if kind == "service":
            send: Callable[[HallClient], CounterAnswer] = lambda c: c.transfer(counter, service=key)  # noqa: E731
        else:
            send = lambda c: c.transfer(counter, to_counter=int(key))  # noqa: E731
        self._send(send, lambda a: self._done(say.TRANSFERRED(number=_number(a), place=place.name)))

    def call_number(self, text: str) -> None:
        number = self._number(text)
        if number is not None and self._guard():
            self._send(
                lambda c: c.call_number(self._counter, number),
                lambda a: self._done(say.CALLED, a),
                number=number,
            )

    def put_back(self, text: str) -> None:
        number = self._number(text)
        if number is not None and self._guard():
            self._send(
                lambda c: c.put_back(self._counter, number),
                lambda a: self._done(say.PUT_BACK, a),
                number=number,
            )

    def mark_green(self, text: str, reason: str) -> None:
        number = self._number(text)
        if number is None or reason not in say.GREEN_REASONS or not self._guard():
            return
        self._send(
            lambda c: c.mark_green(self._counter, number, reason),
            lambda a: self._done(say.GREEN(number=_number(a), reason=say.GREEN_REASONS[reason])),
            number=number,
        )

    def toggle_pause(self) -> None:
        if not self._guard():
            return
        desk = self.desk()
        if desk is not None and desk.counter.state == "paused":
            self._send(lambda c: c.reopen(self._counter), lambda _: self._done(say.REOPENED))
        else:
            self._send(lambda c: c.pause(self._counter), lambda _: self._done(say.PAUSED))

    # --- the keyboard and the dialogs ---------------------------------------------------------------------

    def press(self, key: str) -> None:
        """A shortcut key (``F1`` … ``F12``): its action, or the dialog that asks for what it needs. Keys do
        nothing while a dialog is open (it has the keyboard) or before signing in."""
        if self._phase != DESK or self._dialog != NO_DIALOG:
            return
        action = next((name for name, k in SHORTCUTS.items() if k == key), None)
        if action is None:
            return
        direct: dict[str, Callable[[], None]] = {
            "call": self.call_next,
            "recall": self.recall,
            "finish": self.finish,
            "hold": self.hold,
            "pause": self.toggle_pause,
        }
        if action in direct:
            direct[action]()
        elif action == "resume":
            self._resume_key()
        elif action == "signOut":
            desk = self.desk()
            if desk is not None and desk.serving is not None:
                self.open_dialog("signOut")  # a ticket is open: ask once
            else:
                self.sign_out()
        else:
            self.open_dialog(action)

    def _resume_key(self) -> None:
        desk = self.desk()
        held = desk.held if desk is not None else ()
        if len(held) == 1:
            self.resume(held[0].number)
        elif held:
            self.open_dialog("resume")
        else:
            self._say(say.NOTHING_HELD, "refused")
            self.notify()

    def open_dialog(self, name: str) -> None:
        if name not in DIALOGS or self._phase != DESK:
            return
        if self._link != ONLINE:
            self._say(say.LINK_DOWN, "refused")
            self.notify()
            return
        desk = self.desk()
        if name in ("noShow", "transfer") and (desk is None or desk.serving is None):
            self._say(say.NO_CURRENT, "refused")
            self.notify()
            return
        if name == "resume" and (desk is None or not desk.held):
            self._say(say.NOTHING_HELD, "refused")
            self.notify()
            return
        self._dialog = name
        self._say("")  # the dialog shows what goes wrong in it, not what went before
        self.notify()

    def close_dialog(self) -> None:
        if self._dialog != NO_DIALOG:
            self._dialog = NO_DIALOG
            self.notify()

    def confirm(self) -> None:
        """The asking dialog's answer yes: 过号, or 办结 and sign out."""
        dialog = self._dialog
        self.close_dialog()
        if dialog == "noShow":
            self.no_show()
        elif dialog == "signOut":
            self.finish_and_sign_out()

    # --- sending ------------------------------------------------------------------------------------------

    def _guard(self) -> bool:
        """Whether an action may be sent now; if not, say why (nothing is queued for later)."""
        if self._phase != DESK:
            return False
        if self._link != ONLINE or self._client is None:
            self._say(say.LINK_DOWN, "refused")
        elif self._busy:
            self._say(say.STILL_BUSY, "refused")
        else:
            return True
        self.notify()
        return False

    def _number(self, text: str) -> str | None:
        prefixes = {s.prefix for s in self._state.services} if self._state is not None else set()
        number = normalized_number(text, prefixes)
        if number is None:
            self._say(say.BAD_NUMBER, "refused")
            self.notify()
        return number

    def _send(
        self,
        request: Callable[[HallClient], CounterAnswer],
        on_done: Callable[[CounterAnswer], None],
        *,
        phase: str = DESK,
        number: str | None = None,
        staff_no: str = "",
    ) -> None:
        client = self._client
        if client is None or self._busy:
            return
        if self._link != ONLINE:
            self._say(say.LINK_DOWN, "refused")
            self.notify()
            return
        self._busy = True
        self._dialog = NO_DIALOG
        self.notify()

        def answered(outcome: CounterAnswer | HallError) -> None:
            if isinstance(outcome, HallError):
                failed(outcome)
                return
            answer = outcome
            self._busy = False
            if self._state is not None:
                self._state = with_answer(self._state, answer)
            if self._phase == phase:
                on_done(answer)
            self.notify()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._say(self._refusal(exc, number, staff_no), "refused")
            self.notify()

        self._deliver(self._background.run(_attempt, request, client), answered, failed)

    def _refusal(self, exc: BaseException, number: str | None, staff_no: str) -> Message:
        if isinstance(exc, HallUnavailable):
            return say.UNAVAILABLE
        if not isinstance(exc, HallRefused):
            log.error("counter operation failed: %s", exc)
            return say.HALL_SAYS(text=getattr(exc, "plain", str(exc)))
        log.info("the hall refused: %s (%s)", exc.code, exc.detail)
        if exc.code == "staff_signed_in_elsewhere":
            elsewhere = next(
                (c.name for c in (self._state.counters if self._state else []) if c.staff_no == staff_no),
                None,
            )
            if elsewhere:
                return say.ELSEWHERE(staff=staff_no, counter=elsewhere)
            return say.ELSEWHERE_SOMEWHERE(staff=staff_no)
        by_number = {
            "unknown_ticket": say.UNKNOWN_TICKET,
            "ticket_not_waiting": say.NOT_WAITING,
            "ticket_not_no_show": say.NOT_NO_SHOW,
        }
        if exc.code in by_number and number:
            return by_number[exc.code](number=number)
        known = say.REFUSALS.get(exc.code)
        return known if known is not None else say.HALL_SAYS(text=exc.plain)

    def _done(self, message: Any, answer: CounterAnswer | None = None) -> None:
        """Say what was done: a finished message, or a wording filled with the answer's ticket number."""
        self._say(message(number=_number(answer)) if answer is not None else message, "done")

    # --- for the screenshots ------------------------------------------------------------------------------

    def demo(
        self, state: HallState, *, counter: int, staff_no: str, phase: str, link: str, dialog: str
    ) -> None:
        """Show ``state`` as this counter's without a hall (``kiosk screenshot``): nothing is sent anywhere."""
        self._state = state
        if phase == SIGN_IN:
            self._default_counter, self._counter, self._staff_no = counter, 0, ""
        else:
            self._counter, self._staff_no = counter, staff_no
        self._phase, self._link, self._dialog = phase, link, dialog
        self._say("")
        self.notify()


def _attempt(request: Callable[[HallClient], CounterAnswer], client: HallClient) -> CounterAnswer | HallError:
    """The request, on a worker; the hall's refusal (or its absence) as a value, not an error: it is an answer
    staff read, not a fault to log with its traceback."""
    try:
        return request(client)
    except HallError as exc:
        return exc


def _number(answer: CounterAnswer | None) -> str:
    return answer.ticket.number if answer is not None and answer.ticket is not None else ""
