"""What a citizen's transactions use: forms, ratings and progress queries over the terminal's one database,
writer and outbox, and identity codes resolved at the center. Made once the terminal's data is open (after the
home screen's first frame)."""

from __future__ import annotations

from kiosk.config import Settings
from kiosk.services.background import Background
from kiosk.services.forms.submission import SubmissionService
from kiosk.services.identity.identity_code import IdentityCodeService
from kiosk.services.progress.service import ProgressService
from kiosk.services.rating.service import RatingService
from kiosk.services.sync.outbox import OutboxService
from kiosk.store.database import Database

# A citizen waits at the screen for a progress query: a short connect and read timeout, then the local list.
PROGRESS_TIMEOUT = (3.0, 10.0)
# ... and for an identity code, which needs the center: a short wait, then "use your card instead".
IDENTITY_CODE_TIMEOUT = (3.0, 8.0)


class CitizenServices:
    def __init__(self, database: Database, background: Background, settings: Settings, outbox: OutboxService):
        from kiosk.services.sync.engine import client_factory_for

        self.settings = settings
        self.outbox = outbox
        self.submissions = SubmissionService(database, background, outbox)
        self.ratings = RatingService(database, background, outbox)
        self.progress = ProgressService(
            database, background, outbox, client_factory_for(settings, timeout=PROGRESS_TIMEOUT)
        )
        self.identity_codes = IdentityCodeService(
            client_factory_for(settings, timeout=IDENTITY_CODE_TIMEOUT), background
        )
