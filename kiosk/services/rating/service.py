"""Taking a rating (好差评) on the terminal: refuse a second one of the same subject, queue the record for the
center.

A rating is written in one transaction on the database writer: the subject goes into ``rated_subjects`` (kind,
id and time only) and the record into the outbox, sealed, since it carries the rater's name and ID number (a
real-name rating) and perhaps a free-text comment. Either both are written or neither, so a rating can neither be
sent without being remembered nor remembered without being sent. The outbox is the sync engine's
(``engine.outbox``), so a new rating wakes the sync loop at once.

The terminal only knows its own ratings; the center refuses a subject another terminal rated already (409
``already_rated``), and that record is then kept aside like any refused one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from kiosk.domain.identity import Identity
from kiosk.domain.messages import define
from kiosk.domain.rating import ALREADY_RATED, Rating, RatingProblem, RatingSubject, parse_rating_target
from kiosk.services.background import Background
from kiosk.services.sync.outbox import OutboxService
from kiosk.store import ratings as store
from kiosk.store.database import Database

log = logging.getLogger(__name__)

THANKS = define("rating.thanks", "感谢您的评价")()
THANKS_BAD = define("rating.thanks_bad", "感谢您的评价，我们会尽快核实并回复您")()


@dataclass(frozen=True, slots=True)
class RatingOutcome:
    """What became of a rating: ``accepted`` (queued for the center), ``duplicate`` (this subject was rated on
    this terminal before) or ``incomplete`` (``problems`` says what is missing). ``message`` is for the citizen."""

    status: Literal["accepted", "duplicate", "incomplete"]
    message: str
    problems: tuple[RatingProblem, ...] = ()
    idempotency_key: str = ""

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


class RatingService:
    """Ratings of cases and visits, delivered through the outbox."""

    def __init__(
        self,
        database: Database,
        background: Background,
        outbox: OutboxService,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database = database
        self.background = background
        self.outbox = outbox
        self._clock = clock

    @staticmethod
    def target_from_scan(payload: str) -> RatingSubject:
        """The subject a scanned QR code names (``KIOSK-RATE <receipt>``, ``KIOSK-TICKET <number> <terminal>
        <time>``); :class:`kiosk.domain.rating.RatingTargetError` with a message for the citizen otherwise."""
        return parse_rating_target(payload)

    def already_rated(self, subject: RatingSubject) -> bool:
        """Whether this terminal took a rating of ``subject`` (read on the calling thread: a quick lookup)."""
        return store.is_rated(self.database.connection(), subject.kind.value, subject.id)

    def submit(self, rating: Rating, identity: Identity | None) -> Future[RatingOutcome]:
        """Check the rating and, when it is complete and its subject not rated here yet, queue it; the future
        settles once the transaction has committed (or nothing was written)."""
        problems = rating.problems()
        if problems:
            done: Future[RatingOutcome] = Future()
            done.set_result(RatingOutcome("incomplete", problems[0].message, tuple(problems)))
            return done
        body = rating.to_record_body(identity)
        return self.background.write(self._save, rating, body)

    def _save(self, rating: Rating, body: dict[str, Any]) -> RatingOutcome:
        stamp = datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="seconds")
        subject = rating.subject
        with self.database.transaction() as conn:
            if not store.mark_rated(conn, subject.kind.value, subject.id, stamp):
                log.info("a second rating of a %s was refused on this terminal", subject.kind.value)
                return RatingOutcome("duplicate", ALREADY_RATED)
            # Always sealed: the rater's name and ID number, and a comment that may name someone.
            key = self.outbox.add(conn, "rating", body, personal=True)
        log.info("rating %s of a %s queued (level %d)", key, subject.kind.value, rating.level)
        return RatingOutcome("accepted", THANKS_BAD if rating.bad else THANKS, idempotency_key=key)
