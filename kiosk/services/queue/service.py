"""The kiosk's link to the hall's queue service (docs/hall.md): the hall as the kiosk last saw it, kept current from
the hall's events while a citizen looks at it, and the take (取号) and check-in (预约签到) requests.

While the queue screens show, :meth:`QueueService.follow` reads the hall's state and follows its event stream
(``kiosk.hall_client.HallFollower``, on a thread of its own). Every event that may change what the kiosk shows
(a ticket taken or called elsewhere changes the waiting counts and estimates) makes it read the state again,
once for a burst of events, and announce ``queue`` on the terminal's "what changed" notifier: the screens read
the snapshot again then, instead of polling. A lost link is announced too (the screens say to ask the staff, not
a spinner); the follower reconnects by itself and catches up.

A take or a check-in carries a request id chosen by the caller and kept until the citizen has the ticket: the
hall carries out a request once and answers a repeat with the same answer, so one whose answer was lost (the
link, the service killed and restarted) is sent again with the same id and gives the same ticket, never a
second one. The client sends it again by itself for a few seconds (``TAKE_RETRY_S``); after that the citizen is
told and may try again, with the same id.

Nothing of a person is kept here: the card's number and name go into the request and are gone with it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.config import Settings
from kiosk.hall_client.errors import HallConfigError, HallError, HallUnavailable
from kiosk.protocol.hall import HallEvent, HallState, PersonRef, TakeAnswer
from kiosk.services.changes import QUEUE, Changes

if TYPE_CHECKING:
    from kiosk.domain.identity import Identity
    from kiosk.hall_client.client import HallClient
    from kiosk.hall_client.events import HallFollower
    from kiosk.services.background import Background

log = logging.getLogger(__name__)

# The hall is on the LAN: a kiosk that waits longer than this for it tells the citizen to ask the staff.
STATE_TIMEOUT = (2.0, 5.0)  # (connect, whole exchange) for reading the hall's state
TAKE_TIMEOUT = (2.0, 5.0)
TAKE_RETRY_S = (
    5.0  # a take or check-in is sent again (same request id) for this long before the citizen is told
)
FOLLOW_IDLE_S = 5.0  # a silent event stream is taken as lost after this long


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """The hall as the kiosk last saw it. ``state`` is None until it was read once; ``reachable`` whether the
    last attempt to reach the hall worked (False: ask the staff); ``problem`` what went wrong, for the log and
    the words (kiosk.services.queue.problems)."""

    state: HallState | None = None
    reachable: bool = True
    loaded: bool = False  # an answer or a failure came since following began
    problem: HallError | None = None


def person_of(identity: Identity) -> PersonRef:
    """What the hall protocol takes of the citizen's card: the ID number, the name and the birth date (the hall
    keeps a salted hash of the number and the masked name; nothing is kept here)."""
    return PersonRef(
        id_number=identity.id_number.replace(" ", ""),
        name=identity.name[:64],
        birth_date=identity.birth_date,
    )


class QueueService:
    """The hall of this terminal (``kiosk hall enroll``), for the citizen's kiosk. Thread-safe; the screens call it
    from the UI thread, its work runs on the terminal's background workers and the follower's thread."""

    def __init__(
        self,
        settings: Settings,
        changes: Changes,
        background: Background,
        *,
        client_factory: Callable[[], HallClient] | None = None,
    ) -> None:
        self._settings = settings
        self._changes = changes
        self._background = background
        self._client_factory = client_factory or self._client_from_settings
        self._client: HallClient | None = None
        self._lock = threading.Lock()
        self._snapshot = QueueSnapshot()
        self._follower: HallFollower | None = None
        self._following = False
        self._generation = 0  # bumped by each follow/unfollow: late answers of an earlier round are dropped
        self._refresh_pending = False
        self._refresh_again = False
        self._available: bool | None = None

    # --- whether there is a hall ---------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether this terminal was enrolled with a hall (it may still be unreachable)."""
        if self._available is None:
            from kiosk.store.hall_credentials import has_hall

            try:
                self._available = has_hall(self._settings)
            except Exception as exc:  # a keystore that cannot be read: no queue tile, the rest works
                log.error("cannot tell whether this terminal has a hall: %s", exc)
                self._available = False
        return self._available

    def client(self) -> HallClient:
        """The hall's client (made once). Raises HallConfigError when the terminal has no usable credentials."""
        with self._lock:
            if self._client is None:
                self._client = self._client_factory()
            return self._client

    def _client_from_settings(self) -> HallClient:
        from kiosk.hall_client.client import HallClient
        from kiosk.store.hall_credentials import hall_credentials
        from kiosk.store.keystore import KeystoreError

        try:
            credentials = hall_credentials(self._settings)
        except KeystoreError as exc:
            raise HallConfigError(f"the hall's credentials cannot be read: {exc}") from None
        return HallClient(
            credentials.url,
            credentials.terminal_id,
            credentials.secret,
            credentials.algorithm,
            timeout=TAKE_TIMEOUT,
            retry_for=TAKE_RETRY_S,
            user_agent=f"kiosk {self._settings.terminal_id}",
        )

    # --- following the hall while the queue screens show ----------------------------------------------------

    def snapshot(self) -> QueueSnapshot:
        with self._lock:
            return self._snapshot

    def follow(self) -> None:
        """Read the hall's state now and follow its events until :meth:`unfollow` (idempotent)."""
        with self._lock:
            if self._following:
                return
            self._following = True
            self._generation += 1
            generation = self._generation
            self._snapshot = QueueSnapshot(state=self._snapshot.state, loaded=False)
        self._background.run(self._start_following, generation)

    def unfollow(self) -> None:
        """Stop following (the citizen left the queue screens); the snapshot is kept for the next time."""
        with self._lock:
            if not self._following:
                return
            self._following = False
            self._generation += 1
            follower, self._follower = self._follower, None
        if follower is not None:
            self._background.run(follower.stop)

    def refresh(self) -> None:
        """Read the hall's state again (重试 on the screen), whether or not the link is up."""
        with self._lock:
            generation = self._generation
        self._background.run(self._read_state, generation)

    def _start_following(self, generation: int) -> None:
        from kiosk.hall_client.events import HallFollower

        state = self._read_state(generation)
        try:
            client = self.client()
        except HallError:
            return  # (said by _read_state)
        with self._lock:
            if generation != self._generation:
                return
            self._follower = HallFollower(
                client,
                on_state=lambda s: self._on_state(generation, s),
                on_event=lambda e: self._on_event(generation, e),
                on_link=lambda up: self._on_link(generation, up),
                last_seq=state.seq if state is not None else None,
                idle_timeout=FOLLOW_IDLE_S,
            )
            follower = self._follower
        follower.start()

    def _read_state(self, generation: int) -> HallState | None:
        try:
            client = self.client()
            state = client.state()
        except HallError as exc:
            log.warning("the hall cannot be read: %s", exc.detail)
            self._update(generation, reachable=False, problem=exc)
            return None
        except Exception as exc:  # a bug must not leave the screen waiting
            log.exception("reading the hall failed")
            self._update(generation, reachable=False, problem=HallError(str(exc)))
            return None
        self._update(generation, state=state, reachable=True)
        return state

    def _on_state(self, generation: int, state: HallState) -> None:
        self._update(generation, state=state, reachable=True)

    def _on_event(self, generation: int, event: HallEvent) -> None:
        """An event: the waiting counts and estimates may have changed; read the state again, once for a burst."""
        log.debug("hall event %d %s", event.seq, event.type)
        with self._lock:
            if generation != self._generation:
                return
            if self._refresh_pending:
                self._refresh_again = True
                return
            self._refresh_pending = True
        self._background.run(self._refresh_for_events, generation)

    def _refresh_for_events(self, generation: int) -> None:
        while True:
            with self._lock:
                self._refresh_again = False
            try:
                state = self.client().state()
            except HallError as exc:
                log.info("the hall's state could not be read after an event: %s", exc.detail)
            else:
                self._update(generation, state=state, reachable=True)
            with self._lock:
                if not self._refresh_again or generation != self._generation:
                    self._refresh_pending = False
                    return

    def _on_link(self, generation: int, up: bool) -> None:
        log.info("the hall's event stream is %s", "open" if up else "lost")
        if up:
            self._update(generation, reachable=True)
        else:
            self._update(
                generation, reachable=False, problem=HallUnavailable("the hall's event stream was lost")
            )

    def _update(
        self,
        generation: int,
        *,
        state: HallState | None = None,
        reachable: bool,
        problem: HallError | None = None,
    ) -> None:
        with self._lock:
            if generation != self._generation:
                return
            old = self._snapshot
            if state is not None and old.state is not None and state.seq < old.state.seq:
                state = old.state  # an answer overtaken by a newer one
            new = QueueSnapshot(
                state=state if state is not None else old.state,
                reachable=reachable,
                loaded=True,
                problem=None if reachable else problem,
            )
            if new == old:
                return
            self._snapshot = new
        self._changes.announce(QUEUE)

    # --- taking a ticket, checking in -------------------------------------------------------------------------

    def take(self, service: str, person: PersonRef | None, request_id: str) -> Future[TakeAnswer]:
        """取号 of ``service`` (``person``: the card's, for 实名 services and the 绿色通道 by age), on a worker."""
        return self._background.run(self._take, service, person, request_id)

    def check_in(self, *, code: str | None, person: PersonRef | None, request_id: str) -> Future[TakeAnswer]:
        """预约签到 with the appointment code or the card, on a worker."""
        return self._background.run(self._check_in, code, person, request_id)

    def _take(self, service: str, person: PersonRef | None, request_id: str) -> TakeAnswer:
        answer = self.client().take(service, person=person, request_id=request_id)
        log.info(
            "ticket %s taken (%s, %d ahead)", answer.ticket.number, service, answer.ticket.waiting_ahead or 0
        )
        return answer

    def _check_in(self, code: str | None, person: PersonRef | None, request_id: str) -> TakeAnswer:
        answer = self.client().check_in(code=code, person=person, request_id=request_id)
        log.info("appointment checked in as ticket %s", answer.ticket.number)
        return answer

    def show_sample(self, snapshot: QueueSnapshot) -> None:
        """Show ``snapshot`` instead of the hall (the screenshots' made-up hall); nothing is followed."""
        self.unfollow()
        with self._lock:
            self._generation += 1
            self._snapshot = snapshot
            self._available = True

    def close(self) -> None:
        """Stop following and let go of the client (the UI closes)."""
        with self._lock:
            self._following = False
            self._generation += 1
            follower, self._follower = self._follower, None
            client, self._client = self._client, None
        if follower is not None:
            follower.stop()
        if client is not None:
            client.close()
