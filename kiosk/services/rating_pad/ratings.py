"""The rating pad's ratings (一次一评): where the rating flow (``kiosk.flows.rating``) sends what a citizen gives at
the counter, to the hall's queue service, one rating per ticket.

Nothing a citizen gave is lost when the hall is away: a rating is first kept on the pad (``kiosk.store.
pad_outbox``, a sealed file under the request id it is sent with), then sent. The hall answers it, or refuses it
for good (rated already, from a phone or another pad), and only then does the file leave. While the hall cannot be
reached the citizen is thanked all the same and told the rating is kept; :meth:`PadRatings.deliver` sends what
waits once the link is back (the pad calls it whenever its hall follower reconnects, and now and then while
anything waits). The hall stores every change's answer under its request id, so a rating sent twice (an answer
lost, two deliveries crossing) is taken once.

Before a ticket is rated the pad says whether it was rated already from what it knows without asking: a rating
kept here, the ``rated`` of the finished ticket, the hall's ``rating.given`` events. The hall judges in the end.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from kiosk.domain.identity import Identity
from kiosk.domain.messages import define
from kiosk.domain.rating import Rating, RatingSubject, SubjectKind
from kiosk.hall_client import HallClient, HallError, HallRefused
from kiosk.services.background import Background
from kiosk.services.rating.service import THANKS, THANKS_BAD, RatingOutcome
from kiosk.store.pad_outbox import KeptRating, PadOutbox

log = logging.getLogger(__name__)

ALREADY_RATED = define("rating_pad.already_rated", "这个号已经评价过了，感谢您的反馈")()
KEPT = define("rating_pad.kept", "您的评价已保存在本机，网络恢复后会自动提交")()
KEEP_DAYS = 7  # a rating the hall has not taken in a week is given up (the day's report has long been read)


class RatingRefused(RuntimeError):
    """The hall refused the rating for a reason other than a rating it has already (the ticket is unknown to it,
    not finished): nothing to send again. ``message`` is the hall's plain sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"the hall refused the rating ({code})")
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one delivery of the kept ratings did: ``sent`` taken by the hall, ``refused`` refused for good (rated
    already, or the hall does not know the ticket), ``kept`` still waiting (the hall is away)."""

    sent: int = 0
    refused: int = 0
    kept: int = 0


class PadRatings:
    """The rating flow's ratings on a pad (:class:`kiosk.flows.rating.Ratings`), and the pad's kept ratings."""

    def __init__(
        self,
        client: HallClient,
        outbox: PadOutbox,
        background: Background,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.outbox = outbox
        self.background = background
        self._clock = clock
        self._rated: set[str] = set()
        self._numbers: dict[
            str, str
        ] = {}  # ticket id → its printed number (A012), for the log and the outbox
        self._lock = threading.Lock()
        self._sending = threading.Lock()

    def __repr__(self) -> str:
        return f"PadRatings({self.client!r}, {self.outbox!r})"

    @staticmethod
    def subject(ticket_id: str) -> RatingSubject:
        """What a rating of the hall's ticket ``ticket_id`` rates: the visit it stands for."""
        return RatingSubject(SubjectKind.VISIT, ticket_id)

    def asking(self, ticket_id: str, number: str) -> None:
        """The pad asks for the rating of ``ticket_id``, printed ``number`` (what the log and the outbox name)."""
        with self._lock:
            if len(self._numbers) > 1000:
                self._numbers.clear()
            self._numbers[ticket_id] = number

    def note_rated(self, ticket_id: str) -> None:
        """The hall said ``ticket_id`` was rated (its ``rated``, a ``rating.given`` event)."""
        with self._lock:
            self._rated.add(ticket_id)

    # --- the rating flow's side --------------------------------------------------------------------------

    def already_rated(self, subject: RatingSubject) -> bool:
        with self._lock:
            if subject.id in self._rated:
                return True
        return self.outbox.holds(subject.id)

    def submit(self, rating: Rating, identity: Identity | None) -> Future[RatingOutcome]:
        """Keep the rating, then send it; settles with ``accepted`` (the hall has it, or it is kept for the
        hall), ``duplicate`` (the hall has one already) or ``incomplete``. ``identity`` is not sent: the pad reads
        no card, and the hall keeps no rater."""
        problems = rating.problems()
        if problems:
            done: Future[RatingOutcome] = Future()
            done.set_result(RatingOutcome("incomplete", problems[0].message, tuple(problems)))
            return done
        return self.background.run(self._keep_and_send, rating)

    def _keep_and_send(self, rating: Rating) -> RatingOutcome:
        ticket_id = rating.subject.id
        kept = self.outbox.keep(
            ticket_id,
            self._numbers.get(ticket_id, ""),
            rating.level,
            rating.reasons,
            rating.clean_comment,
            now=self._clock(),
        )
        outcome = self._send(kept)
        if outcome == "sent":
            return RatingOutcome(
                "accepted", THANKS_BAD if rating.bad else THANKS, idempotency_key=kept.request_id
            )
        if outcome == "duplicate":
            return RatingOutcome("duplicate", ALREADY_RATED)
        return RatingOutcome("accepted", KEPT, idempotency_key=kept.request_id)

    # --- what waits --------------------------------------------------------------------------------------

    def pending(self) -> int:
        """How many ratings wait for the hall."""
        return self.outbox.count()

    def deliver(self) -> Delivery:
        """Send every kept rating, oldest first; stops at the first the hall cannot be reached for (the rest
        wait for the next delivery). Call it on a worker."""
        sent = refused = 0
        pending = self.outbox.pending()
        for index, kept in enumerate(pending):
            if self._clock() - kept.kept_at > KEEP_DAYS * 86400:
                log.error(
                    "a rating of %s kept since %s was never taken by the hall; given up",
                    kept.label,
                    time.strftime("%Y-%m-%d", time.localtime(kept.kept_at)),
                )
                self.outbox.remove(kept.request_id)
                refused += 1
                continue
            try:
                outcome = self._send(kept)
            except RatingRefused:
                refused += 1
                continue
            if outcome == "kept":
                return Delivery(sent, refused, len(pending) - index)
            if outcome == "sent":
                sent += 1
            else:
                refused += 1
        if sent or refused:
            log.info("kept ratings delivered: %d sent, %d refused", sent, refused)
        return Delivery(sent, refused, 0)

    def _send(self, kept: KeptRating) -> str:
        """``sent``, ``duplicate`` (both: the file leaves) or ``kept`` (the hall is away: it stays). Raises
        :class:`RatingRefused` (the file leaves) when the hall refuses it for another reason."""
        with self._sending:  # one at a time: a delivery and a new rating never cross on the wire
            try:
                self.client.rate(
                    kept.ticket_id, kept.level, kept.reasons, kept.comment, request_id=kept.request_id
                )
            except HallRefused as refused:
                self.outbox.remove(kept.request_id)
                if refused.code == "already_rated":
                    log.info("the hall has a rating of %s already: this one is dropped", kept.label)
                    self.note_rated(kept.ticket_id)
                    return "duplicate"
                log.error("the hall refused the rating of %s: %s", kept.label, refused.detail)
                raise RatingRefused(refused.code, refused.plain) from None
            except HallError as exc:
                log.warning("the hall cannot take the rating of %s now (%s): kept", kept.label, exc.detail)
                return "kept"
            self.outbox.remove(kept.request_id)
        self.note_rated(kept.ticket_id)
        log.info("rating of %s given to the hall (level %d)", kept.label, kept.level)
        return "sent"
