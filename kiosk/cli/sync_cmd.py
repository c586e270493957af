"""``kiosk enroll`` and ``kiosk sync``: give the terminal its center credentials, sync once, show where sync is.

The secret is read from a file or standard input, never from the command line (it would end up in the shell
history and the process list), and never printed.

Enrolment is often done on site over a poor line, so its check with the center is retried with backoff for a
bounded time (``--retry-for``), each attempt within ``--timeout``; only what retrying cannot fix (credentials
refused, a URL that is not the center's API) ends it at once.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kiosk.cli.output import fail, print_json, to_jsonable
from kiosk.config import Settings
from kiosk.logs import setup_logging

if TYPE_CHECKING:
    from kiosk.center_client import CenterClient, CenterError
    from kiosk.protocol.models import HeartbeatAnswer
    from kiosk.protocol.ops import CommandKey
    from kiosk.services.sync.engine import SyncReport

NOT_ENROLLED = "this terminal is not enrolled with a center: run kiosk enroll first"
ENROLL_RETRY_FOR_S = 120.0
ENROLL_TIMEOUT_S = 20.0
_BACKOFF_BASE_S = 1.0
_BACKOFF_CAP_S = 15.0
_ERRNO_REASON = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # This module serves two top-level commands; a full --help asks it once per name.
    if "sync" not in sub.choices:
        _register_sync(sub)
    if "enroll" not in sub.choices:
        _register_enroll(sub)


def _register_sync(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "sync",
        help="sync with the center once, or show the sync state",
        description="Pull the center's feeds (catalog, form templates, notices, settings), push the outbox, "
        "send a heartbeat. The touch UI does this in the background; these commands are for operators.",
    )
    commands = parser.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    p = commands.add_parser("once", help="run one sync cycle and print what moved")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--check-devices",
        action="store_true",
        help="check the devices and report their health in the heartbeat",
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="the most each request and its whole answer may take (default 60)",
    )
    p.set_defaults(handler=_once)
    p = commands.add_parser("status", help="cursors per feed, outbox backlog, last success, last error")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_status)


def _register_enroll(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "enroll",
        help="store the terminal id and secret the center issued",
        description="Enroll this terminal with a center: the secret (64 hexadecimal characters, issued once by "
        "the center) is read from FILE or standard input ('-') and kept in the terminal's protected secrets "
        "folder; the center URL and terminal id go to the settings file. The credentials are checked with a "
        "signed heartbeat unless --no-check is given; while the center cannot be reached the check is tried "
        "again, with growing pauses, for up to --retry-for seconds.",
    )
    p.add_argument("--center", required=True, metavar="URL", help="the center's base URL (https://...)")
    p.add_argument("--terminal-id", required=True, metavar="ID", help="the terminal id the center issued")
    p.add_argument(
        "--secret-file",
        required=True,
        metavar="FILE",
        help="file holding the secret, or '-' for standard input",
    )
    p.add_argument(
        "--sm3", action="store_true", help="国密: sign with HMAC-SM3 and seal records with SM4-GCM"
    )
    p.add_argument("--no-check", action="store_true", help="do not contact the center now (enroll offline)")
    p.add_argument(
        "--center-key",
        metavar="FILE",
        help="the center's command key (JSON with key_id and public_key, from 'kiosk center command key'): "
        "pinned, and the center's answer must carry the same key",
    )
    p.add_argument(
        "--retry-for",
        type=_seconds_or_zero,
        default=ENROLL_RETRY_FOR_S,
        metavar="SECONDS",
        help=f"keep trying to reach the center for this long (default {ENROLL_RETRY_FOR_S:.0f}; 0: try once)",
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=ENROLL_TIMEOUT_S,
        metavar="SECONDS",
        help=f"the most each attempt and its whole answer may take (default {ENROLL_TIMEOUT_S:.0f})",
    )
    p.set_defaults(handler=_enroll)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds between 0 and 3600")
    return value


def _seconds_or_zero(text: str) -> float:
    return 0.0 if text.strip() in ("0", "0.0") else _seconds(text)


# -- enroll -----------------------------------------------------------------------------------------------------


def _read_secret(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    try:
        if path.stat().st_size > 4096:
            raise ValueError("too large")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ValueError(f"the secret file {path} cannot be read ({reason})") from None


def _enroll(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk import __version__
    from kiosk.center_client import CenterClient, CenterConfigError
    from kiosk.config import save_setting
    from kiosk.protocol.signing import SigningError, secret_from_hex
    from kiosk.services.sync.engine import ALGORITHM_OF_SUITE, ALLOW_PLAIN_HTTP
    from kiosk.store.keystore import Keystore, KeystoreError

    try:
        text = _read_secret(args.secret_file)
    except ValueError as exc:
        return fail(str(exc), 2)
    try:
        secret = secret_from_hex(text)
    except SigningError:
        return fail("the secret file must hold exactly the 64 hexadecimal characters the center issued", 2)
    terminal_id = args.terminal_id.strip()
    if not terminal_id or len(terminal_id) > 64 or any(c.isspace() or c == ":" for c in terminal_id):
        return fail("the terminal id must be 1-64 characters without spaces or ':'", 2)
    suite = "guomi" if args.sm3 else "standard"
    given_key = None
    if args.center_key:
        from kiosk.services.ops.center_key import CenterKeyError, read_key_file

        try:
            given_key = read_key_file(Path(args.center_key))
        except CenterKeyError as exc:
            return fail(f"{exc}. Nothing was stored", 2)
    setup_logging(settings.log_dir, settings.log_level)
    timeout = (min(10.0, args.timeout), args.timeout)
    try:
        client = CenterClient(
            args.center,
            terminal_id,
            secret,
            ALGORITHM_OF_SUITE[suite],
            allow_http=ALLOW_PLAIN_HTTP,
            timeout=timeout,
            user_agent=f"kiosk/{__version__}",
        )
    except CenterConfigError as exc:
        return fail(str(exc), 2)
    answer = None
    if not args.no_check:
        with client:
            try:
                checked = _check_with_retries(client, settings, args.retry_for)
            except KeyboardInterrupt:
                return fail("interrupted: nothing was stored", 130)
        if isinstance(checked, int):
            return checked
        answer = checked
    offered = answer.command_key if answer is not None else None
    if given_key is not None and offered is not None and offered != given_key:
        return fail(
            f"the center answered with command key {offered.key_id}, not the key {given_key.key_id} in "
            f"{args.center_key}: check that this is the right center and the right key file. Nothing was stored",
            1,
        )
    try:
        Keystore.for_data_dir(settings.data_dir).store_secret(secret)
    except KeystoreError as exc:
        return fail(str(exc), 1)
    settings = save_setting(settings, "center_url", args.center.strip().rstrip("/"))
    settings = save_setting(settings, "terminal_id", terminal_id)
    settings = save_setting(settings, "crypto_suite", suite)
    pinned = _pin_center_key(settings, given_key or offered, "file" if given_key is not None else "enrolment")
    checked = f"; the center answered (its clock: {answer.server_time.isoformat()})" if answer else ""
    print(f"enrolled as {terminal_id} with {args.center} ({ALGORITHM_OF_SUITE[suite]}){checked}")
    print(pinned)
    return 0


def _pin_center_key(settings: Settings, key: CommandKey | None, how: Literal["enrolment", "file"]) -> str:
    """Pin the center's command key (a new enrolment replaces the key pinned before: that is how a center's new
    key reaches a terminal); what to tell the operator."""
    from kiosk.ops.paths import OpsPaths
    from kiosk.services.ops.center_key import pin_key

    if key is None:
        OpsPaths.of(settings.data_dir).center_key.unlink(missing_ok=True)
        return (
            "no command key from the center yet: the terminal pins the first one a heartbeat's answer carries "
            "(give --center-key FILE to pin a known key now)"
        )
    pin_key(settings.data_dir, key, how)
    return (
        f"the center's command key {key.key_id} is pinned: commands and settings signed with it are accepted"
    )


def _check_with_retries(client: CenterClient, settings: Settings, retry_for: float) -> HeartbeatAnswer | int:
    """One signed heartbeat, tried again while the center cannot be reached (or answers garbage), with pauses
    growing from 1 s to 15 s (equal jitter) for up to ``retry_for`` seconds; each attempt and its progress is
    shown on stderr. The answer, or the exit code after the message saying what to check."""
    from kiosk import __version__
    from kiosk.center_client import BadAnswer, CenterUnavailable, RequestRefused, Unauthorized
    from kiosk.protocol.models import Heartbeat

    url = client.base_url
    give_up_at = time.monotonic() + retry_for
    rng = random.Random()
    attempt = 0
    while True:
        attempt += 1
        try:
            return client.heartbeat(Heartbeat(version=__version__, role=settings.role))
        except Unauthorized:
            return fail(
                "the center refused these credentials (401): check the terminal id and the secret file against "
                "what 'kiosk center terminal add' printed, and give --sm3 for a terminal issued with HMAC-SM3; "
                "if they are right, check the center's clock (it must be the right time: a request more than "
                "5 minutes away from it is refused). Nothing was stored",
                1,
            )
        except RequestRefused as exc:
            return fail(
                f"the center at {url} refused the check ({exc.status} {exc.error}): check the URL, which must be "
                "the center's base address (without /api/v1). Nothing was stored",
                1,
            )
        except (CenterUnavailable, BadAnswer) as exc:
            last: CenterError = exc
        left = give_up_at - time.monotonic()
        if left <= 0:
            break
        window = min(_BACKOFF_CAP_S, _BACKOFF_BASE_S * 2 ** min(attempt - 1, 10))
        pause = min(left, window / 2 + rng.uniform(0, window / 2))
        print(
            f"kiosk: attempt {attempt}: {_reason(last)}; trying again in {pause:.0f} s "
            f"(giving up in {_duration(left)})",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(pause)
    if isinstance(last, BadAnswer):
        what = (
            "The answers were not the center's: check that the URL is the center's base address and not a web "
            "page, a proxy or a Wi-Fi sign-in page, and that the center is a kiosk-sync/1 center"
        )
    else:
        what = (
            "Check the URL (the center's address and port, https://...), this terminal's network (cable or 4G, "
            "proxy, firewall) and that the center is running"
        )
    return fail(
        f"could not check the enrolment with the center at {url}: {attempt} attempt"
        f"{'s' if attempt != 1 else ''} in {_duration(retry_for)}, the last one: {_reason(last)}. {what}; then "
        "run this again, or enroll with --no-check and let the terminal sync once the line works. "
        "Nothing was stored",
        1,
    )


def _reason(exc: CenterError) -> str:
    """A short reason for a failed attempt (the full detail goes to the log)."""
    from kiosk.center_client import BadAnswer, DeadlineExceeded

    detail = exc.detail.split(": ", 1)[-1]  # without "POST /api/v1/heartbeat"
    if isinstance(exc, DeadlineExceeded):
        return detail
    if isinstance(exc, BadAnswer):
        return f"the answer was not the protocol's ({detail[:160]})"
    errno_reason = _ERRNO_REASON.search(detail)
    if errno_reason:
        return f"no connection ({errno_reason.group(1).strip().lower()})"
    if "answered" in detail:
        return detail
    return f"no answer ({detail.split(':', 1)[0]})"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


# -- sync -------------------------------------------------------------------------------------------------------


def _once(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.services.sync.engine import SyncEngine, client_factory_for, is_enrolled
    from kiosk.services.terminal import Terminal
    from kiosk.store.database import DatabaseError

    if not is_enrolled(settings):
        return fail(NOT_ENROLLED, 2)
    setup_logging(settings.log_dir, settings.log_level)
    devices = None
    try:
        with Terminal.open(settings) as terminal:
            from kiosk.store.integrity import CATALOG, OUTBOX, SYNC

            # Damage found at open: repair first (kiosk database repair keeps the outbox), rather than write
            # pages and cursors into damaged tables.
            terminal.database.require(OUTBOX, SYNC, CATALOG)
            if args.check_devices:
                from kiosk.services.devices import Devices

                devices = Devices(settings)
            factory = (
                client_factory_for(settings, timeout=(min(10.0, args.timeout), args.timeout))
                if args.timeout
                else None
            )
            engine = SyncEngine.for_terminal(
                terminal, devices=devices.check if devices else None, client_factory=factory
            )
            try:
                report = engine.run_once()
            finally:
                engine.stop()
                if devices is not None:
                    devices.close()
    except DatabaseError as exc:
        return fail(str(exc))
    if args.json:
        print_json({**to_jsonable(report), "reason": report.reason})
    else:
        _print_report(report)
    return 0 if report.ok else fail(report.reason, 1)


def _print_report(report: SyncReport) -> None:
    print(f"sync {'ok' if report.ok else 'failed'} in {report.duration_s:.2f} s ({report.started_at})")
    for kind, count in report.pulled.items():
        refused = report.refused.get(kind, 0)
        print(
            f"  pulled {kind}: {count} entries, {report.applied.get(kind, 0)} applied"
            + (f", {refused} refused" if refused else "")
        )
    print(
        f"  pushed {report.pushed} records: {report.acknowledged} acknowledged, {report.conflicts} conflicts, "
        f"{report.rejected} rejected, {report.quarantined} quarantined"
    )
    print(f"  heartbeat: {'sent' if report.heartbeat else 'not sent'}")
    if report.commands:
        shown = ", ".join(f"{count} {outcome}" for outcome, count in sorted(report.commands.items()))
        print(f"  the center's commands: {shown}")
    for problem in report.errors:
        print(f"  error: {problem.line()}")


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.services.sync.engine import is_enrolled
    from kiosk.services.terminal import Terminal
    from kiosk.store import sync_state
    from kiosk.store.database import DatabaseError

    if not is_enrolled(settings):
        return fail(NOT_ENROLLED, 2)
    setup_logging(settings.log_dir, settings.log_level)
    try:
        with Terminal.open(settings) as terminal:
            from kiosk.services.sync.outbox import OutboxService
            from kiosk.store.integrity import OUTBOX, SYNC

            terminal.database.require(
                OUTBOX, SYNC
            )  # what the check at open found, even where reads still work
            replaced = terminal.database.replacement
            conn = terminal.database.connection()
            cursors = sync_state.cursors(conn)
            state = sync_state.load_state(conn)
            stats = OutboxService.for_settings(terminal.database, settings).stats()
    except DatabaseError as exc:
        return fail(str(exc))
    status: dict[str, Any] = {
        "center_url": settings.center_url,
        "terminal_id": settings.terminal_id,
        "crypto_suite": settings.crypto_suite,
        "cursors": {kind: {"cursor": c, "updated_at": at} for kind, (c, at) in cursors.items()},
        "backlog": stats.backlog,
        "oldest_age_s": stats.oldest_age_s,
        "rejected": stats.rejected,
        "last_success_at": state.get("last_success_at"),
        "last_attempt_at": state.get("last_attempt_at"),
        "last_error": state.get("last_error"),
        "last_error_detail": state.get("last_error_detail"),
        "database_replaced": replaced.plain if replaced is not None else None,
        **_operations_status(settings),
    }
    if args.json:
        print_json(status)
        return 0
    print(f"center: {settings.center_url} as {settings.terminal_id} ({settings.crypto_suite})")
    if replaced is not None:
        print(f"database: {replaced.plain}")
    from kiosk.protocol.models import FEED_KINDS

    for kind in FEED_KINDS:
        cursor, at = cursors.get(kind, ("", ""))
        print(f"  feed {kind}: " + (f"cursor {cursor[:24]}… at {at}" if cursor else "not pulled yet"))
    print(
        f"backlog: {stats.backlog} records"
        + (f", oldest {stats.oldest_age_s:.0f} s" if stats.oldest_age_s else "")
    )
    print(f"rejected (kept for an operator): {stats.rejected}")
    layer = status["center_settings_version"]
    print(
        f"center command key: {status['center_key_id'] or 'not pinned yet'}; "
        f"center settings: {f'version {layer}' if layer else 'none'}"
    )
    print(f"last success: {status['last_success_at'] or 'never'}")
    if status["last_error"]:
        print(f"last error: {status['last_error']} — {status['last_error_detail']}")
    return 0


def _operations_status(settings: Settings) -> dict[str, Any]:
    """The center's key this terminal pinned and the version of the center's settings layer it keeps."""
    from kiosk.services.ops.center_key import pinned_key
    from kiosk.services.ops.heartbeat import settings_version

    key = pinned_key(settings.data_dir)
    return {
        "center_key_id": key.key_id if key is not None else None,
        "center_settings_version": settings_version(settings.data_dir),
    }
