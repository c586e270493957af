"""``kiosk sscard``: the social security card: read one, or run the card emulator behind pcscd."""

from __future__ import annotations

import argparse
import logging
import sys

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings
from kiosk.logs import setup_logging

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "sscard",
        help="read a social security card, or emulate one",
        description="The social security card (社保卡) over PC/SC. See docs/sscard.md.",
    )
    commands = parser.add_subparsers(dest="sscard_command", metavar="COMMAND", required=True)

    p = commands.add_parser("read", help="read one card (names and numbers masked unless --unmasked)")
    p.add_argument(
        "--reader",
        metavar="NAME",
        help="part of the PC/SC reader's name (default: the sscard_reader setting; empty: the first reader "
        "holding a card)",
    )
    p.add_argument("--pin", metavar="PIN", help="the card's PIN, presented only if the card asks for it")
    p.add_argument("--json", action="store_true", help="print the fields as JSON")
    p.add_argument("--unmasked", action="store_true", help="print names and numbers in full")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds to wait for a card")
    p.set_defaults(handler=_read)

    p = commands.add_parser(
        "simulate",
        help="put an emulated card into vpcd's virtual reader (pcscd) until Ctrl-C",
        description="Connects an emulated social security card to vpcd (the virtual reader driver of "
        "pcscd, package vsmartcard-vpcd), so any PC/SC program, `kiosk sscard read` included, sees it.",
    )
    p.add_argument(
        "--card",
        default="huang",
        metavar="NAME|FILE",
        help="a sample card (huang, chen, pin: PIN 123456) or a JSON card file (default huang)",
    )
    p.add_argument("--port", type=int, default=35963, help="vpcd's TCP port (default 35963, its first slot)")
    p.add_argument("--host", default="127.0.0.1", help="where vpcd listens (default 127.0.0.1)")
    p.set_defaults(handler=_simulate)


def _read(args: argparse.Namespace, settings: Settings) -> int:
    from drivers.base import DeviceError
    from drivers.sscard.pcsc import SocialSecurityCardReader, SsCardRead
    from kiosk.domain.identity import mask_id_number

    setup_logging(settings.log_dir, settings.log_level)
    if settings.sscard_driver == "none":
        return fail("the social security card reader is switched off (sscard_driver = none)", 2)
    reader = SocialSecurityCardReader(args.reader if args.reader is not None else settings.sscard_reader)
    try:
        result = reader.read_card(timeout=args.timeout, pin=args.pin).result(timeout=args.timeout + 30)
    except DeviceError as exc:
        return fail(f"{exc} ({exc.code})")
    except TimeoutError:
        return fail("读卡器没有响应，请检查读卡器的连接 (timeout)")
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a driver bug must still end in one line, not a traceback
        log.exception("sscard read failed")
        return fail(f"读卡失败（{type(exc).__name__}），详情见日志")
    finally:
        reader.close()
    identity = result.identity
    if args.unmasked:
        shown = identity.unmasked()
        if isinstance(result, SsCardRead):
            shown["birthplace"] = result.birthplace
    else:
        shown = {**identity.masked(), "card_number": mask_id_number(identity.card_number)}
    # A social security card has no validity dates in its records (Identity would call that 长期).
    shown = {key: value for key, value in shown.items() if value and key not in ("valid_from", "valid_to")}
    if args.json:
        print_json(shown)
    else:
        for key, value in shown.items():
            print(f"{key}: {value}")
    return 0


def _simulate(args: argparse.Namespace, settings: Settings) -> int:
    import signal
    import threading

    from drivers.base import DeviceError
    from drivers.sscard.cards import load_card
    from drivers.sscard.emulator import VpcdEmulator

    setup_logging(settings.log_dir, settings.log_level)
    try:
        card = load_card(args.card)
    except DeviceError as exc:
        return fail(str(exc), 2)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    emulator = VpcdEmulator(card, host=args.host, port=args.port)
    print(f"社保卡模拟器：{card!r}，vpcd {args.host}:{args.port}，按 Ctrl-C 退出", flush=True)
    waiting = False
    try:
        while not stop.is_set():
            if not emulator.inserted:  # not yet, or vpcd let go (pcscd restarted): insert again
                try:
                    emulator.insert(timeout=1.0)
                    print("已插卡", flush=True)
                    waiting = False
                except DeviceError as exc:
                    if not waiting:
                        print(f"{exc}，等待中…", file=sys.stderr, flush=True)
                        waiting = True
            stop.wait(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        emulator.close()
        signal.signal(signal.SIGTERM, previous)
    print("已拔卡，模拟器退出", flush=True)
    return 0
