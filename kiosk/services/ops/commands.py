"""The center's commands on the terminal: each verified with the pinned key, for this terminal, not expired, run
once, its result spooled as a ``command`` report for the next heartbeat.

A command is one of a closed list of kinds, each a fixed action here; nothing from the center is ever run as code
or shell text. What needs the running role (leaving with an exit code for the supervisor, a picture of the
window) is lent by it (:mod:`kiosk.services.ops.role_hooks`); where none is lent (a ``kiosk sync once`` from the
command line) such a command is left for the running program, which gets it again in a later answer. A restart
waits for the citizen's session to end; a screenshot is refused while one is open.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kiosk.ops import exit_codes, reports
from kiosk.ops.service_state import back_in_service, take_out_of_service
from kiosk.protocol.ops import (
    DETAIL_MAX,
    UPLOAD_MAX_BYTES,
    UPLOAD_TYPES,
    Command,
    CommandKey,
    CommandRefused,
    NoticeArgs,
    OutOfServiceArgs,
    SignedCommand,
    UploadLogsArgs,
    open_command,
)
from kiosk.services import changes as topics
from kiosk.services.ops import role_hooks
from kiosk.services.ops.commands_done import CommandsDone
from kiosk.services.ops.heartbeat import session_open

if TYPE_CHECKING:
    from kiosk.center_client.client import CenterClient
    from kiosk.services.background import Background
    from kiosk.services.changes import Changes
    from kiosk.store.database import Database

log = logging.getLogger(__name__)

Outcome = Literal["done", "refused", "failed", "expired"]
WAIT_CHECK_S = 2.0  # how often a restart waiting for a session to end looks again
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class CommandOutcome:
    """What became of one command in an answer: a result (reported to the center), or not run yet: ``waiting``
    (a restart, until the citizen's session ends) or ``left`` (for the running program: this process has no
    window to lend)."""

    command_id: str
    kind: str
    outcome: Outcome | Literal["waiting", "left"]
    detail: str = ""


class CommandRunner:
    """Runs the commands of heartbeat answers for one terminal. Called on the sync thread."""

    def __init__(
        self,
        data_dir: Path,
        log_dir: Path,
        terminal_id: str,
        *,
        database: Database | None = None,
        background: Background | None = None,
        changes: Changes | None = None,
        trigger_sync: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.terminal_id = terminal_id
        self.database = database
        self.background = background
        self.changes = changes
        self.trigger_sync = trigger_sync or (lambda: None)
        self._clock = clock
        self.done = CommandsDone(data_dir)
        self._lock = threading.Lock()
        self._waiting: dict[str, Command] = {}  # restarts waiting for the citizen's session to end
        self._waiter: threading.Thread | None = None

    # -- the answer's commands ------------------------------------------------------------------------------

    def run(
        self,
        commands: Sequence[SignedCommand],
        key: CommandKey | None,
        client: CenterClient | None,
        *,
        key_problem: str = "",
    ) -> list[CommandOutcome]:
        """Check and run each command in order. ``key`` is the pinned key (None: nothing pinned, or the answer's
        key was refused; ``key_problem`` then says why every command is refused)."""
        skew = client.skew if client is not None else 0.0
        now = datetime.fromtimestamp(self._clock() + skew, UTC)
        outcomes: list[CommandOutcome] = []
        for signed in commands:
            outcomes.append(self._one(signed, key, key_problem, client, now))
        return outcomes

    def _one(
        self,
        signed: SignedCommand,
        key: CommandKey | None,
        key_problem: str,
        client: CenterClient | None,
        now: datetime,
    ) -> CommandOutcome:
        if key is None or key_problem:
            return self._result(signed.id, signed.kind, "refused", key_problem or "no center key is pinned")
        try:
            command = open_command(signed, key, self.terminal_id, now)
        except CommandRefused as exc:
            log.warning("command %s (%s) refused: %s", signed.id, signed.kind[:64], exc.reason)
            return self._result(signed.id, signed.kind, exc.outcome, exc.reason)
        with self._lock:
            if command.id in self._waiting:
                return CommandOutcome(command.id, command.kind, "waiting")
        if command.id in self.done:
            log.warning("command %s (%s) refused: it was run before (a replay)", command.id, command.kind)
            return self._result(command.id, command.kind, "refused", "already run once (a replay)")
        log.info("command %s (%s) from the center", command.id, command.kind)
        return self._dispatch(command, client)

    def _dispatch(self, command: Command, client: CenterClient | None) -> CommandOutcome:
        kind = command.kind
        if kind in ("restart_program", "restart_machine"):
            return self._restart(command)
        if kind == "screenshot":
            return self._screenshot(command, client)
        if kind == "upload_logs":
            return self._upload_logs(command, client)
        if not self._claim(command):
            return self._taken(command)
        try:
            detail = self._simple(command)
        except Exception as exc:  # a disk or database that refused: reported, the others still run
            log.exception("command %s (%s) failed", command.id, kind)
            return self._result(command.id, kind, "failed", f"{type(exc).__name__}: {exc}")
        return self._result(command.id, kind, "done", detail)

    def _simple(self, command: Command) -> str:
        """The commands that need neither the role nor an upload; what was done, for the center."""
        kind, args = command.kind, command.args
        if kind == "sync_now":
            self.trigger_sync()
            return "a sync cycle follows at once"
        if kind == "reload_content":
            for topic in (topics.CATALOG, topics.FORM_TEMPLATES, topics.NOTICES):
                self._announce(topic)
            return "the screens read the catalog, forms and notices again"
        if kind == "notice":
            assert isinstance(args, NoticeArgs)
            return self._notice(command, args)
        if kind == "out_of_service":
            assert isinstance(args, OutOfServiceArgs)
            take_out_of_service(self.data_dir, "command", "center", args.message)
            self._announce(topics.SERVICE_STATE)
            return "out of service (the screen changes once a citizen's session ends)"
        if kind == "back_in_service":
            was = back_in_service(self.data_dir, "center")
            self._announce(topics.SERVICE_STATE)
            return "back in service" if was else "was in service already"
        raise AssertionError(f"no action for {kind}")  # open_command knows only the kinds above

    # -- restarts: when no citizen's session is open ----------------------------------------------------------

    def _restart(self, command: Command) -> CommandOutcome:
        if role_hooks.current().request_exit is None:
            log.info("command %s (%s) left for the running program", command.id, command.kind)
            return CommandOutcome(command.id, command.kind, "left", "no running program here")
        if session_open(self.data_dir):
            with self._lock:
                self._waiting[command.id] = command
                self._start_waiter()
            log.info("command %s (%s) waits for the citizen's session to end", command.id, command.kind)
            return CommandOutcome(command.id, command.kind, "waiting", "a citizen's session is open")
        return self._exit_for(command)

    def _exit_for(self, command: Command) -> CommandOutcome:
        request_exit = role_hooks.current().request_exit
        if request_exit is None:
            return CommandOutcome(command.id, command.kind, "left", "no running program here")
        code = exit_codes.RESTART if command.kind == "restart_program" else exit_codes.REBOOT
        # Remembered and reported before leaving: the result travels with the next heartbeat after the restart.
        if not self._claim(command):
            return self._taken(command)
        what = "the program restarts" if code == exit_codes.RESTART else "the machine restarts"
        outcome = self._result(command.id, command.kind, "done", what)
        log.warning("command %s: %s (exit code %d for the supervisor)", command.id, what, code)
        request_exit(code)
        return outcome

    def _start_waiter(self) -> None:
        if self._waiter is not None and self._waiter.is_alive():
            return
        self._waiter = threading.Thread(target=self._wait_for_session_end, name="ops-restart", daemon=True)
        self._waiter.start()

    def _wait_for_session_end(self) -> None:
        while True:
            time.sleep(WAIT_CHECK_S)
            with self._lock:
                waiting = list(self._waiting.values())
            if not waiting:
                return
            now = datetime.fromtimestamp(self._clock(), UTC)
            for command in waiting:
                if now >= command.expires_at:
                    with self._lock:
                        self._waiting.pop(command.id, None)
                    if self._claim(command):
                        self._result(
                            command.id,
                            command.kind,
                            "expired",
                            "a citizen's session was open until it expired",
                        )
            if session_open(self.data_dir):
                continue
            with self._lock:
                ready = list(self._waiting.values())
                self._waiting.clear()
            for command in ready[:1]:  # one exit is enough; the others come again after the restart
                self._exit_for(command)
            with self._lock:
                for command in ready[1:]:
                    self._waiting.pop(command.id, None)
            return

    @property
    def waiting(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._waiting)

    # -- uploads ----------------------------------------------------------------------------------------------

    def _screenshot(self, command: Command, client: CenterClient | None) -> CommandOutcome:
        grab = role_hooks.current().screenshot
        if grab is None or client is None:
            log.info("command %s (screenshot) left for the running program", command.id)
            return CommandOutcome(command.id, command.kind, "left", "no window here")
        if not self._claim(command):
            return self._taken(command)
        if session_open(self.data_dir):
            log.warning("command %s (screenshot) refused: a citizen's session is open", command.id)
            return self._result(command.id, command.kind, "refused", "a citizen's session is open")
        try:
            png = grab()
        except Exception as exc:
            log.exception("command %s: the window could not be grabbed", command.id)
            return self._result(command.id, command.kind, "failed", f"the window could not be grabbed: {exc}")
        if not png.startswith(_PNG) or len(png) > UPLOAD_MAX_BYTES:
            return self._result(
                command.id, command.kind, "failed", f"not a PNG of at most {UPLOAD_MAX_BYTES} bytes"
            )
        return self._upload(command, client, png)

    def _upload_logs(self, command: Command, client: CenterClient | None) -> CommandOutcome:
        if client is None:
            return CommandOutcome(command.id, command.kind, "left", "no center client here")
        assert isinstance(command.args, UploadLogsArgs)
        from kiosk.services.ops.log_upload import log_text

        if not self._claim(command):
            return self._taken(command)
        try:
            text = log_text(self.log_dir, command.args.hours)
        except OSError as exc:
            return self._result(command.id, command.kind, "failed", f"the log cannot be read: {exc}")
        return self._upload(command, client, text)

    def _upload(self, command: Command, client: CenterClient, body: bytes) -> CommandOutcome:
        from kiosk.center_client.errors import CenterError

        try:
            client.upload(command.id, UPLOAD_TYPES[command.kind], body)
        except CenterError as exc:
            log.warning("command %s (%s): the upload failed: %s", command.id, command.kind, exc)
            return self._result(command.id, command.kind, "failed", f"upload failed: {exc.detail}")
        return self._result(command.id, command.kind, "done", f"uploaded {len(body)} bytes")

    # -- a local notice ---------------------------------------------------------------------------------------

    def _notice(self, command: Command, args: NoticeArgs) -> str:
        if self.database is None or self.background is None:
            raise RuntimeError("no local database to keep the notice in")
        from kiosk.store import sync_state

        starts = datetime.now(UTC)
        values = {
            "title": args.title,
            "body": args.body,
            "level": args.level,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=args.hours)).isoformat(),
        }
        database = self.database

        def keep() -> None:
            with database.transaction() as conn:
                sync_state.apply_entry(
                    conn, "notices", f"command:{command.id}", 1, values, starts.isoformat(timespec="seconds")
                )

        self.background.write(keep).result()
        self._announce(topics.NOTICES)
        return f"the notice shows for {args.hours} h"

    # -- bookkeeping ------------------------------------------------------------------------------------------

    def _claim(self, command: Command) -> bool:
        """Remember the command as run, before running it; False when another process of this terminal (a
        ``kiosk sync once`` beside the running program) claimed it first: that one runs and reports it."""
        return self.done.claim(command.id, command.expires_at, datetime.fromtimestamp(self._clock(), UTC))

    @staticmethod
    def _taken(command: Command) -> CommandOutcome:
        log.info("command %s (%s) is run by another process of this terminal", command.id, command.kind)
        return CommandOutcome(command.id, command.kind, "left", "run by another process of this terminal")

    def _result(self, command_id: str, kind: str, outcome: Outcome, detail: str) -> CommandOutcome:
        detail = detail[:DETAIL_MAX]
        try:
            reports.spool(
                self.data_dir,
                "command",
                {"command_id": command_id, "kind": kind[:64], "outcome": outcome, "detail": detail},
            )
        except OSError as exc:
            log.error("the result of command %s could not be kept for the center: %s", command_id, exc)
        return CommandOutcome(command_id, kind, outcome, detail)

    def _announce(self, topic: str) -> None:
        if self.changes is not None:
            self.changes.announce(topic, count=1)
