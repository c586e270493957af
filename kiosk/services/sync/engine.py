"""The sync engine: pull the center's feeds, push the outbox, report a heartbeat; once, or in the background.

A cycle (``run_once``) never raises: it returns a :class:`SyncReport` saying what moved and what went wrong. Each
feed page is applied together with its cursor in one transaction on the serialised writer, so a crash or a cut
line can only repeat a page (applied by version, so harmlessly), never skip or half-apply one. A page that does
not validate is not applied; its feed stops for this cycle and the others go on. A catalog item or a form template
that does not check is left out of its page, so the version cached before stays in use, while the rest of the page
and its cursor are applied. Records leave the outbox only when the
center acknowledged them with a 201; they go out in batches bounded by count and by size, as the canonical JSON
the outbox stored. A batch the center refuses whole (413/422) is sent again in halves until the record it will not
take is kept aside. Each request has one deadline for everything (``SYNC_TIMEOUT``); a feed whose page missed it
is asked for smaller pages afterwards, so a slow line still makes progress.

The background loop (``start``/``stop``) runs on a thread of its own, never the UI thread: a cycle every
``sync_interval_s`` while online; after a failure, waits drawn with full jitter from an exponentially growing
window (2 s doubling, capped at min(sync_interval_s, 300 s)); while offline each wait ends with a cheap probe,
and the full cycle runs as soon as the center answers again. ``trigger()`` asks for a cycle soon (a feature just
wrote a record). The UI reads :class:`SyncStatus` values through a listener, called on the sync thread.
"""

from __future__ import annotations

import contextlib
import logging
import random
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kiosk.center_client.errors import (
    BadAnswer,
    BadCursor,
    CenterConfigError,
    CenterError,
    CenterUnavailable,
    DeadlineExceeded,
    RateLimited,
    RequestRefused,
    Unauthorized,
)
from kiosk.config import Settings
from kiosk.domain.catalog import CatalogFormatError
from kiosk.domain.forms import FormFormatError
from kiosk.domain.messages import Message, define
from kiosk.ops.layout import running_version
from kiosk.protocol.models import (
    FEED_KINDS,
    MAX_BODY_BYTES,
    DeviceHealth,
    FeedEntry,
    FeedPage,
    Heartbeat,
)
from kiosk.protocol.signing import HMAC_SHA256, HMAC_SM3
from kiosk.services.background import Background
from kiosk.services.catalog.service import CatalogService
from kiosk.services.changes import SETTINGS, TOPICS
from kiosk.services.ops.commands import CommandRunner
from kiosk.services.sync.outbox import OutboxService
from kiosk.store import outbox as outbox_store
from kiosk.store import sync_state
from kiosk.store.catalog_store import CatalogStore, prepare_entries
from kiosk.store.database import Database
from kiosk.store.keystore import Keystore, KeystoreError, NotEnrolled
from kiosk.store.outbox import OutboxRow
from kiosk.store.sealing import SealError

if TYPE_CHECKING:
    from kiosk.center_client.client import CenterClient
    from kiosk.protocol.models import HeartbeatAnswer
    from kiosk.services.terminal import Terminal

log = logging.getLogger(__name__)

# What the maintenance screen says about a cycle (kiosk.domain.messages: the screens translate them by code).
_CYCLE_FAILED = define("sync.cycle_failed", "同步出错，稍后重试")()
_NOT_ENROLLED = define("sync.not_enrolled", "本终端尚未登记，请先运行 kiosk enroll")()
_NOT_STORED = define("sync.not_stored", "本机保存同步数据失败，稍后重试")()
_NOT_APPLIED = define("sync.not_applied", "中心发来的数据有误，本次未应用，稍后重试")()
_CURSOR_STUCK = define("sync.cursor_stuck", "中心的同步位置没有前进")()
_TOO_MANY_PAGES = define("sync.too_many_pages", "同步页数过多，下次继续")()
_TEMPLATE_KEPT = define("sync.template_kept", "中心发布的表单模板 {key} 有误，已保留本机原有版本")
_TEMPLATE_DROPPED = define("sync.template_dropped", "中心发布的表单模板 {key} 有误，本机暂不提供该表单")
_ITEM_KEPT = define("sync.item_kept", "中心发布的事项 {code} 有误，已保留本机原有版本")
_ITEM_DROPPED = define("sync.item_dropped", "中心发布的事项 {code} 有误，本机暂不提供该事项")
_ITEM_NO_ROOM = define("sync.item_no_room", "本机目录已达 {most} 项的上限，中心发布的事项 {code} 未缓存")
_MORE_ITEMS_REFUSED = define("sync.items_refused_more", "另有 {n} 个中心发布的事项有误，未缓存，详见日志")
_KEY_REFUSED = define(
    "sync.center_key_refused", "中心的指令密钥与登记时不同，中心的指令和设置未执行，请重新登记终端"
)()
_SETTINGS_REFUSED = define("sync.center_settings_refused", "中心推送的设置未通过校验，未应用")()
# The center client's errors in the same words as their ``plain`` (the client stands alone and has no codes).
_CENTER_CONFIG = define("sync.center_config", CenterConfigError.plain)()
_CENTER_PLAIN: tuple[tuple[type[CenterError], Message], ...] = (
    (DeadlineExceeded, define("sync.center_deadline", DeadlineExceeded.plain)()),
    (CenterUnavailable, define("sync.center_unavailable", CenterUnavailable.plain)()),
    (Unauthorized, define("sync.center_unauthorized", Unauthorized.plain)()),
    (BadCursor, define("sync.center_bad_cursor", BadCursor.plain)()),
    (BadAnswer, define("sync.center_bad_answer", BadAnswer.plain)()),
    (CenterConfigError, _CENTER_CONFIG),
    (RequestRefused, define("sync.center_refused", RequestRefused.plain)()),
    (CenterError, define("sync.center_error", CenterError.plain)()),
)


def _center_plain(exc: CenterError) -> str:
    """What the maintenance screen says about a center client error: its ``plain`` words, as a message."""
    for kind, message in _CENTER_PLAIN:
        if isinstance(exc, kind) and exc.plain == kind.plain:
            return message
    return exc.plain


ALGORITHM_OF_SUITE = {"standard": HMAC_SHA256, "guomi": HMAC_SM3}
PULL_LIMIT = 1000  # entries per feed page: fewer round trips on slow lines, pages stay a few MB at most
# A page that does not arrive within the request's deadline is asked for smaller afterwards (a quarter, down to
# this), and grows back (doubling) once pages arrive well within it: a slow line still makes progress.
PULL_LIMIT_MIN = 10
# (connect, whole exchange) in seconds for a background sync: each request and its whole answer must be done
# within the second figure, however slowly the answer comes (docs/sync.md, "Deadlines and limits").
SYNC_TIMEOUT = (10.0, 60.0)
MAX_PAGES_PER_FEED = 100_000  # a center that never stops saying has_more cannot hold a cycle for ever
# Catalog items refused in one cycle that are each reported (a problem and a log line); the rest are counted in
# one more problem. A center that published a whole broken catalog must not flood the log and the screen.
REFUSED_ITEMS_REPORTED = 20
# A push batch's body stays under this (and under sync_batch_size records): the center refuses a body over
# MAX_BODY_BYTES whole (413), and a record with a signature is up to a few hundred kilobytes.
BATCH_MAX_BYTES = MAX_BODY_BYTES * 4 // 5
_BATCH_OPEN, _BATCH_CLOSE = b'{"records":[', b"]}"
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0
# A center_url with plain http to a remote host is refused unless this is set (there is no setting for it yet).
ALLOW_PLAIN_HTTP = False
UNSET_TERMINAL_ID = "UNSET-0000"

ClientFactory = Callable[[], "CenterClient"]
DeviceSource = Callable[[], Sequence[Any]]


# -- values for callers -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncProblem:
    where: str  # setup | pull:<kind> | push | heartbeat
    plain: str  # for the maintenance screen
    detail: str  # for the log and support

    def line(self) -> str:
        return f"{self.where}: {self.plain} ({self.detail})"


@dataclass(frozen=True, slots=True)
class SyncReport:
    ok: bool
    online: bool | None  # None: the center was not tried (not enrolled)
    started_at: str
    duration_s: float
    pulled: dict[str, int]  # entries received per feed
    applied: dict[str, int]  # entries that changed the local copy, per feed
    pushed: int  # records sent
    acknowledged: int  # records the center accepted (201)
    conflicts: int  # 409: the key was used before with another body; kept aside
    rejected: int  # 422: invalid; kept aside for an operator
    quarantined: int  # rows that could not be opened (corrupt or tampered); kept aside
    heartbeat: bool
    errors: tuple[SyncProblem, ...]
    # entries left out of their pages because they did not check (catalog items, form templates), per feed
    refused: dict[str, int] = field(default_factory=dict)
    # the center's commands in the heartbeat's answer, by what became of them (done, refused, failed, expired,
    # waiting for a session to end, left for the running program)
    commands: dict[str, int] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return self.errors[0].line() if self.errors else "ok"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    enrolled: bool
    online: bool | None  # None: not known yet
    syncing: bool
    last_success_at: str | None
    last_attempt_at: str | None
    last_error: str | None  # plain words
    last_error_detail: str | None  # for the log
    backlog: int


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).astimezone().isoformat(timespec="seconds")


def is_enrolled(settings: Settings, keystore: Keystore | None = None) -> bool:
    keys = keystore or Keystore.for_data_dir(settings.data_dir)
    return bool(settings.center_url) and settings.terminal_id != UNSET_TERMINAL_ID and keys.has_secret()


def client_factory_for(
    settings: Settings,
    keystore: Keystore | None = None,
    *,
    clock: Callable[[], float] = time.time,
    timeout: tuple[float, float] = SYNC_TIMEOUT,
) -> ClientFactory:
    """Builds the center client from the settings and the keystore, each time it is called (re-enrolment)."""
    keys = keystore or Keystore.for_data_dir(settings.data_dir)

    def make() -> CenterClient:
        from kiosk.center_client.client import CenterClient

        if not settings.center_url or settings.terminal_id == UNSET_TERMINAL_ID:
            raise NotEnrolled("this terminal is not enrolled with a center: run kiosk enroll first")
        return CenterClient(
            settings.center_url,
            settings.terminal_id,
            keys.secret(),
            ALGORITHM_OF_SUITE[settings.crypto_suite],
            timeout=timeout,
            clock=clock,
            allow_http=ALLOW_PLAIN_HTTP,
            user_agent=f"kiosk/{running_version()}",
        )

    return make


class _Aborted(Exception):
    """The cycle cannot go on (center unreachable, credentials refused)."""

    def __init__(self, problem: SyncProblem, *, online: bool | None) -> None:
        super().__init__(problem.detail)
        self.problem = problem
        self.online = online


@dataclass
class _Tally:
    pulled: dict[str, int] = field(default_factory=dict)
    applied: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    refused_codes: list[str] = field(default_factory=list)  # catalog items refused past the ones reported
    pushed: int = 0
    acknowledged: int = 0
    conflicts: int = 0
    rejected: int = 0
    quarantined: int = 0
    heartbeat: bool = False
    errors: list[SyncProblem] = field(default_factory=list)
    commands: dict[str, int] = field(default_factory=dict)


# -- the engine ---------------------------------------------------------------------------------------------------


class SyncEngine:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        client_factory: ClientFactory | None = None,
        background: Background | None = None,
        *,
        catalog: CatalogService | None = None,
        outbox: OutboxService | None = None,
        keystore: Keystore | None = None,
        devices: DeviceSource | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        backoff_base_s: float = BACKOFF_BASE_S,
    ) -> None:
        self.database = database
        self.settings = settings
        self.keystore = keystore or Keystore.for_data_dir(settings.data_dir)
        self.client_factory = client_factory or client_factory_for(settings, self.keystore)
        self._own_background = background is None
        self.background = background or Background(workers=1)
        self.catalog = catalog or CatalogService(CatalogStore(database))
        # What a cycle changed is announced where the catalog service announces its imports (the terminal's).
        self.changes = self.catalog.changes
        self.outbox = outbox or OutboxService.for_settings(database, settings, self.keystore)
        self.devices = devices or (lambda: [])
        self._clock = clock
        self._rng = rng or random.Random()
        self._backoff_base = backoff_base_s
        self._retry_after = 0.0  # seconds the center asked this terminal to wait (429 Retry-After), once
        self._client: CenterClient | None = None
        self._page_limits: dict[
            str, int
        ] = {}  # feeds whose pages came too slowly: the smaller size to ask for
        self._cycle_lock = threading.Lock()
        self._status_lock = threading.Lock()
        self._listeners: list[Callable[[SyncStatus], None]] = []
        self._target_listeners: list[Callable[[str], None]] = []
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = self._initial_status()
        self.outbox.add_listener(self.trigger)  # a new record: deliver it soon
        # The center's commands, from the heartbeat's answers (kiosk.services.ops).
        self.commands = CommandRunner(
            settings.data_dir,
            settings.log_dir,
            settings.terminal_id,
            database=database,
            background=self.background,
            changes=self.changes,
            trigger_sync=self.trigger,
            clock=clock,
        )

    @classmethod
    def for_terminal(cls, terminal: Terminal, **kwargs: Any) -> SyncEngine:
        """An engine sharing the terminal's database, writer and catalog service (so its search index refreshes)."""
        return cls(
            terminal.database,
            terminal.settings,
            background=terminal.background,
            catalog=terminal.catalog,
            **({"outbox": terminal.outbox} | kwargs),
        )

    # -- status -----------------------------------------------------------------------------------------------

    def _initial_status(self) -> SyncStatus:
        state = sync_state.load_state(self.database.connection())
        return SyncStatus(
            enrolled=is_enrolled(self.settings, self.keystore),
            online=None,
            syncing=False,
            last_success_at=state.get("last_success_at"),
            last_attempt_at=state.get("last_attempt_at"),
            last_error=state.get("last_error"),
            last_error_detail=state.get("last_error_detail"),
            backlog=self.outbox.stats().backlog,
        )

    @property
    def status(self) -> SyncStatus:
        with self._status_lock:
            return self._status

    def add_target_listener(self, callback: Callable[[str], None]) -> None:
        """``callback(version)`` when the center's answer changes the version this terminal should run (the
        update checker looks at once), on the sync thread."""
        self._target_listeners.append(callback)

    def add_listener(self, callback: Callable[[SyncStatus], None]) -> None:
        """``callback(status)`` after every change, on the sync thread: hand it over to the UI thread there."""
        self._listeners.append(callback)

    def _set_status(self, **changes: Any) -> None:
        with self._status_lock:
            new = replace(self._status, **changes)
            if new == self._status:
                return
            self._status = new
        for listener in list(self._listeners):
            try:
                listener(new)
            except Exception:
                log.exception("sync status listener failed")

    # -- one cycle --------------------------------------------------------------------------------------------

    def run_once(self) -> SyncReport:
        """Pull every feed, push the outbox, send a heartbeat. Never raises; one cycle at a time."""
        with self._cycle_lock:
            self._set_status(syncing=True)
            started = self._clock()
            tally = _Tally()
            online: bool | None = True
            try:
                client = self._connect()
                for kind in FEED_KINDS:
                    self._pull_feed(client, kind, tally)
                self._push(client, tally)
                self._heartbeat(client, tally)
            except _Aborted as exc:
                tally.errors.append(exc.problem)
                online = exc.online
            except Exception as exc:  # a bug must not kill the loop or leave the UI saying "syncing"
                log.exception("sync cycle failed")
                self._drop_client()  # whatever state it was left in, the next cycle starts with a new one
                tally.errors.append(SyncProblem("cycle", _CYCLE_FAILED, f"{type(exc).__name__}: {exc}"))
            report = SyncReport(
                ok=not tally.errors,
                online=online,
                started_at=_iso(started),
                duration_s=round(max(0.0, self._clock() - started), 3),
                pulled=tally.pulled,
                applied=tally.applied,
                pushed=tally.pushed,
                acknowledged=tally.acknowledged,
                conflicts=tally.conflicts,
                rejected=tally.rejected,
                quarantined=tally.quarantined,
                heartbeat=tally.heartbeat,
                errors=tuple(tally.errors),
                refused=tally.refused,
                commands=tally.commands,
            )
            self._record(report)
            return report

    def _record(self, report: SyncReport) -> None:
        first = report.errors[0] if report.errors else None
        values: dict[str, str | None] = {
            "last_attempt_at": report.started_at,
            "last_error": first.plain if first else None,
            "last_error_detail": first.line() if first else None,
        }
        if report.ok:
            values["last_success_at"] = report.started_at
        try:
            self.background.write(self._save_state, values).result()
        except Exception:
            log.exception("the sync state could not be saved")
        for problem in report.errors:
            log.warning("sync: %s", problem.line())
        log.info(
            "sync cycle %s in %.2f s: pulled %s, applied %s, pushed %d, acknowledged %d, conflicts %d, "
            "rejected %d, quarantined %d",
            "ok" if report.ok else "failed",
            report.duration_s,
            report.pulled,
            report.applied,
            report.pushed,
            report.acknowledged,
            report.conflicts,
            report.rejected,
            report.quarantined,
        )
        changes: dict[str, Any] = {
            "syncing": False,
            "enrolled": is_enrolled(self.settings, self.keystore),
            "last_attempt_at": report.started_at,
            "last_error": values["last_error"],
            "last_error_detail": values["last_error_detail"],
            "backlog": self._backlog(),
        }
        if report.online is not None:
            changes["online"] = report.online
        if report.ok:
            changes["last_success_at"] = report.started_at
        self._set_status(**changes)

    def _save_state(self, values: dict[str, str | None]) -> None:
        with self.database.transaction() as conn:
            sync_state.save_state(conn, values)

    def _backlog(self) -> int:
        try:
            return self.outbox.stats().backlog
        except sqlite3.Error:
            return self.status.backlog

    def _connect(self) -> CenterClient:
        if self._client is None:
            try:
                self._client = self.client_factory()
            except NotEnrolled as exc:
                raise _Aborted(SyncProblem("setup", _NOT_ENROLLED, str(exc)), online=None) from None
            except (KeystoreError, CenterConfigError) as exc:
                raise _Aborted(SyncProblem("setup", _CENTER_CONFIG, str(exc)), online=None) from None
        return self._client

    def _drop_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    def _abort_on(self, where: str, exc: CenterError) -> _Aborted:
        if isinstance(exc, RateLimited):
            # The center is there and said when to come back: no probing meanwhile, and the cycle stops at the
            # first 429 (every further request would only count against this terminal again).
            self._retry_after = max(self._retry_after, exc.retry_after_s)
            log.warning(
                "the center limits this terminal's requests: next try in %g s at the earliest",
                exc.retry_after_s,
            )
            return _Aborted(SyncProblem(where, _center_plain(exc), exc.detail), online=True)
        if isinstance(exc, Unauthorized):
            self._drop_client()  # the next cycle reads the credentials again (after a new enrolment)
            return _Aborted(SyncProblem(where, _center_plain(exc), exc.detail), online=True)
        return _Aborted(
            SyncProblem(where, _center_plain(exc), exc.detail), online=not isinstance(exc, CenterUnavailable)
        )

    # -- pull -------------------------------------------------------------------------------------------------

    def _pull_feed(self, client: CenterClient, kind: str, tally: _Tally) -> None:
        """Follow the feed to the present. While the writer applies one page, the next is fetched and checked;
        it is handed to the writer only once the previous page (and its cursor) committed."""
        where = f"pull:{kind}"
        tally.pulled.setdefault(kind, 0)
        tally.applied.setdefault(kind, 0)
        tally.refused.setdefault(kind, 0)
        in_flight: list[Future[_Applied]] = []

        def settle() -> bool:
            """Wait for the page being applied; False (and the problem noted) when it failed."""
            if not in_flight:
                return True
            try:
                applied = in_flight.pop().result()
            except Exception as exc:
                log.error("feed %s: a page could not be stored: %s", kind, exc)
                tally.errors.append(SyncProblem(where, _NOT_STORED, f"page not stored: {exc}"))
                return False
            tally.applied[kind] += applied.changed
            for refused in applied.no_room:
                self._item_refused(tally, refused)
            return True

        try:
            self._follow_feed(client, kind, where, tally, in_flight, settle)
        finally:
            settle()
        if tally.refused_codes:
            count = len(tally.refused_codes)
            shown = ", ".join(tally.refused_codes[:50]) + (", …" if count > 50 else "")
            log.warning("%d more catalog items from the center not cached: %s", count, shown)
            tally.errors.append(
                SyncProblem(where, _MORE_ITEMS_REFUSED(n=count), f"{count} more items not cached: {shown}")
            )
            tally.refused_codes.clear()
        if kind == "catalog" and tally.applied[kind]:
            self.catalog.refresh_search_index()  # brought up to date on a worker, before the next search
        if tally.applied[kind] and kind in TOPICS:
            self.changes.announce(kind, count=tally.applied[kind])  # the screens read what changed again

    def _follow_feed(
        self,
        client: CenterClient,
        kind: str,
        where: str,
        tally: _Tally,
        in_flight: list[Future[_Applied]],
        settle: Callable[[], bool],
    ) -> None:
        cursor = sync_state.cursor(self.database.connection(), kind)
        restarted = False
        for _ in range(MAX_PAGES_PER_FEED):
            limit = self._page_limits.get(kind, PULL_LIMIT)
            asked_at = self._clock()
            try:
                page = client.pull(kind, cursor, limit)
            except DeadlineExceeded as exc:
                self._shrink_pages(kind, limit)
                raise self._abort_on(where, exc) from None
            except BadCursor as exc:
                if restarted or not cursor or not settle():
                    tally.errors.append(SyncProblem(where, _center_plain(exc), exc.detail))
                    return
                log.warning("feed %s: the center does not know our cursor; starting the feed over", kind)
                cursor, restarted = "", True
                continue
            except (BadAnswer, RequestRefused) as exc:
                tally.errors.append(SyncProblem(where, _NOT_APPLIED, exc.detail))
                return
            except CenterError as exc:
                raise self._abort_on(where, exc) from None
            self._grow_pages(kind, limit, self._clock() - asked_at, client.timeout[1])
            tally.pulled[kind] += len(page.entries)
            # Checked and turned into rows while the writer stores the page before: that is mostly SQLite,
            # which runs without the interpreter lock, so the two overlap. (Fetching the next page on a thread
            # of its own meanwhile was tried and is slower: each read from the socket then waits for this
            # thread's Python work to let go of the interpreter lock.)
            try:
                prepared = _prepare(kind, page)  # validated here, before anything of it is written
            except (CatalogFormatError, ValueError) as exc:
                tally.errors.append(SyncProblem(where, _NOT_APPLIED, f"page not applied: {exc}"))
                return
            for key, version, problem in prepared.refused:
                tally.refused[kind] += 1
                tally.errors.append(self._template_refused(key, version, problem))
            for item in prepared.refused_items:
                self._item_refused(tally, item)
            if not settle():
                return
            in_flight.append(self.background.write(self._apply_page, kind, prepared.rows, page.next_cursor))
            if not page.has_more:
                return
            if page.next_cursor == cursor:
                tally.errors.append(SyncProblem(where, _CURSOR_STUCK, "has_more with the same cursor"))
                return
            cursor = page.next_cursor
        tally.errors.append(SyncProblem(where, _TOO_MANY_PAGES, f"stopped after {MAX_PAGES_PER_FEED} pages"))

    def _shrink_pages(self, kind: str, limit: int) -> None:
        smaller = max(PULL_LIMIT_MIN, limit // 4)
        if smaller < limit:
            log.warning(
                "feed %s: a page of %d entries took too long; asking for %d from now on", kind, limit, smaller
            )
            self._page_limits[kind] = smaller

    def _grow_pages(self, kind: str, limit: int, took_s: float, deadline_s: float) -> None:
        if limit < PULL_LIMIT and took_s < deadline_s / 4:
            self._page_limits[kind] = min(PULL_LIMIT, limit * 2)

    def _template_refused(self, key: str, version: int, exc: FormFormatError) -> SyncProblem:
        """The problem staff see for a template the center published broken; the detail names the field."""
        row = (
            self.database.connection().execute("SELECT 1 FROM form_templates WHERE key = ?", [key]).fetchone()
        )
        log.warning("form template %s version %d from the center not cached: %s", key, version, exc)
        return SyncProblem(
            "pull:form_templates",
            (_TEMPLATE_KEPT if row else _TEMPLATE_DROPPED)(key=key),
            f"template {key} version {version} not cached: {exc}",
        )

    def _item_refused(self, tally: _Tally, item: _RefusedItem) -> None:
        """Report a catalog item left out of its page: the first ones each with its code and reason (a problem
        for staff, a line in the log), the others counted at the end of the feed."""
        tally.refused["catalog"] = tally.refused.get("catalog", 0) + 1
        if tally.refused["catalog"] > REFUSED_ITEMS_REPORTED:
            tally.refused_codes.append(item.code)
            return
        log.warning(
            "catalog item %s version %d from the center not cached: %s", item.code, item.version, item.reason
        )
        if item.no_room is not None:
            plain = _ITEM_NO_ROOM(most=item.no_room, code=item.code)
        else:
            plain = (_ITEM_KEPT if self._item_cached(item.code) else _ITEM_DROPPED)(code=item.code)
        tally.errors.append(
            SyncProblem(
                "pull:catalog", plain, f"item {item.code} version {item.version} not cached: {item.reason}"
            )
        )

    def _item_cached(self, code: str) -> bool:
        try:
            found = (
                self.database.connection().execute("SELECT 1 FROM items WHERE code = ?", [code]).fetchone()
            )
        except sqlite3.Error:  # a damaged catalog: the page itself will not be stored either
            return False
        return found is not None

    def _apply_page(self, kind: str, prepared: list[Any], next_cursor: str) -> _Applied:
        """On the writer: the whole page and its cursor in one transaction; returns entries that changed, and
        the new catalog items left out for want of room."""
        stamp = _iso(self._clock())
        changed = 0
        no_room: list[_RefusedItem] = []
        with self.database.transaction() as conn:
            if kind == "catalog" and prepared:
                report = CatalogStore(self.database).write_prepared(conn, prepared)
                changed = report.added + report.replaced + report.deleted
                if report.refused:
                    from kiosk.protocol.catalog import MAX_CATALOG_ITEMS

                    versions = {e.code: e.version for e in prepared}
                    no_room = [
                        _RefusedItem(r.code or "", versions.get(r.code or "", 0), r.reason, MAX_CATALOG_ITEMS)
                        for r in report.refused
                    ]
            elif kind != "catalog":
                for key, version, values in prepared:
                    outcome = sync_state.apply_entry(conn, kind, key, version, values, stamp)
                    changed += outcome != "unchanged"
            sync_state.save_cursor(conn, kind, next_cursor, stamp)
        return _Applied(changed, tuple(no_room))

    # -- push -------------------------------------------------------------------------------------------------

    def _push(self, client: CenterClient, tally: _Tally) -> None:
        """Send the pending rows oldest first, each at most once per cycle. While a batch is on the wire the
        next one is read and encoded on a worker, and acknowledged rows are settled on the writer."""
        batch_size = max(1, min(500, self.settings.sync_batch_size))
        retention = self.settings.outbox_retention_days
        if retention > 0:
            self.background.write(self._purge, retention).result()
        settling: list[Future[int]] = []
        try:
            batch = self._next_batch(0, (), batch_size)
            while batch is not None:
                upcoming = self.background.run(self._next_batch, batch.last_id, batch.later, batch_size)
                if batch.broken:
                    tally.quarantined += self.background.write(self._reject, list(batch.broken)).result()
                if batch.records:
                    settled = self._send_batch(client, batch.records, tally, keep=retention > 0)
                    if settled is None:
                        return
                    settling.extend(settled)
                batch = upcoming.result()
        finally:
            for future in settling:
                tally.acknowledged += future.result()

    def _next_batch(self, after_id: int, carried: tuple[_Wire, ...], limit: int) -> _Batch | None:
        """The next batch: the records carried over from the last read, then pending rows after ``after_id``,
        encoded for the wire, up to ``limit`` records and BATCH_MAX_BYTES. Rows that cannot be sent are set
        apart: those that do not open, and those too large for any request the center accepts."""
        wires = list(carried)
        size = sum(len(w.data) + 1 for w in wires)
        broken: list[tuple[str, str]] = []
        if len(wires) < limit and size < BATCH_MAX_BYTES:
            rows = outbox_store.pending(
                self.database.connection(),
                after_id=after_id,
                limit=limit - len(wires),
                max_bytes=BATCH_MAX_BYTES - size,
            )
            for row in rows:
                wire = self._encode(row, broken)
                if wire is not None:
                    wires.append(wire)
            if rows:
                after_id = rows[-1].id
            elif not wires:
                return None
        taken = _fitting(wires, limit)
        return _Batch(after_id, tuple(wires[:taken]), tuple(wires[taken:]), tuple(broken))

    def _encode(self, row: OutboxRow, broken: list[tuple[str, str]]) -> _Wire | None:
        try:
            data = self.outbox.encode(row)
        except SealError as exc:
            log.error("outbox row %d (%s) quarantined: %s", row.id, row.idempotency_key, exc)
            broken.append((row.idempotency_key, f"quarantined: {exc}"))
            return None
        if len(_BATCH_OPEN) + len(data) + len(_BATCH_CLOSE) > MAX_BODY_BYTES:
            log.error(
                "outbox row %d (%s) quarantined: %d bytes encoded, over the %d a request may carry",
                row.id,
                row.idempotency_key,
                len(data),
                MAX_BODY_BYTES,
            )
            broken.append(
                (
                    row.idempotency_key,
                    f"quarantined: too large to send ({len(data)} bytes encoded; the center accepts "
                    f"at most {MAX_BODY_BYTES} bytes a request)",
                )
            )
            return None
        return _Wire(row.idempotency_key, data)

    def _send_batch(
        self, client: CenterClient, records: Sequence[_Wire], tally: _Tally, *, keep: bool
    ) -> list[Future[int]] | None:
        """One POST; returns the writer's futures settling its results, or None when pushing must stop.

        A batch the center refuses as a whole for what is in it (413 too large, 422 invalid) is sent again in
        halves, so the records it would take get through and the one it will not is found and kept aside with
        the center's reason: the outbox converges instead of offering the same batch every cycle."""
        keys = [w.key for w in records]
        try:
            result = client.push_encoded(_batch_body(records), keys)
        except RequestRefused as exc:
            if exc.status not in (413, 422):
                self.background.write(self._failed, keys, exc.detail).result()
                tally.errors.append(SyncProblem("push", _center_plain(exc), exc.detail))
                return None
            if len(records) == 1:
                log.warning("record %s: %d refused (kept aside): %s", keys[0], exc.status, exc.error)
                tally.rejected += 1
                return [
                    self.background.write(self._settle, [], [(keys[0], f"{exc.status} {exc.error}")], keep)
                ]
            log.info(
                "a batch of %d records was refused whole (%d); sending it in halves", len(keys), exc.status
            )
            middle = len(records) // 2
            futures: list[Future[int]] = []
            for half in (records[:middle], records[middle:]):
                settled = self._send_batch(client, half, tally, keep=keep)
                if settled is None:
                    return futures or None
                futures.extend(settled)
            return futures
        except BadAnswer as exc:
            self.background.write(self._failed, keys, exc.detail).result()
            tally.errors.append(SyncProblem("push", _center_plain(exc), exc.detail))
            return None
        except CenterError as exc:
            self.background.write(self._failed, keys, exc.detail).result()
            raise self._abort_on("push", exc) from None
        tally.pushed += len(keys)
        acked = [r.idempotency_key for r in result.results if r.status == 201]
        refused = [(r.idempotency_key, f"{r.status} {r.error}") for r in result.results if r.status != 201]
        for r in result.results:
            if r.status == 409:
                tally.conflicts += 1
                log.warning("record %s: 409 conflict (kept aside): %s", r.idempotency_key, r.error)
            elif r.status == 422:
                tally.rejected += 1
                log.warning("record %s: 422 rejected (kept aside): %s", r.idempotency_key, r.error)
        return [self.background.write(self._settle, acked, refused, keep)]

    def _settle(self, acked: list[str], refused: list[tuple[str, str]], keep: bool) -> int:
        with self.database.transaction() as conn:
            done = outbox_store.acknowledge(
                conn, acked, keep=keep, now=datetime.fromtimestamp(self._clock(), UTC)
            )
            outbox_store.reject(conn, refused)
        return done

    def _reject(self, rejections: list[tuple[str, str]]) -> int:
        with self.database.transaction() as conn:
            return outbox_store.reject(conn, rejections)

    def _failed(self, keys: list[str], error: str) -> None:
        with self.database.transaction() as conn:
            outbox_store.note_failure(conn, keys, error[:500])

    def _purge(self, retention_days: int) -> int:
        with self.database.transaction() as conn:
            return outbox_store.purge(
                conn, retention_days=retention_days, now=datetime.fromtimestamp(self._clock(), UTC)
            )

    # -- heartbeat --------------------------------------------------------------------------------------------

    def _heartbeat(self, client: CenterClient, tally: _Tally) -> None:
        from kiosk.services.ops.heartbeat import OpsBeat, forget_sent, ops_beat

        stats = self.outbox.stats()
        last = self.status.last_success_at
        if not tally.errors:
            last = _iso(self._clock())
        try:
            free: int | None = shutil.disk_usage(self.settings.data_dir).free
        except OSError:
            free = None
        try:
            ops = ops_beat(self.settings)
        except Exception:  # the heartbeat still goes, without what operations would add
            log.exception("the operations part of the heartbeat could not be made")
            ops = OpsBeat({}, ())
        beat = Heartbeat(
            version=running_version(),
            role=self.settings.role,
            devices=self._device_health(),
            outbox_backlog=stats.backlog,
            outbox_oldest_age_s=round(stats.oldest_age_s, 3) if stats.oldest_age_s is not None else None,
            last_sync_at=datetime.fromisoformat(last) if last else None,
            free_disk_bytes=free,
            **ops.fields,
        )
        try:
            answer = client.heartbeat(beat)
        except (BadAnswer, RequestRefused) as exc:
            tally.errors.append(SyncProblem("heartbeat", _center_plain(exc), exc.detail))
            return
        except CenterError as exc:
            raise self._abort_on("heartbeat", exc) from None
        tally.heartbeat = True
        try:
            forget_sent(self.settings.data_dir, ops.report_ids)  # answered 200: the center stored each one
        except OSError as exc:
            log.warning(
                "reports sent could not be forgotten (they go again; the center keeps each once): %s", exc
            )
        self._answered(answer, client, tally)

    def _answered(self, answer: HeartbeatAnswer, client: CenterClient, tally: _Tally) -> None:
        """What the center's answer asks: the version to run, its settings layer, its commands; each checked
        against the pinned command key (pinned here if the terminal has none yet: kiosk.services.ops)."""
        from kiosk.ops.target import Target, read_target, write_target
        from kiosk.services.ops.center_key import check_offered
        from kiosk.services.ops.center_settings import SettingsRefused, keep_settings
        from kiosk.services.ops.heartbeat import version_to_stay_on

        data_dir = self.settings.data_dir
        # null means "stay on what you run": kept as that version, since an updater without a target takes the
        # newest release, which would walk past the rollout's rings.
        wanted = answer.target_version or version_to_stay_on(self.settings)
        try:
            before = read_target(data_dir)
            write_target(data_dir, Target(wanted))
        except OSError as exc:
            log.error("the center's target version could not be kept: %s", exc)
        else:
            if before is None or before.version != wanted:
                log.info(
                    "the center's target version: %s%s", wanted, "" if answer.target_version else " (stay)"
                )
                for listener in list(self._target_listeners):
                    try:
                        listener(wanted)
                    except Exception:
                        log.exception("a listener of the target version failed")
        check = check_offered(data_dir, answer.command_key)
        key_problem = ""
        if check.outcome == "other":
            offered = answer.command_key.key_id if answer.command_key is not None else "?"
            pinned = check.key.key_id if check.key is not None else "a damaged pin"
            key_problem = f"the center's command key {offered} is not the key pinned at enrolment ({pinned})"
            log.error(
                "%s: its commands and settings are refused; enrol again to trust a new key", key_problem
            )
            tally.errors.append(SyncProblem("heartbeat", _KEY_REFUSED, key_problem))
        key = check.key if not key_problem else None
        if answer.settings is not None:
            if key is None:
                log.warning(
                    "the center's settings version %d refused: no trusted key", answer.settings.version
                )
            else:
                try:
                    if keep_settings(data_dir, answer.settings, key, self.settings.terminal_id):
                        self.changes.announce(SETTINGS, count=len(answer.settings.values))
                except SettingsRefused as exc:
                    log.error("the center's settings version %d refused: %s", answer.settings.version, exc)
                    tally.errors.append(SyncProblem("heartbeat", _SETTINGS_REFUSED, str(exc)))
                except OSError as exc:
                    log.error("the center's settings could not be kept: %s", exc)
                    tally.errors.append(SyncProblem("heartbeat", _NOT_STORED, f"center settings: {exc}"))
        if answer.commands:
            for outcome in self.commands.run(answer.commands, key, client, key_problem=key_problem):
                tally.commands[outcome.outcome] = tally.commands.get(outcome.outcome, 0) + 1

    def _device_health(self) -> list[DeviceHealth]:
        try:
            found = list(self.devices())
        except Exception:
            log.exception("the device list for the heartbeat failed")
            return []
        health: list[DeviceHealth] = []
        for device in found[:64]:
            try:
                health.append(_to_device_health(device))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                log.warning("device %r left out of the heartbeat: %s", device, exc)
        return health

    # -- the background loop ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the background loop on its own thread (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the loop after the step it is in (a cycle in flight finishes its current request)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the sync thread did not stop within %.0f s", timeout)
            self._thread = None
        self._drop_client()

    def close(self) -> None:
        self.stop()
        if self._own_background:
            self.background.shutdown()

    def trigger(self) -> None:
        """Ask for a cycle soon (returns at once; safe from any thread, the UI's included)."""
        self._wake.set()

    def backoff(self, failures: int) -> float:
        """Full jitter: a uniform draw from [0, min(cap, base * 2^(failures-1))]."""
        cap = min(float(self.settings.sync_interval_s), BACKOFF_CAP_S)
        window = min(cap, self._backoff_base * 2 ** max(0, min(failures - 1, 30)))
        return self._rng.uniform(0, window)

    def next_wait(self, failures: int) -> float:
        """Seconds until the next cycle after ``failures`` failed ones in a row: the interval, or the backoff,
        and never less than a Retry-After the center gave (taken once)."""
        wait = self.backoff(failures) if failures else float(self.settings.sync_interval_s)
        wait, self._retry_after = max(wait, self._retry_after), 0.0
        return wait

    def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            if failures and self.status.online is False and not self._probe():
                failures += 1
                self._sleep(self.backoff(failures))
                continue
            # Wait for the writer to finish what it is doing: a trigger() comes from inside a feature's
            # transaction, and the cycle must see that transaction committed.
            self.background.write(_nothing).result()
            report = self.run_once()
            if self._stopping.is_set():
                return
            failures = 0 if report.ok else failures + 1
            self._sleep(self.next_wait(failures))

    def _probe(self) -> bool:
        if not self._cycle_lock.acquire(blocking=False):
            return False  # a cycle someone else started is finding out already
        try:
            reachable = self._connect().probe()
        except _Aborted:
            return True  # not a network question: let the cycle report it
        except Exception:
            log.exception("probing the center failed")
            return False
        finally:
            self._cycle_lock.release()
        log.debug("probe: the center is %s", "reachable" if reachable else "unreachable")
        return reachable

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(max(0.0, seconds))
        self._wake.clear()


def _nothing() -> None:
    pass


@dataclass(frozen=True, slots=True)
class _Wire:
    """One record encoded for the wire (canonical JSON) and its key."""

    key: str
    data: bytes


@dataclass(frozen=True, slots=True)
class _Batch:
    last_id: int  # the last outbox row read: the next batch reads after it
    records: tuple[_Wire, ...]  # this batch's records, in order
    later: tuple[_Wire, ...]  # read but over this batch's limits: the next batch starts with them
    broken: tuple[tuple[str, str], ...]  # (key, reason) of rows that cannot be sent


def _batch_body(records: Sequence[_Wire]) -> bytes:
    return _BATCH_OPEN + b",".join(w.data for w in records) + _BATCH_CLOSE


def _fitting(wires: Sequence[_Wire], limit: int) -> int:
    """How many of ``wires`` the next batch takes: at most ``limit`` records and BATCH_MAX_BYTES, but always
    the first (one over the budget yet within what the center accepts travels alone)."""
    total = len(_BATCH_OPEN) + len(_BATCH_CLOSE)
    for count, wire in enumerate(wires[:limit]):
        total += len(wire.data) + (1 if count else 0)
        if count and total > BATCH_MAX_BYTES:
            return count
    return min(len(wires), limit)


@dataclass(frozen=True, slots=True)
class _RefusedItem:
    """A catalog item of a page that is not cached, and why (in English, for the log)."""

    code: str
    version: int
    reason: str
    no_room: int | None = None  # the cache's limit, when the item was left out for want of room


@dataclass(frozen=True, slots=True)
class _Applied:
    changed: int  # entries that changed the local copy
    no_room: tuple[_RefusedItem, ...] = ()  # new catalog items the cache had no room for


@dataclass(frozen=True, slots=True)
class _Prepared:
    rows: list[Any]  # what the writer applies
    refused: list[tuple[str, int, FormFormatError]] = field(default_factory=list)  # templates left out
    refused_items: list[_RefusedItem] = field(default_factory=list)  # catalog items left out


# How the catalog validator names an item in its reasons ("item #4 (code RS-004): ..."): a page's items are
# named by their key and version instead.
_ITEM_LABEL = re.compile(r"^item #\d+(?: \(code [^)]*\))?: ")


def _prepare(kind: str, page: FeedPage) -> _Prepared:
    """The page's entries checked and in the form the store applies.

    Catalog items go through the catalog file importer's own validation, one by one, then become the rows the
    store writes; form templates are checked one by one as the form screens will read them. An item or a
    template that fails is left out of the page (``refused_items``, ``refused``), so the version cached before
    stays in use, while the rest of the page and its cursor are applied; a corrected, later version replaces
    it. Raises only for a page that is not a catalog at all (more entries than a catalog may hold).
    """
    if kind == "catalog":
        return _prepare_catalog(page)
    prepared = _Prepared([])
    for e in page.entries:
        if kind == "form_templates" and not e.deleted:
            from kiosk.domain.forms import parse_template

            try:
                parse_template(e.data, key=e.key, version=e.version)
            except FormFormatError as exc:
                prepared.refused.append((e.key, e.version, exc))
                continue
        prepared.rows.append((e.key, e.version, None if e.deleted else _feed_values(kind, e.data or {})))
    return prepared


def _prepare_catalog(page: FeedPage) -> _Prepared:
    from kiosk.domain.catalog import CATALOG_FORMAT, check_catalog
    from kiosk.protocol.models import entry_problem

    refused: list[_RefusedItem] = []
    checked: list[FeedEntry] = []  # the entries whose envelope fits, in page order
    for entry in page.entries:
        problem = entry_problem("catalog", entry)  # the item's code and version are its key and version
        if problem is not None:
            refused.append(_RefusedItem(entry.key, entry.version, problem))
        else:
            checked.append(entry)
    items = [
        e.data if not e.deleted else {"code": e.key, "version": e.version, "deleted": True} for e in checked
    ]
    check = check_catalog({"format": CATALOG_FORMAT, "items": items}, with_documents=True)
    for item in check.refused:
        key, version = (item.code or "", 0)
        if item.index is not None:
            key, version = checked[item.index].key, checked[item.index].version
        refused.append(_RefusedItem(key, version, _ITEM_LABEL.sub("", item.reason)))
    return _Prepared(prepare_entries(check.entries), refused_items=refused)


def _feed_values(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    import json

    if kind == "notices":
        from kiosk.protocol.models import NoticeData

        notice = NoticeData.model_validate(data)
        return {
            "title": notice.title,
            "body": notice.body,
            "level": notice.level,
            "starts_at": notice.starts_at.isoformat(),
            "ends_at": notice.ends_at.isoformat() if notice.ends_at else None,
        }
    return {"document": json.dumps(data, ensure_ascii=False, sort_keys=True)}


def _to_device_health(device: Any) -> DeviceHealth:
    if isinstance(device, DeviceHealth):
        return device
    data = device.to_dict() if hasattr(device, "to_dict") else dict(device)
    return DeviceHealth(
        role=str(data["role"])[:64],
        backend=str(data.get("backend", ""))[:64],
        health=data["health"],
        code=str(data.get("code", ""))[:64],
    )
