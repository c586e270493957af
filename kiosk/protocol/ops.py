"""Operations on the wire (docs/protocol.md, "Operations"): what a heartbeat reports and what its answer asks.

The terminal reports crashes, updates and the results of commands in its heartbeat; the center answers with its
command key, the version the terminal should run, commands and pushed settings. Commands and settings are signed
by the center with Ed25519 over the canonical JSON (``kiosk.protocol.canonical``) of every field but the signature,
with a key the terminal pins when it enrols; the terminal runs a command only when its signature, key, terminal
and expiry check out (``open_command``) and never runs code or shell text from the center: commands are a closed
list of kinds with bounded arguments. The cryptography package has no SM2, so commands and settings are Ed25519
under both crypto suites (the 国密 suite changes request signing only).

Reports are bodies the center accepts (unknown fields refused). The answer's parts are read leniently where a newer
center may add something: a command of a kind this terminal does not know, or with arguments that do not fit,
still parses as a ``SignedCommand`` so that the terminal can refuse it by its id and report why.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from kiosk.protocol.canonical import canonical_json
from kiosk.protocol.fields import TEXT_PATTERN, JsonInt, NonNegativeInt, Timestamp, json_integer
from kiosk.protocol.strict_json import MAX_SAFE_INTEGER

# --- limits ---------------------------------------------------------------------------------------------------

MAX_CRASHES: Final = 16
MAX_UPDATES: Final = 16
MAX_COMMAND_RESULTS: Final = 32
MAX_COMMANDS: Final = 16  # in one heartbeat answer, oldest first
LOG_TAIL_MAX: Final = 4000
REASON_MAX: Final = 500
DETAIL_MAX: Final = 500
ARGS_MAX_BYTES: Final = 16 * 1024  # a command's arguments as canonical JSON (a notice escaped is under it)
MAX_SETTINGS: Final = 64
SETTING_TEXT_MAX: Final = 1000
UPLOAD_MAX_BYTES: Final = 8 * 1024 * 1024
UPLOAD_TYPES: Final = {"screenshot": "image/png", "upload_logs": "text/plain; charset=utf-8"}
UPLOADS_PREFIX: Final = "/api/v1/uploads/"  # + the command's id

CRASH_KINDS: Final = ("crashed", "hung", "crash_loop")
UPDATE_OUTCOMES: Final = ("staged", "committed", "rolled_back", "refused")
COMMAND_OUTCOMES: Final = ("done", "refused", "failed", "expired")
COMMAND_KINDS: Final = (
    "restart_program",
    "restart_machine",
    "sync_now",
    "reload_content",
    "upload_logs",
    "screenshot",
    "notice",
    "out_of_service",
    "back_in_service",
)

# What the center may set on a terminal (a layer of the terminal's settings chain: defaults < file < center <
# environment < command line). Kept here because the center does not import the terminal's kiosk.config. Left
# out on purpose: who the terminal is and whom it trusts (terminal_id, center_url, crypto_suite, hall_url,
# hall_terminal_id, hall_algorithm, update_root, maintenance_pin_hash), where its files are (data_dir,
# config_path, install_root), what it is (role, counter_number, rating_counter), whether it may restart the
# machine (supervisor_reboot), its devices' wiring and, above all, the vendor libraries it loads (sdtapi_library,
# wlt_library): a center must never make a terminal load code.
CENTER_SETTINGS: Final = frozenset(
    {
        "language",
        "elder_mode",
        "orientation",
        "fullscreen",
        "idle_timeout_s",
        "idle_warning_s",
        "session_end_after_removal_s",
        "voice_prompts",
        "voice_engine",
        "stale_catalog_days",
        "log_level",
        "sync_interval_s",
        "sync_batch_size",
        "outbox_retention_days",
        "ticket_text_mode",
        "ticket_width_dots",
        "maintenance_window",
        "opening_hours",
        "update_url",
        "update_check_s",
        "update_when_idle_s",
        "update_health_s",
        "supervisor_hang_s",
    }
)

# --- field types ----------------------------------------------------------------------------------------------

_HEX32 = r"^[0-9a-f]{32}$"
_KEY_ID = r"^[0-9a-f]{16}$"
# A version names a folder beside the running one (versions/<v>): letters, digits and . + _ - only.
VERSION_PATTERN: Final = r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$"
_ISO_AWARE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})\Z")


def _signed_time(value: str) -> str:
    # A signed time stays the text it was signed as (re-serialising a datetime could change its spelling and so
    # the signed bytes); it must still be a real date-time with an offset.
    if not _ISO_AWARE.match(value):
        raise ValueError("must be an ISO-8601 date-time with an offset, e.g. 2026-11-22T08:30:00+08:00")
    try:
        datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"not a date-time: {exc}") from None
    return value


def _base64_of(size: int) -> Any:
    def check(value: str) -> str:
        try:
            raw = base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise ValueError("must be base64") from None
        if len(raw) != size:
            raise ValueError(f"must be {size} bytes in base64")
        return value

    return AfterValidator(check)


Version = Annotated[StrictStr, Field(pattern=VERSION_PATTERN)]
ReportId = Annotated[StrictStr, Field(pattern=r"^[0-9A-Za-z_-]{1,64}$")]
CommandId = Annotated[StrictStr, Field(pattern=_HEX32)]
KeyId = Annotated[StrictStr, Field(pattern=_KEY_ID)]
TerminalId = Annotated[StrictStr, Field(pattern=TEXT_PATTERN, min_length=1, max_length=64)]
SignedTime = Annotated[StrictStr, Field(max_length=40), AfterValidator(_signed_time)]
Signature = Annotated[StrictStr, _base64_of(64)]
PublicKey = Annotated[StrictStr, _base64_of(32)]


def _text(max_length: int, min_length: int = 0) -> Any:
    return Field(pattern=TEXT_PATTERN, min_length=min_length, max_length=max_length)


class _Accepted(BaseModel):
    """A body the center accepts: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class _Answer(BaseModel):
    """A body the terminal reads: unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)


class _Signed(BaseModel):
    """A signed body: unknown fields are kept, since the signature covers every field the center sent."""

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    def signed_bytes(self) -> bytes:
        """The bytes the signature covers: the canonical JSON of every field but ``signature``."""
        fields = self.model_dump(mode="json")
        fields.pop("signature", None)
        return canonical_json(fields)


# --- what the heartbeat reports -------------------------------------------------------------------------------


class CrashReport(_Accepted):
    """The supervisor saw the role crash, hang (no local heartbeat for 30 s) or crash three times in ten minutes."""

    id: ReportId
    at: Timestamp
    version: Annotated[StrictStr, _text(64, 1)]
    role: Annotated[StrictStr, _text(64, 1)]
    what: Literal["crashed", "hung", "crash_loop"]
    exit_code: JsonInt | None = None
    log_tail: Annotated[StrictStr, _text(LOG_TAIL_MAX)] = ""  # scrubbed of personal data by the terminal


class UpdateReport(_Accepted):
    """What became of an update: staged (verified, waiting), committed, rolled back, or refused (and why)."""

    id: ReportId
    at: Timestamp
    version: Annotated[StrictStr, _text(64, 1)]
    from_version: Annotated[StrictStr, _text(64)] = ""
    outcome: Literal["staged", "committed", "rolled_back", "refused"]
    reason: Annotated[StrictStr, _text(REASON_MAX)] = ""


class CommandResult(_Accepted):
    """How a command ended on the terminal; the center closes the command with the first result it gets."""

    id: ReportId
    command_id: CommandId
    at: Timestamp
    outcome: Literal["done", "refused", "failed", "expired"]
    detail: Annotated[StrictStr, _text(DETAIL_MAX)] = ""


class InstallInfo(_Accepted):
    """The versions side by side on the terminal (kiosk.ops.layout's InstallState, without the failures)."""

    current: Annotated[StrictStr, _text(64, 1)]
    previous: Annotated[StrictStr, _text(64)] | None = None
    staged: Annotated[StrictStr, _text(64)] | None = None
    trying: Annotated[StrictStr, _text(64)] | None = None


class UploadAnswer(_Answer):
    """The center's answer to an upload: what it kept."""

    command_id: CommandId
    size: NonNegativeInt
    sha256: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]


# --- the center's command key ---------------------------------------------------------------------------------


def key_id_of(public_key: bytes) -> str:
    """A key's id: the first 16 hex digits of the SHA-256 of its raw 32-byte public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def raw_public_key(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


class CommandKey(_Answer):
    """The center's Ed25519 public key for commands and settings (raw, base64) and its id."""

    key_id: KeyId
    public_key: PublicKey

    @model_validator(mode="after")
    def _id_fits_key(self) -> CommandKey:
        if key_id_of(self.raw) != self.key_id:
            raise ValueError("key_id is not the id of public_key (first 16 hex of its SHA-256)")
        return self

    @property
    def raw(self) -> bytes:
        return base64.b64decode(self.public_key)

    @classmethod
    def of(cls, private_key: Ed25519PrivateKey) -> CommandKey:
        raw = raw_public_key(private_key)
        return cls(key_id=key_id_of(raw), public_key=base64.b64encode(raw).decode("ascii"))

    def verifies(self, signed: _Signed, signature: str) -> bool:
        """Whether ``signature`` (base64) is this key's over ``signed``'s bytes."""
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(
                base64.b64decode(signature), signed.signed_bytes()
            )
        except (InvalidSignature, ValueError):
            return False
        return True


def _signature(private_key: Ed25519PrivateKey, signed: _Signed) -> str:
    return base64.b64encode(private_key.sign(signed.signed_bytes())).decode("ascii")


# --- commands -------------------------------------------------------------------------------------------------


class NoArgs(_Accepted):
    """Arguments of a command that takes none: ``{}``."""


class UploadLogsArgs(_Accepted):
    """``upload_logs``: the last ``hours`` of the terminal's logs (masked data only)."""

    hours: Annotated[StrictInt, Field(ge=1, le=72)]

    @field_validator("hours", mode="before")
    @classmethod
    def _integer(cls, value: Any) -> Any:
        return json_integer(value)


class NoticeArgs(_Accepted):
    """``notice``: shown on the citizen and display screens for ``hours``."""

    title: Annotated[StrictStr, _text(200, 1)]
    body: Annotated[StrictStr, _text(2000)] = ""
    level: Literal["info", "warning"] = "info"
    hours: Annotated[StrictInt, Field(ge=1, le=720)] = 24

    @field_validator("hours", mode="before")
    @classmethod
    def _integer(cls, value: Any) -> Any:
        return json_integer(value)


class OutOfServiceArgs(_Accepted):
    """``out_of_service``: the 暂停服务 screen, with the center's message under it."""

    message: Annotated[StrictStr, _text(500)] = ""


CommandArgs = NoArgs | UploadLogsArgs | NoticeArgs | OutOfServiceArgs
ARGS_OF_KIND: Final[dict[str, type[CommandArgs]]] = {
    "restart_program": NoArgs,
    "restart_machine": NoArgs,
    "sync_now": NoArgs,
    "reload_content": NoArgs,
    "upload_logs": UploadLogsArgs,
    "screenshot": NoArgs,
    "notice": NoticeArgs,
    "out_of_service": OutOfServiceArgs,
    "back_in_service": NoArgs,
}


def command_args(kind: str, args: dict[str, Any]) -> CommandArgs:
    """A kind's arguments checked: ``ValueError`` naming the problem for an unknown kind or arguments that do not
    fit (unknown names, wrong types, out of range, too long)."""
    model = ARGS_OF_KIND.get(kind)
    if model is None:
        raise ValueError(f"unknown command kind {kind!r}")
    try:
        return model.model_validate(args)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error.get("loc", ()))
        raise ValueError(
            f"args.{where}: {error.get('msg', 'invalid')}" if where else "args: invalid"
        ) from None


class SignedCommand(_Signed):
    """One command for one terminal, as the heartbeat answer carries it. ``kind`` and ``args`` are checked when the
    command is opened (``open_command``), not when the answer is read, so that one the terminal cannot run is
    refused by its id instead of spoiling the whole answer."""

    id: CommandId
    terminal_id: TerminalId
    kind: Annotated[StrictStr, _text(64, 1)]
    args: dict[str, Any] = {}
    issued_at: SignedTime
    expires_at: SignedTime
    key_id: KeyId
    signature: Signature

    @field_validator("args")
    @classmethod
    def _args_bounded(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(canonical_json(value)) > ARGS_MAX_BYTES:
            raise ValueError(f"args are larger than {ARGS_MAX_BYTES} bytes")
        return value

    @property
    def expires(self) -> datetime:
        return datetime.fromisoformat(self.expires_at)

    @classmethod
    def sign(
        cls,
        private_key: Ed25519PrivateKey,
        *,
        id: str,
        terminal_id: str,
        kind: str,
        args: dict[str, Any],
        issued_at: str,
        expires_at: str,
    ) -> SignedCommand:
        """The center's side: a command of a known kind with checked arguments, signed. ``ValueError`` otherwise."""
        checked = command_args(kind, args).model_dump(mode="json")
        fields = {
            "id": id,
            "terminal_id": terminal_id,
            "kind": kind,
            "args": checked,
            "issued_at": issued_at,
            "expires_at": expires_at,
            "key_id": CommandKey.of(private_key).key_id,
        }
        unsigned = cls.model_validate({**fields, "signature": base64.b64encode(bytes(64)).decode("ascii")})
        return cls.model_validate({**fields, "signature": _signature(private_key, unsigned)})


class CommandRefused(ValueError):
    """Why a command is not run; ``outcome`` is what the terminal reports: "refused" or "expired"."""

    def __init__(self, reason: str, outcome: Literal["refused", "expired"] = "refused") -> None:
        super().__init__(reason)
        self.reason = reason
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class Command:
    """A command that checked out: the terminal may run it (once: it remembers ``id``)."""

    id: str
    kind: str
    args: CommandArgs
    expires_at: datetime


def open_command(command: SignedCommand, key: CommandKey, terminal_id: str, now: datetime) -> Command:
    """The terminal's side: a command checked against the pinned key, this terminal and the clock.

    ``CommandRefused`` when it was signed by another key, its signature does not verify (forged or changed on the
    way), it is for another terminal, its kind is unknown or its arguments do not fit (outcome "refused"), or it
    has expired (outcome "expired"). Running it once is the caller's business (it remembers the ids it ran).
    """
    if command.key_id != key.key_id:
        raise CommandRefused(f"signed by key {command.key_id}, not the pinned key {key.key_id}")
    if not key.verifies(command, command.signature):
        raise CommandRefused("the signature does not verify")
    if command.terminal_id != terminal_id:
        raise CommandRefused(f"for terminal {command.terminal_id!r}, not this one")
    try:
        args = command_args(command.kind, command.args)
    except ValueError as exc:
        raise CommandRefused(str(exc)) from None
    if now >= command.expires:
        raise CommandRefused(f"expired at {command.expires_at}", outcome="expired")
    return Command(id=command.id, kind=command.kind, args=args, expires_at=command.expires)


# --- settings -------------------------------------------------------------------------------------------------


def _only_float(value: Any) -> Any:
    if not isinstance(value, float):
        raise ValueError("not a float")  # an integer is the integer branch's, whatever its size
    return value


# A value keeps its JSON type exactly (2.0 stays a float, 2 an integer): the signature covers its canonical text.
SettingValue = (
    StrictBool
    | Annotated[StrictInt, Field(ge=-MAX_SAFE_INTEGER, le=MAX_SAFE_INTEGER)]
    | Annotated[StrictFloat, BeforeValidator(_only_float)]
    | Annotated[StrictStr, _text(SETTING_TEXT_MAX)]
)


class SignedSettings(_Signed):
    """The center's layer of a terminal's settings: every value it sets now (a name left out is not set by the
    center any more), with a version that rises each time the layer changes."""

    terminal_id: TerminalId
    version: Annotated[NonNegativeInt, Field(ge=1)]
    values: Annotated[dict[Annotated[StrictStr, _text(64, 1)], SettingValue], Field(max_length=MAX_SETTINGS)]
    issued_at: SignedTime
    key_id: KeyId
    signature: Signature

    @classmethod
    def sign(
        cls,
        private_key: Ed25519PrivateKey,
        *,
        terminal_id: str,
        version: int,
        values: dict[str, Any],
        issued_at: str,
    ) -> SignedSettings:
        """The center's side: the layer signed. ``ValueError`` for a name the center may not set."""
        refused = sorted(set(values) - CENTER_SETTINGS)
        if refused:
            raise ValueError(f"the center may not set {', '.join(refused)}")
        fields = {
            "terminal_id": terminal_id,
            "version": version,
            "values": values,
            "issued_at": issued_at,
            "key_id": CommandKey.of(private_key).key_id,
        }
        unsigned = cls.model_validate({**fields, "signature": base64.b64encode(bytes(64)).decode("ascii")})
        return cls.model_validate({**fields, "signature": _signature(private_key, unsigned)})


class SettingsRefused(ValueError):
    """Why a pushed settings layer is not applied."""


def open_settings(settings: SignedSettings, key: CommandKey, terminal_id: str) -> dict[str, Any]:
    """The terminal's side: the layer's values once its key, signature and terminal check out and every name is
    one the center may set (``SettingsRefused`` otherwise; the whole layer, never part of it)."""
    if settings.key_id != key.key_id:
        raise SettingsRefused(f"signed by key {settings.key_id}, not the pinned key {key.key_id}")
    if not key.verifies(settings, settings.signature):
        raise SettingsRefused("the signature does not verify")
    if settings.terminal_id != terminal_id:
        raise SettingsRefused(f"for terminal {settings.terminal_id!r}, not this one")
    refused = sorted(set(settings.values) - CENTER_SETTINGS)
    if refused:
        raise SettingsRefused(f"the center may not set {', '.join(refused)}")
    return dict(settings.values)
