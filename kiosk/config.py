"""Terminal settings, in rising precedence: defaults, a TOML file in the terminal's data directory, the settings
the center pushed (``ops/center-settings.json``, verified when it was written), environment variables
(``KIOSK_<NAME>``) and command-line flags (``--<name>``). Each value remembers where it came from
(:func:`setting_sources`), for the maintenance screen and ``kiosk settings show``."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

APP_NAME = "kiosk"
ENV_PREFIX = "KIOSK_"
CONFIG_FILE_NAME = "kiosk.toml"

Role = Literal["kiosk", "display", "counter", "rating"]
Orientation = Literal["portrait", "landscape"]
Language = Literal["zh_CN", "en"]
IdCardDriver = Literal["sam-serial", "sdtapi", "simulator", "none"]
SsCardDriver = Literal["pcsc", "none"]
A4PrinterBackend = Literal["pdf", "system", "none"]
TicketPrinterBackend = Literal["file", "usb", "serial", "network", "none"]
TicketTextMode = Literal["gb18030", "image"]
ScannerBackend = Literal["wedge", "serial", "none"]
CryptoSuite = Literal["standard", "guomi"]
HallAlgorithm = Literal["HMAC-SHA256", "HMAC-SM3"]
SupervisorReboot = Literal["system", "off"]
Origin = Literal["default", "file", "center", "environment", "command line"]

log = logging.getLogger(__name__)

# The center's layer, as the sync engine wrote it after verifying its signature (kiosk.ops.paths names the same
# file: OpsPaths.center_settings). Read here without kiosk.ops, which stands above this module.
CENTER_SETTINGS_FILE = Path("ops") / "center-settings.json"
CENTER_SETTINGS_MAX_BYTES = 256 * 1024
# What the center may never set, whatever its layer says: who the terminal is and whom it trusts (its id, its
# center, its signing suite, the hall it is enrolled with, the update root of trust and install folder), what it
# is (its role, its counter), where its data is, its PIN, and the vendor libraries it loads. A center (or whoever
# holds its key) must not be able to move a terminal to another center, lock its staff out or make it load code.
# The center's own list of what it may set (kiosk.protocol.ops.CENTER_SETTINGS) is checked when a layer arrives;
# it may set update_url (where updates are fetched from), never update_root (which signatures to trust).
CENTER_MAY_NOT_SET = frozenset(
    {
        "role",
        "counter_number",
        "rating_counter",
        "sdtapi_library",
        "wlt_library",
        "terminal_id",
        "center_url",
        "center_db",
        "center_key_file",
        "crypto_suite",
        "maintenance_pin_hash",
        "hall_url",
        "hall_terminal_id",
        "hall_algorithm",
        "update_root",
        "install_root",
        "data_dir",
        "config_path",
    }
)


class SettingsError(ValueError):
    """A setting with a value the terminal cannot use; the message names the setting and where it came from."""


@dataclass(frozen=True)
class Settings:
    """Every setting of a terminal. Field comments are the help texts."""

    terminal_id: str = field(default="UNSET-0000", metadata={"help": "terminal id issued by the center"})
    role: Role = field(
        default="kiosk", metadata={"help": "what this terminal is: kiosk, display, counter, rating"}
    )
    language: Language = field(default="zh_CN", metadata={"help": "default UI language: zh_CN or en"})
    elder_mode: bool = field(default=False, metadata={"help": "start screens in elder mode (长辈模式)"})
    orientation: Orientation = field(
        default="portrait", metadata={"help": "portrait (1080x1920) or landscape"}
    )
    fullscreen: bool = field(default=True, metadata={"help": "full-screen kiosk window"})
    idle_timeout_s: int = field(
        default=90, metadata={"help": "seconds without a touch before returning home"}
    )
    idle_warning_s: int = field(
        default=20, metadata={"help": "seconds of visible countdown before the reset"}
    )
    maintenance_pin_hash: str = field(default="", metadata={"help": "salted hash of the maintenance PIN"})
    session_end_after_removal_s: int = field(
        default=30,
        metadata={"help": "seconds after the card is taken away before the citizen's session ends"},
    )
    voice_prompts: bool = field(
        default=True, metadata={"help": "spoken prompts for the key steps (where a speech engine exists)"}
    )
    voice_engine: str = field(
        default="",
        metadata={"help": "Qt text-to-speech engine (e.g. speechd, sapi, winrt); empty: the first"},
    )
    stale_catalog_days: int = field(default=30, metadata={"help": "warn when the catalog is older than this"})
    log_level: str = field(default="INFO", metadata={"help": "log level: DEBUG, INFO, WARNING, ERROR"})
    install_root: str = field(
        default="",
        metadata={
            "help": "folder holding the program's versions side by side (versions/, state.json); "
            "empty: the folder above versions/ when the program runs from one"
        },
    )
    # Signed updates (docs/updates.md): without update_root (the first root of trust) updates are off.
    update_url: str = field(
        default="", metadata={"help": "base URL of the update repository (metadata/ and targets/ under it)"}
    )
    update_root: str = field(
        default="",
        metadata={
            "help": "the update repository's root metadata this terminal trusts first (shipped with it)"
        },
    )
    update_check_s: int = field(default=3600, metadata={"help": "seconds between checks for an update"})
    # The supervisor (kiosk supervise; docs/operations.md, "Supervisor").
    supervisor_hang_s: int = field(
        default=30, metadata={"help": "seconds without the program's local heartbeat before it is restarted"}
    )
    supervisor_reboot: SupervisorReboot = field(
        default="system",
        metadata={"help": "a restart of the machine asked for: system (do it) or off (log it only)"},
    )
    maintenance_window: str = field(
        default="03:00-05:00",
        metadata={
            "help": "local time HH:MM-HH:MM for the daily restart, database upkeep, log rotation and updates",
            "check": lambda text: time_window(text),
        },
    )
    opening_hours: str = field(
        default="08:30-17:30",
        metadata={
            "help": "local opening hours availability is measured against: HH:MM-HH:MM[,HH:MM-HH:MM], or rules "
            "like '1-5 08:30-17:30; 6 09:00-12:00' (1 is Monday); 00:00-24:00 for a 7x24 hall (docs/usage.md)",
            "check": lambda text: opening_hours(text),
        },
    )
    update_when_idle_s: int = field(
        default=600,
        metadata={"help": "apply a staged update outside the window after this many idle seconds (0: off)"},
    )
    update_health_s: int = field(
        default=300, metadata={"help": "seconds a new version has to pass its health check before it is kept"}
    )
    # The center (docs/protocol.md). The terminal's secret is never a setting: `kiosk enroll` keeps it apart.
    center_url: str = field(default="", metadata={"help": "the center's base URL (set by kiosk enroll)"})
    crypto_suite: CryptoSuite = field(
        default="standard",
        metadata={"help": "standard (HMAC-SHA256, AES-GCM) or guomi (国密: HMAC-SM3, SM4-GCM)"},
    )
    sync_interval_s: int = field(default=300, metadata={"help": "seconds between sync cycles while online"})
    sync_batch_size: int = field(default=200, metadata={"help": "outbox records sent per request (1-500)"})
    outbox_retention_days: int = field(
        default=0, metadata={"help": "days acknowledged outbox records are kept (0: deleted at once)"}
    )
    # The reference center (kiosk center ...) when --db and --key-file are not given (docs/center.md, "Database").
    center_db: str = field(
        default="",
        metadata={
            "help": "the center's database: a SQLite file or a postgresql:// URL (default <data dir>/center.db)"
        },
    )
    center_key_file: str = field(
        default="",
        metadata={
            "help": "the center's key file (default beside a SQLite database; required with PostgreSQL)"
        },
    )
    # The hall's queue service (docs/hall.md); its secret is kept apart too (`kiosk hall enroll`).
    hall_url: str = field(
        default="", metadata={"help": "the hall queue service's base URL (set by kiosk hall enroll)"}
    )
    hall_terminal_id: str = field(
        default="", metadata={"help": "this terminal's id at the hall queue service"}
    )
    hall_algorithm: HallAlgorithm = field(
        default="HMAC-SHA256", metadata={"help": "signing with the hall: HMAC-SHA256 or HMAC-SM3 (国密)"}
    )
    rating_counter: int = field(
        default=0,
        metadata={"help": "the rating pad (role rating): the number of the counter it faces; 0: not set"},
    )
    counter_number: int = field(
        default=0,
        metadata={
            "help": "the counter (role counter): the counter this PC stands at (sign-in shows it); 0: none"
        },
    )
    # Devices. Ports and targets left empty mean the platform's usual default (see docs/hardware.md).
    idcard_driver: IdCardDriver = field(
        default="sam-serial", metadata={"help": "ID card reader: sam-serial, sdtapi, simulator or none"}
    )
    idcard_port: str = field(
        default="", metadata={"help": "ID card reader serial port (e.g. /dev/ttyUSB0, COM3)"}
    )
    idcard_baud: int = field(default=115200, metadata={"help": "ID card reader baud rate"})
    sdtapi_library: str = field(default="", metadata={"help": "path of the vendor's sdtapi library"})
    sdtapi_port: int = field(default=1001, metadata={"help": "sdtapi port: 1-16 serial, 1001-1016 USB"})
    wlt_library: str = field(
        default="", metadata={"help": "path of the vendor's WLT photo decoder (optional)"}
    )
    sscard_driver: SsCardDriver = field(
        default="pcsc", metadata={"help": "social security card reader: pcsc or none"}
    )
    sscard_reader: str = field(
        default="", metadata={"help": "PC/SC reader to use (part of its name); empty: the first reader"}
    )
    a4_printer: A4PrinterBackend = field(
        default="pdf", metadata={"help": "A4 printer: pdf (files in the data directory), system or none"}
    )
    a4_printer_name: str = field(default="", metadata={"help": "system printer name; empty: the default"})
    ticket_printer: TicketPrinterBackend = field(
        default="file", metadata={"help": "ticket printer link: file, usb, serial, network or none"}
    )
    ticket_target: str = field(
        default="",
        metadata={"help": "ticket printer: file path, USB vid:pid, serial port or host:port"},
    )
    ticket_text_mode: TicketTextMode = field(
        default="gb18030", metadata={"help": "Chinese on tickets: gb18030 (printer font) or image"}
    )
    ticket_width_dots: int = field(default=576, metadata={"help": "ticket paper width in dots (576: 80 mm)"})
    scanner: ScannerBackend = field(
        default="wedge", metadata={"help": "code scanner: wedge (keyboard), serial or none"}
    )
    scanner_port: str = field(default="", metadata={"help": "serial code scanner port"})
    scanner_baud: int = field(default=9600, metadata={"help": "serial code scanner baud rate"})
    data_dir: Path = field(
        default_factory=lambda: default_data_dir(), metadata={"help": "terminal data directory"}
    )
    config_path: Path | None = field(default=None, metadata={"help": "settings file (TOML)"})
    # Where each value not left at its default came from (name -> origin, and a detail: the file, the variable,
    # the center's settings version); filled by load_settings.
    origins: Mapping[str, tuple[Origin, str]] = field(
        default_factory=dict, compare=False, repr=False, metadata={"help": ""}
    )

    @property
    def database_path(self) -> Path:
        return self.data_dir / "kiosk.db"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def config_file(self) -> Path:
        return self.config_path or self.data_dir / CONFIG_FILE_NAME

    @property
    def window_size(self) -> tuple[int, int]:
        return (1080, 1920) if self.orientation == "portrait" else (1920, 1080)


# Settings a file, variable or flag may set; paths are handled on their own, and origins are not a setting.
_PATH_FIELDS = {"data_dir", "config_path"}
_NOT_SETTINGS = _PATH_FIELDS | {"origins"}


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def setting_names() -> list[str]:
    return [f.name for f in fields(Settings) if f.name not in _NOT_SETTINGS]


def setting_help(name: str) -> str:
    return next(f.metadata.get("help", "") for f in fields(Settings) if f.name == name)


_type_hints: dict[str, Any] = {}


def _setting_type(name: str) -> Any:
    """The type of a setting (resolving the annotations of every field takes a while: done once)."""
    if not _type_hints:
        _type_hints.update(get_type_hints(Settings))
    return _type_hints[name]


def _coerce(name: str, value: Any, source: str) -> Any:
    hint = _setting_type(name)
    allowed = get_args(hint)
    try:
        if hint is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError("expected true or false")
        if hint is int:
            if isinstance(value, bool):
                raise ValueError("expected a whole number")
            number = int(value)
            if number < 0:
                raise ValueError("must not be negative")
            return number
        text = str(value)
        if allowed and text not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        check = next(f.metadata.get("check") for f in fields(Settings) if f.name == name)
        if check is not None:
            check(text)
        return text
    except ValueError as exc:
        raise SettingsError(f"setting '{name}' from {source}: {value!r} is not valid ({exc})") from None


_OPENING_RULE = re.compile(
    r"^\s*(?:[1-7](?:-[1-7])?(?:,[1-7](?:-[1-7])?)*\s+)?"
    r"\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})*\s*$"
)


def opening_hours(text: str) -> str:
    """The shape of ``opening_hours`` (the usage counter reads it in full: kiosk.protocol.usage.OpeningHours)."""
    rules = [rule for rule in text.split(";") if rule.strip()]
    if not rules or not all(_OPENING_RULE.match(rule) for rule in rules):
        raise ValueError(
            "expected e.g. 08:30-17:30, 08:30-12:00,14:00-17:30 or '1-5 08:30-17:30; 6 09:00-12:00'"
        )
    return text


def time_window(text: str) -> tuple[int, int]:
    """A daily window ``HH:MM-HH:MM`` (local time) as minutes after midnight; the end may be past midnight
    (``23:30-01:00``)."""
    try:
        start, end = (part.strip() for part in text.split("-"))
        bounds = []
        for part in (start, end):
            hours, minutes = part.split(":")
            if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and 1 <= len(hours) <= 2):
                raise ValueError
            if int(hours) > 23 or int(minutes) > 59:
                raise ValueError
            bounds.append(int(hours) * 60 + int(minutes))
    except ValueError:
        raise ValueError("expected HH:MM-HH:MM in local time, e.g. 03:00-05:00") from None
    if bounds[0] == bounds[1]:
        raise ValueError("the window's start and end are the same")
    return bounds[0], bounds[1]


def load_settings(
    *,
    data_dir: Path | str | None = None,
    config_path: Path | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Defaults < TOML file < the center's layer < ``KIOSK_*`` environment < explicit overrides (flags)."""
    env = os.environ if environ is None else environ
    root = Path(data_dir or env.get(f"{ENV_PREFIX}DATA_DIR") or default_data_dir()).expanduser()
    cfg_raw = config_path or env.get(f"{ENV_PREFIX}CONFIG")
    cfg = Path(cfg_raw).expanduser() if cfg_raw else None
    values: dict[str, Any] = {}
    origins: dict[str, tuple[Origin, str]] = {}

    file = cfg or root / CONFIG_FILE_NAME
    if file.exists():
        import tomllib

        try:
            from_file = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"settings file {file} is not valid TOML: {exc}") from None
        for name, value in from_file.items():
            if name not in setting_names():
                raise SettingsError(f"settings file {file}: unknown setting '{name}'")
            values[name] = _coerce(name, value, str(file))
            origins[name] = ("file", str(file))
    elif cfg is not None:
        raise SettingsError(f"settings file {cfg} does not exist")

    version, from_center = _center_layer(root)
    for name, value in from_center.items():
        values[name] = value
        origins[name] = ("center", f"version {version}")
    for name in setting_names():
        key = f"{ENV_PREFIX}{name.upper()}"
        if key in env:
            values[name] = _coerce(name, env[key], f"environment variable {key}")
            origins[name] = ("environment", key)
    for name, value in (overrides or {}).items():
        if value is not None:
            flag = f"--{name.replace('_', '-')}"
            values[name] = _coerce(name, value, f"flag {flag}")
            origins[name] = ("command line", flag)
    return Settings(data_dir=root, config_path=cfg, origins=origins, **values)


def center_settings_path(data_dir: Path) -> Path:
    return data_dir / CENTER_SETTINGS_FILE


def _center_layer(data_dir: Path) -> tuple[int, dict[str, Any]]:
    """The center's settings version and the values of it this terminal takes. Never stops the start: a file
    that cannot be read, a name the center may not set or this version does not know, a value that does not
    fit, each is left out with a log line (the file was verified when written; the disk may have changed it)."""
    path = center_settings_path(data_dir)
    try:
        with path.open("rb") as fh:
            data = fh.read(CENTER_SETTINGS_MAX_BYTES + 1)
    except FileNotFoundError:
        return 0, {}
    except OSError as exc:
        log.warning("the center's settings (%s) cannot be read, ignored: %s", path, exc)
        return 0, {}
    import json

    try:
        if len(data) > CENTER_SETTINGS_MAX_BYTES:
            raise ValueError(f"larger than {CENTER_SETTINGS_MAX_BYTES} bytes")
        document = json.loads(data.decode("utf-8"))
        version, raw = document["version"], document["values"]
        if not isinstance(version, int) or not isinstance(raw, dict):
            raise ValueError("version or values of the wrong type")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError) as exc:
        log.warning("the center's settings (%s) are damaged, ignored: %s", path, exc)
        return 0, {}
    taken: dict[str, Any] = {}
    known = setting_names()
    for name, value in raw.items():
        if name in CENTER_MAY_NOT_SET:
            log.warning(
                "the center's settings (version %d) set %s, which only this terminal sets: ignored",
                version,
                name,
            )
        elif name not in known:
            log.warning(
                "the center's settings (version %d) set %r, unknown to this version: ignored",
                version,
                name[:64],
            )
        else:
            try:
                taken[name] = _coerce(name, value, f"the center's settings version {version}")
            except SettingsError as exc:
                log.warning("%s: ignored", exc)
    return version, taken


@dataclass(frozen=True, slots=True)
class SettingSource:
    """One setting as the terminal runs with it: its value and where that came from (``where``: the file, the
    environment variable, the flag, the center's settings version; empty for a default)."""

    name: str
    value: Any
    origin: Origin
    where: str

    @property
    def shown(self) -> str:
        """The value as a screen or a console shows it (a PIN hash only as set or not)."""
        if self.name == "maintenance_pin_hash":
            return "(set)" if self.value else "(not set)"
        return str(self.value)


def settings_now(settings: Settings, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings as the next start would load them: the file and the center's layer read again (the center may
    have pushed a new one since), with the same flags this process was started with. For the maintenance screen,
    on a worker; raises ``SettingsError`` when the file became invalid."""
    flags = {
        name: getattr(settings, name)
        for name, (origin, _) in settings.origins.items()
        if origin == "command line"
    }
    return load_settings(
        data_dir=settings.data_dir, config_path=settings.config_path, overrides=flags, environ=environ
    )


def setting_sources(settings: Settings) -> list[SettingSource]:
    """Every setting with its value and origin, in the order of the settings' help."""
    found: list[SettingSource] = []
    for name in setting_names():
        origin, where = settings.origins.get(name, ("default", ""))
        found.append(SettingSource(name, getattr(settings, name), origin, where))
    return found


def save_setting(settings: Settings, name: str, value: Any) -> Settings:
    """Write one setting to the settings file (keeping the others) and return the new settings."""
    if name not in setting_names():
        raise SettingsError(f"unknown setting '{name}'")
    value = _coerce(name, value, "command line")
    path = settings.config_file
    current: dict[str, Any] = {}
    import tomllib

    if path.exists():
        current = tomllib.loads(path.read_text(encoding="utf-8"))
    current[name] = value
    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(current), encoding="utf-8")
    os.replace(tmp, path)
    origins = dict(settings.origins)
    if origins.get(name, ("default", ""))[0] in ("default", "file"):
        origins[name] = ("file", str(path))
        return replace(settings, origins=origins, **{name: value})
    return replace(settings, **{name: value})


# --- the maintenance PIN ----------------------------------------------------------------------------

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise SettingsError("the maintenance PIN must be 4 to 12 digits")
    import base64
    import hashlib
    import secrets

    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    b64 = base64.urlsafe_b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    import base64
    import hashlib
    import hmac

    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.urlsafe_b64decode(salt_b64)
        expected = base64.urlsafe_b64decode(digest_b64)
        digest = hashlib.scrypt(pin.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)
