"""``kiosk idcard``: read a resident ID card once, or run the simulated SAM reader."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, Any

from kiosk.cli.output import fail, print_json
from kiosk.config import Settings
from kiosk.logs import setup_logging

if TYPE_CHECKING:
    from drivers.idcard.reader import CardRead, IdCardReader

log = logging.getLogger(__name__)

DRIVERS = ("sam-serial", "sdtapi", "pcsc", "simulator")
FAULTS = ("no-card", "slow", "corrupt", "garbage", "truncate", "read-fail", "sam-fault")

# How long past the card wait a read may take before the command gives up on the driver itself.
_GRACE_S = 30.0

_LABELS = {
    "card_type": "证件类型",
    "name": "姓名",
    "english_name": "英文姓名",
    "sex": "性别",
    "nation": "民族",
    "nationality": "国籍",
    "birth_date": "出生日期",
    "address": "住址",
    "id_number": "证件号码",
    "authority": "签发机关",
    "valid_from": "有效期起",
    "valid_to": "有效期至",
    "pass_number": "通行证号码",
    "issue_count": "签发次数",
    "card_number": "卡号",
    "valid": "号码校验",
    "problem": "号码问题",
    "photo_bytes": "照片(WLT)字节",
    "fingerprint_bytes": "指纹字节",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "idcard",
        help="read an ID card, or simulate a reader",
        description="The resident ID card reader (居民身份证, 居住证, 外国人永久居留身份证).",
    )
    commands = parser.add_subparsers(dest="idcard_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "read",
        help="wait for a card and read it once",
        description="Wait for a card, read it once and print it, masked unless --unmasked. Exit status 0 "
        "after a read, 1 when reading failed, 2 when the reader is not set up.",
    )
    p.add_argument("--driver", choices=DRIVERS, help="reader backend (default: the idcard_driver setting)")
    p.add_argument(
        "--port",
        help="sam-serial: serial port (default: idcard_port); sdtapi: port number (default: sdtapi_port); "
        "pcsc: part of the reader's name (default: sscard_reader)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.add_argument("--unmasked", action="store_true", help="print every field in full")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a card (default 10)")
    p.add_argument("--fingerprint", action="store_true", help="also read the fingerprint data")
    p.add_argument(
        "--card", metavar="FILE", help="simulator: card file (kiosk-idcard/1) or sample name to place"
    )
    p.set_defaults(handler=_read)

    p = commands.add_parser(
        "simulate",
        help="run a simulated SAM reader on a pseudo-terminal",
        description="Run a simulated SAM module on a pseudo-terminal, print its port on the first line of "
        "standard output, and answer until Ctrl-C or SIGTERM. Point `kiosk idcard read --driver sam-serial "
        "--port PORT` (or the terminal's idcard_port) at it.",
    )
    p.add_argument(
        "--card", metavar="FILE", help="card file (kiosk-idcard/1) or sample name (default: elder)"
    )
    p.add_argument(
        "--faults",
        default="",
        metavar="LIST",
        help=f"comma-separated faults, active the whole time: {','.join(FAULTS)}",
    )
    p.add_argument("--baud", type=int, help="baud rate to pace answers at (default: idcard_baud; 0: unpaced)")
    p.add_argument(
        "--slow-delay", type=float, default=0.5, help="seconds the 'slow' fault delays each answer"
    )
    p.set_defaults(handler=_simulate)


# -- read ---------------------------------------------------------------------------------------------------


def _read(args: argparse.Namespace, settings: Settings) -> int:
    from concurrent.futures import TimeoutError as FutureTimeout

    from drivers.base import DeviceError

    setup_logging(settings.log_dir, settings.log_level)
    driver = args.driver or settings.idcard_driver
    if driver == "none":
        return fail("the ID card reader is switched off (idcard_driver = none); pass --driver", 2)
    if args.card and driver != "simulator":
        return fail("--card places a card on the simulator only; use it with --driver simulator", 2)
    try:
        reader = _make_reader(driver, args, settings)
    except DeviceError as exc:
        return fail(f"{exc} ({exc.code})", 2)
    except _Unavailable as exc:
        return fail(str(exc), 2)
    except (OSError, ValueError) as exc:  # no pseudo-terminals for the simulator, a baud rate of 0
        return fail(f"cannot start the {driver} reader: {exc}", 2)
    try:
        result = reader.read_card(timeout=args.timeout, fingerprint=args.fingerprint).result(
            timeout=args.timeout + _GRACE_S
        )
    except DeviceError as exc:
        return fail(f"{exc} ({exc.code})")
    except FutureTimeout:
        return fail("读卡器没有响应，请检查读卡器的连接线和电源 (timeout)")
    except Exception as exc:  # a driver bug must still end in one line, not a traceback
        log.exception("idcard read: %s failed", driver)
        return fail(f"读卡失败（{type(exc).__name__}），详情见日志")
    finally:
        reader.close()
    _print(result, driver, unmasked=args.unmasked, as_json=args.json)
    return 0


class _Unavailable(Exception):
    """A backend that cannot be used on this machine (its module or library is missing)."""


def _make_reader(driver: str, args: argparse.Namespace, settings: Settings) -> IdCardReader:
    if driver == "sam-serial":
        from drivers.idcard.sam_serial import SamSerialReader

        return SamSerialReader(args.port or settings.idcard_port, baud=settings.idcard_baud)
    if driver == "simulator":
        from drivers.idcard.cards import DEFAULT_SAMPLE, load_card
        from drivers.idcard.sam_serial import SimulatorReader

        return SimulatorReader(load_card(args.card or DEFAULT_SAMPLE), baud=settings.idcard_baud)
    if driver == "sdtapi":
        try:
            from drivers.idcard.sdtapi import SdtapiReader
        except ImportError as exc:
            raise _Unavailable(f"the sdtapi backend is not available in this build ({exc})") from None
        port = settings.sdtapi_port
        if args.port:
            if not args.port.isdigit():
                raise _Unavailable("sdtapi --port is a number: 1-16 serial, 1001-1016 USB")
            port = int(args.port)
        return SdtapiReader(settings.sdtapi_library, port=port)
    if driver == "pcsc":
        try:
            from drivers.sscard.pcsc import SocialSecurityCardReader
        except ImportError as exc:
            raise _Unavailable(f"the PC/SC backend is not available in this build ({exc})") from None
        return SocialSecurityCardReader(reader=args.port or settings.sscard_reader)
    raise _Unavailable(f"unknown ID card driver {driver!r}; choose one of {', '.join(DRIVERS)}")


def _print(result: CardRead, driver: str, *, unmasked: bool, as_json: bool) -> None:
    identity = result.identity
    fields: dict[str, Any] = identity.unmasked() if unmasked else identity.masked()
    fields["photo_bytes"] = len(identity.photo)
    fields["fingerprint_bytes"] = len(result.fingerprint)
    if as_json:
        print_json({"driver": driver, **fields})
        return
    fields["card_type"] = identity.card_type.label
    for key, value in fields.items():
        if value not in ("", None):
            print(f"{_LABELS.get(key, key)}：{value}")


# -- simulate ------------------------------------------------------------------------------------------------


def _simulate(args: argparse.Namespace, settings: Settings) -> int:
    import signal
    import threading

    from drivers.base import DeviceError
    from drivers.idcard.cards import DEFAULT_SAMPLE, load_card
    from drivers.idcard.simulator import SimulatedSam

    setup_logging(settings.log_dir, settings.log_level)
    faults = [name.strip() for name in args.faults.split(",") if name.strip()]
    unknown = [name for name in faults if name not in FAULTS]
    if unknown:
        return fail(f"unknown fault {', '.join(unknown)}; choose from {','.join(FAULTS)}", 2)
    try:
        card = load_card(args.card or DEFAULT_SAMPLE)
    except DeviceError as exc:
        return fail(str(exc), 2)
    baud = settings.idcard_baud if args.baud is None else args.baud
    stop = threading.Event()
    # Both signals end the loop below the same way (also when a shell started us with SIGINT ignored).
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    simulator = SimulatedSam(baud=baud, slow_delay=args.slow_delay)
    try:
        port = simulator.start()
        simulator.place(card)
        for fault in faults:
            simulator.inject(fault)
        print(port, flush=True)
        print(
            f"simulated SAM reader on {port} at {baud or 'unpaced'} baud, card {card!r}"
            + (f", faults {','.join(faults)}" if faults else "")
            + "; Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    except OSError as exc:
        return fail(f"cannot run the simulated reader: {exc}")
    finally:
        simulator.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
