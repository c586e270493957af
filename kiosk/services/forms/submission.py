"""Citizens' forms (自助填表): the templates this terminal can offer, and taking in a filled form.

Taking in a form is one write transaction on the writer thread: the day's next receipt sequence, the receipt number
made from it, and the sealed ``submission`` record in the outbox. A crash leaves either all of it or none of it, so
a receipt number is never given out twice and never given out for a form that was not kept. Once it committed, the
sequence is also recorded outside the database (:mod:`kiosk.store.receipts`), so that a database replaced later
does not count the day again from an older number. The number is made
here, offline if need be: terminal id + day + sequence (:mod:`kiosk.domain.receipt`), so it never collides with
another terminal's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain.forms import FilledForm, FormFormatError, FormIncompleteError, FormTemplate, parse_template
from kiosk.domain.messages import define
from kiosk.domain.receipt import MAX_SEQUENCE, make_receipt
from kiosk.services.background import Background
from kiosk.services.sync.outbox import OutboxService
from kiosk.store import receipts, sync_state
from kiosk.store.database import Database

log = logging.getLogger(__name__)

SUBMISSION_KIND = "submission"
DAY_FULL = define("submission.day_full", "本机今天受理的表单已达上限，请到服务窗口办理")()


class SubmissionError(RuntimeError):
    """A form that could not be taken in; ``message`` is for the citizen, ``code`` for the log."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True, repr=False)
class Submitted:
    """A form taken in: its receipt number, the outbox record carrying it, and the form with the number on it
    (what is printed). Holds personal data: its ``repr`` shows the receipt only."""

    receipt: str
    idempotency_key: str
    form: FilledForm
    submitted_at: datetime

    def __repr__(self) -> str:
        return f"Submitted({self.receipt}, {self.idempotency_key})"


class SubmissionService:
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

    @property
    def terminal_id(self) -> str:
        return self.outbox.terminal_id

    # -- templates ----------------------------------------------------------------------------------------------

    def templates(self) -> list[FormTemplate]:
        """The cached templates that check, by title. One that does not (it was cached before a stricter
        check, or the file was damaged) is left out and logged: the others stay usable."""
        documents = sync_state.form_templates(self.database.connection())
        found: list[FormTemplate] = []
        for key, document in documents.items():
            try:
                found.append(parse_template(document, key=key))
            except FormFormatError as exc:
                log.error("cached form template %s cannot be used: %s", key, exc)
        return sorted(found, key=lambda t: (t.title, t.code))

    def template(self, code: str) -> FormTemplate | None:
        return next((t for t in self.templates() if t.code == code), None)

    # -- taking a form in ---------------------------------------------------------------------------------------

    def submit(self, form: FilledForm) -> Future[Submitted]:
        """Number the form and queue it for the center; the future settles once that has committed. A form
        with problems raises :class:`FormIncompleteError` at once (nothing is written)."""
        problems = form.problems()
        if problems:
            raise FormIncompleteError(problems[0].message, problems)
        return self.background.write(self._take_in, form)

    def _take_in(self, form: FilledForm) -> Submitted:
        now = datetime.fromtimestamp(self._clock()).astimezone()
        day = now.date()
        day_key = f"{day:%y%m%d}"
        # Past the last number printed, should the database count less (replaced by an older copy, say).
        printed = receipts.last_printed(self.database.path, day_key)
        with self.database.transaction() as conn:
            sequence = receipts.next_sequence(conn, day_key, printed=printed)
            if sequence > MAX_SEQUENCE:
                raise SubmissionError(DAY_FULL, "receipts_exhausted")
            numbered = form.with_receipt(make_receipt(self.terminal_id, day, sequence))
            body = numbered.to_submission(today=day)
            key = self.outbox.add(conn, SUBMISSION_KIND, body, personal=True)
        receipts.record_issued(self.database.path, day_key, sequence)  # committed: before anyone sees it
        log.info("form %s taken in: receipt %s, record %s", form.template_code, numbered.receipt, key)
        return Submitted(numbered.receipt, key, numbered, now)
