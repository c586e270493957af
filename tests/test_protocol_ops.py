"""The operations wire format: what heartbeats report, and the center's signed commands and settings.

A command the terminal runs must be exactly what the center signed, for this terminal, with the key pinned at
enrolment, of a known kind with arguments in bounds, and not expired; everything else is refused by its id.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from kiosk.protocol import Heartbeat, HeartbeatAnswer
from kiosk.protocol.limits import ANSWER_LIMITS
from kiosk.protocol.ops import (
    CENTER_SETTINGS,
    MAX_COMMANDS,
    CommandKey,
    CommandRefused,
    NoticeArgs,
    SettingsRefused,
    SignedCommand,
    SignedSettings,
    UploadLogsArgs,
    key_id_of,
    open_command,
    open_settings,
    raw_public_key,
)
from kiosk.protocol.strict_json import loads

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
TERMINAL = "GD-440111-0001"


@pytest.fixture(scope="module")
def center_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def command(key: Ed25519PrivateKey, kind: str = "sync_now", args: dict[str, Any] | None = None, **over: Any):
    fields: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "terminal_id": TERMINAL,
        "kind": kind,
        "args": args or {},
        "issued_at": "2026-12-06T09:00:00+00:00",
        "expires_at": "2026-12-07T09:00:00+00:00",
    }
    fields.update(over)
    return SignedCommand.sign(key, **fields)


def over_the_wire(answer: dict[str, Any]) -> HeartbeatAnswer:
    """As the terminal reads it: JSON text through the strict parser, then the model."""
    text = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    return HeartbeatAnswer.model_validate(loads(text, max_depth=ANSWER_LIMITS["heartbeat"].max_depth))


def tampered(signed: SignedCommand, **changes: Any) -> SignedCommand:
    return SignedCommand.model_validate({**signed.model_dump(mode="json"), **changes})


def test_a_signed_command_opens_after_travelling_in_a_heartbeat_answer(center_key: Ed25519PrivateKey) -> None:
    key = CommandKey.of(center_key)
    sent = command(center_key, "notice", {"title": "停电通知", "body": "明天 9:00–12:00 停电", "hours": 6})
    answer = over_the_wire(
        {
            "server_time": NOW.isoformat(),
            "command_key": key.model_dump(mode="json"),
            "commands": [sent.model_dump(mode="json")],
        }
    )
    assert answer.command_key == key
    opened = open_command(answer.commands[0], answer.command_key, TERMINAL, NOW)
    assert opened.id == sent.id
    assert opened.args == NoticeArgs(title="停电通知", body="明天 9:00–12:00 停电", level="info", hours=6)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "restart_machine"},
        {"args": {"hours": 72}},
        {"terminal_id": "GD-440111-0002"},
        {"expires_at": "2027-12-07T09:00:00+00:00"},
        {"issued_at": "2026-12-06T09:00:00Z"},  # the same moment spelt otherwise: still not what was signed
        {"id": uuid.uuid4().hex},
        {"added_by_a_newer_center": 1},  # unknown fields are kept and covered by the signature
    ],
)
def test_a_change_to_any_signed_field_is_refused(
    center_key: Ed25519PrivateKey, changes: dict[str, Any]
) -> None:
    sent = command(center_key, "upload_logs", {"hours": 2})
    with pytest.raises(CommandRefused, match="signature") as refused:
        open_command(tampered(sent, **changes), CommandKey.of(center_key), TERMINAL, NOW)
    assert refused.value.outcome == "refused"


def test_a_field_added_by_a_newer_center_is_signed_and_kept(center_key: Ed25519PrivateKey) -> None:
    fields = command(center_key).model_dump(mode="json")
    fields["priority"] = "high"
    fields.pop("signature")
    unsigned = SignedCommand.model_validate({**fields, "signature": base64.b64encode(bytes(64)).decode()})
    signature = base64.b64encode(center_key.sign(unsigned.signed_bytes())).decode()
    answer = over_the_wire({"server_time": NOW.isoformat(), "commands": [{**fields, "signature": signature}]})
    assert open_command(answer.commands[0], CommandKey.of(center_key), TERMINAL, NOW).kind == "sync_now"


def test_a_command_signed_by_another_key_is_refused(center_key: Ed25519PrivateKey) -> None:
    pinned = CommandKey.of(center_key)
    other = Ed25519PrivateKey.generate()
    with pytest.raises(CommandRefused, match="not the pinned key"):
        open_command(command(other), pinned, TERMINAL, NOW)
    # A forger who names the pinned key's id still cannot make its signature.
    forged = tampered(command(other), key_id=pinned.key_id)
    with pytest.raises(CommandRefused, match="signature"):
        open_command(forged, pinned, TERMINAL, NOW)


def test_a_command_for_another_terminal_is_refused(center_key: Ed25519PrivateKey) -> None:
    with pytest.raises(CommandRefused, match="not this one"):
        open_command(command(center_key), CommandKey.of(center_key), "GD-440111-0009", NOW)


def test_an_expired_command_is_reported_as_expired(center_key: Ed25519PrivateKey) -> None:
    sent = command(center_key, expires_at="2026-12-06T09:30:00+00:00")
    with pytest.raises(CommandRefused) as refused:
        open_command(sent, CommandKey.of(center_key), TERMINAL, NOW)
    assert refused.value.outcome == "expired"


def test_the_center_cannot_sign_an_unknown_kind_or_arguments_out_of_bounds(
    center_key: Ed25519PrivateKey,
) -> None:
    with pytest.raises(ValueError, match="unknown command kind"):
        command(center_key, "run_shell", {"line": "rm -rf /"})
    for kind, args in [
        ("upload_logs", {"hours": 73}),
        ("upload_logs", {"hours": 0}),
        ("upload_logs", {"hours": "2"}),
        ("upload_logs", {}),
        ("notice", {"title": "x" * 201}),
        ("notice", {"title": "通知", "level": "urgent"}),
        ("out_of_service", {"message": "x" * 501}),
        ("restart_program", {"delay": 5}),
    ]:
        with pytest.raises(ValueError, match="args"):
            command(center_key, kind, args)
    assert UploadLogsArgs.model_validate({"hours": 2.0}).hours == 2  # JSON's whole float is an integer


def test_a_command_the_terminal_cannot_run_is_refused_by_its_id_not_the_whole_answer(
    center_key: Ed25519PrivateKey,
) -> None:
    """A newer center's kind, or arguments that do not fit, parse; opening the command refuses it by its id."""
    key = CommandKey.of(center_key)
    good = command(center_key)
    for kind, args in [
        ("format_disk", {}),
        ("upload_logs", {"hours": 500}),
        ("screenshot", {"region": "all"}),
    ]:
        fields = {**good.model_dump(mode="json"), "kind": kind, "args": args, "id": uuid.uuid4().hex}
        fields.pop("signature")
        unsigned = SignedCommand.model_validate({**fields, "signature": base64.b64encode(bytes(64)).decode()})
        signed = {**fields, "signature": base64.b64encode(center_key.sign(unsigned.signed_bytes())).decode()}
        answer = over_the_wire(
            {"server_time": NOW.isoformat(), "commands": [signed, good.model_dump(mode="json")]}
        )
        with pytest.raises(CommandRefused, match=r"unknown command kind|args") as refused:
            open_command(answer.commands[0], key, TERMINAL, NOW)
        assert refused.value.outcome == "refused"
        assert open_command(answer.commands[1], key, TERMINAL, NOW).id == good.id


def test_oversized_or_malformed_commands_spoil_the_answer(center_key: Ed25519PrivateKey) -> None:
    good = command(center_key).model_dump(mode="json")
    for bad in [
        {**good, "args": {"x": "y" * 17000}},
        {**good, "id": "not-a-uuid"},
        {**good, "signature": "c2hvcnQ="},
        {**good, "expires_at": "tomorrow"},
        {**good, "expires_at": "2026-12-07T09:00:00"},  # no offset
    ]:
        with pytest.raises(ValidationError):
            over_the_wire({"server_time": NOW.isoformat(), "commands": [bad]})
    with pytest.raises(ValidationError):
        over_the_wire({"server_time": NOW.isoformat(), "commands": [good] * (MAX_COMMANDS + 1)})


def test_a_command_key_must_carry_its_own_id() -> None:
    raw = raw_public_key(Ed25519PrivateKey.generate())
    fields = {"key_id": key_id_of(raw), "public_key": base64.b64encode(raw).decode()}
    assert CommandKey.model_validate(fields).raw == raw
    with pytest.raises(ValidationError, match="key_id"):
        CommandKey.model_validate({**fields, "key_id": "0" * 16})


def test_settings_are_signed_and_limited_to_what_the_center_may_set(center_key: Ed25519PrivateKey) -> None:
    key = CommandKey.of(center_key)
    values = {"idle_timeout_s": 120, "elder_mode": True, "log_level": "DEBUG"}
    layer = SignedSettings.sign(
        center_key, terminal_id=TERMINAL, version=3, values=values, issued_at="2026-12-06T09:00:00+00:00"
    )
    answer = over_the_wire({"server_time": NOW.isoformat(), "settings": layer.model_dump(mode="json")})
    assert answer.settings is not None
    assert open_settings(answer.settings, key, TERMINAL) == values

    changed = SignedSettings.model_validate(
        {**layer.model_dump(mode="json"), "values": {"idle_timeout_s": 5}}
    )
    with pytest.raises(SettingsRefused, match="signature"):
        open_settings(changed, key, TERMINAL)
    with pytest.raises(SettingsRefused, match="not this one"):
        open_settings(layer, key, "GD-440111-0002")
    for name in ("terminal_id", "center_url", "data_dir", "maintenance_pin_hash", "sdtapi_library", "role"):
        assert name not in CENTER_SETTINGS
        with pytest.raises(ValueError, match="may not set"):
            SignedSettings.sign(
                center_key, terminal_id=TERMINAL, version=4, values={name: "x"}, issued_at=layer.issued_at
            )


def test_a_settings_layer_naming_a_forbidden_setting_is_refused_whole(center_key: Ed25519PrivateKey) -> None:
    fields = {
        "terminal_id": TERMINAL,
        "version": 5,
        "values": {"idle_timeout_s": 60, "center_url": "https://attacker.example"},
        "issued_at": "2026-12-06T09:00:00+00:00",
        "key_id": CommandKey.of(center_key).key_id,
    }
    unsigned = SignedSettings.model_validate({**fields, "signature": base64.b64encode(bytes(64)).decode()})
    signed = SignedSettings.model_validate(
        {**fields, "signature": base64.b64encode(center_key.sign(unsigned.signed_bytes())).decode()}
    )
    with pytest.raises(SettingsRefused, match="center_url"):
        open_settings(signed, CommandKey.of(center_key), TERMINAL)


def test_setting_values_are_plain_values() -> None:
    base = {
        "terminal_id": TERMINAL,
        "version": 1,
        "issued_at": "2026-12-06T09:00:00+00:00",
        "key_id": "0" * 16,
        "signature": base64.b64encode(bytes(64)).decode(),
    }
    for values in [
        {"language": ["zh_CN"]},
        {"language": {"a": 1}},
        {"language": "x" * 1001},
        {"language": None},
        {"idle_timeout_s": 2**53},  # more than every JSON reader takes exactly
    ]:
        with pytest.raises(ValidationError):
            SignedSettings.model_validate({**base, "values": values})


def test_a_setting_keeps_its_json_type_through_the_signature(center_key: Ed25519PrivateKey) -> None:
    values = {"idle_timeout_s": 120, "sync_interval_s": 300.0, "elder_mode": False, "language": "en"}
    layer = SignedSettings.sign(
        center_key, terminal_id=TERMINAL, version=1, values=values, issued_at="2026-12-06T09:00:00+00:00"
    )
    answer = over_the_wire({"server_time": NOW.isoformat(), "settings": layer.model_dump(mode="json")})
    assert answer.settings is not None
    opened = open_settings(answer.settings, CommandKey.of(center_key), TERMINAL)
    assert opened == values and type(opened["sync_interval_s"]) is float


def test_older_terminals_and_centers_still_understand_each_other() -> None:
    beat = Heartbeat.model_validate({"version": "1.3.0", "role": "kiosk"})
    assert beat.crashes == [] and beat.install is None and beat.settings_version == 0
    answer = over_the_wire({"server_time": NOW.isoformat()})
    assert answer.commands == [] and answer.settings is None and answer.target_version is None


def test_heartbeat_reports_are_bounded_and_strict() -> None:
    crash = {
        "id": "r1",
        "at": NOW.isoformat(),
        "version": "1.4.0",
        "role": "kiosk",
        "what": "crashed",
        "exit_code": -9,
        "log_tail": "Traceback ...",
    }
    update = {
        "id": "r2",
        "at": NOW.isoformat(),
        "version": "1.4.0",
        "from_version": "1.3.0",
        "outcome": "committed",
    }
    result = {"id": "r3", "command_id": uuid.uuid4().hex, "at": NOW.isoformat(), "outcome": "done"}
    beat = Heartbeat.model_validate(
        {
            "version": "1.4.0",
            "role": "kiosk",
            "crashes": [crash],
            "updates": [update],
            "command_results": [result],
            "install": {"current": "1.4.0", "previous": "1.3.0"},
            "out_of_service": False,
            "session_open": True,
            "settings_version": 3,
            "command_key_id": "0123456789abcdef",
        }
    )
    assert beat.crashes[0].exit_code == -9 and beat.install is not None and beat.install.staged is None
    for bad in [
        {"crashes": [crash] * 17},
        {"crashes": [{**crash, "log_tail": "x" * 4001}]},
        {"crashes": [{**crash, "what": "exploded"}]},
        {"updates": [{**update, "outcome": "maybe"}]},
        {"updates": [{**update, "reason": "x" * 501}]},
        {"command_results": [result] * 33},
        {"command_results": [{**result, "detail": "x" * 501}]},
        {"command_results": [{**result, "command_id": "42"}]},
        {"install": {"current": "1.4.0", "extra": 1}},
        {"settings_version": -1},
        {"session_open": "yes"},
        {"command_key_id": "xyz"},
    ]:
        with pytest.raises(ValidationError):
            Heartbeat.model_validate({"version": "1.4.0", "role": "kiosk", **bad})


def test_a_target_version_names_a_folder_and_nothing_else() -> None:
    assert (
        over_the_wire({"server_time": NOW.isoformat(), "target_version": "1.4.0"}).target_version == "1.4.0"
    )
    for bad in ["../../etc", "1.4.0/..", "", ".hidden", "a b"]:
        with pytest.raises(ValidationError):
            over_the_wire({"server_time": NOW.isoformat(), "target_version": bad})


def test_expiry_is_compared_as_a_moment(center_key: Ed25519PrivateKey) -> None:
    sent = command(center_key, expires_at="2026-12-06T18:30:00+08:00")  # 10:30 UTC
    key = CommandKey.of(center_key)
    assert open_command(sent, key, TERMINAL, NOW + timedelta(minutes=29)).id == sent.id
    with pytest.raises(CommandRefused):
        open_command(sent, key, TERMINAL, NOW + timedelta(minutes=30))
