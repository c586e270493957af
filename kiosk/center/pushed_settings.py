"""Settings the center pushes (docs/center.md, "Settings"): a layer of each terminal's settings chain (defaults <
file < center < environment < command line), limited to the names in ``kiosk.protocol.ops.CENTER_SETTINGS``.

An operator sets values for every terminal, a group, or one terminal; a terminal's layer is the three merged (one
terminal's value over its group's over everyone's). Each terminal's layer has a version that rises whenever its
content changes (computed when it is next asked for, so a terminal moved to another group gets a new version too);
the heartbeat answer carries the signed layer when the terminal's ``settings_version`` is older. A layer that
becomes empty is still sent once (version up, no values): the terminal then drops the center's values.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import TypeAdapter, ValidationError

from kiosk.center.fleet import group_of
from kiosk.center.store import Store, now_iso
from kiosk.protocol import canonical_json, record_fingerprint
from kiosk.protocol.ops import CENTER_SETTINGS, SETTING_TEXT_MAX, SettingValue, SignedSettings

EVERYONE: Final = "all"
_SETTING_VALUE: Final[TypeAdapter[bool | int | float | str]] = TypeAdapter(SettingValue)


class SettingsError(ValueError):
    """A setting the center may not push, or a value it cannot carry."""


def scope_of(*, terminal: str | None = None, group: str | None = None, everyone: bool = False) -> str:
    if sum((terminal is not None, group is not None, everyone)) != 1:
        raise SettingsError("choose one of --terminal ID, --group NAME or --all")
    if terminal is not None:
        return f"terminal:{terminal}"
    if group is not None:
        return f"group:{group}"
    return EVERYONE


def parse_value(text: str) -> bool | int | float | str:
    """A value as typed: ``true``/``false``, a number, or text (quote a number to send it as text: ``'"120"'``)."""
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingsError(f"not a finite number: {text}")
    if not isinstance(value, bool | int | float | str):
        raise SettingsError("a setting's value is true, false, a number or text")
    if isinstance(value, str) and len(value) > SETTING_TEXT_MAX:
        raise SettingsError(f"a setting's text is at most {SETTING_TEXT_MAX} characters")
    try:
        return _SETTING_VALUE.validate_python(value)  # as the signed layer will check it
    except ValidationError:
        raise SettingsError(f"not a value a terminal can take: {text[:40]!r}") from None


def set_value(store: Store, scope: str, name: str, value: bool | int | float | str) -> None:
    if name not in CENTER_SETTINGS:
        raise SettingsError(
            f"the center may not set {name!r}; it may set: {', '.join(sorted(CENTER_SETTINGS))}"
        )
    with store.transaction() as db:
        db.execute(
            "INSERT INTO pushed_settings (scope, name, value, set_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (scope, name) DO UPDATE SET value = excluded.value, set_at = excluded.set_at",
            (scope, name, json.dumps(value, ensure_ascii=False), now_iso()),
        )


def unset_value(store: Store, scope: str, name: str) -> bool:
    """Remove one value of a scope; False when it was not set there."""
    with store.transaction() as db:
        return bool(
            db.execute("DELETE FROM pushed_settings WHERE scope = ? AND name = ?", (scope, name)).rowcount
        )


def scopes(store: Store) -> dict[str, dict[str, Any]]:
    """Scope → {name: value}, as the operator set them."""
    shown: dict[str, dict[str, Any]] = {}
    for row in store.query("SELECT scope, name, value FROM pushed_settings ORDER BY scope, name"):
        shown.setdefault(row["scope"], {})[row["name"]] = json.loads(row["value"])
    return shown


def merged(store: Store, terminal_id: str) -> dict[str, Any]:
    """A terminal's layer now: everyone's values, its group's over them, its own over both."""
    group = group_of(store, terminal_id)
    chain = [EVERYONE, *([f"group:{group}"] if group else []), f"terminal:{terminal_id}"]
    values: dict[str, Any] = {}
    for scope in chain:
        for row in store.query("SELECT name, value FROM pushed_settings WHERE scope = ?", (scope,)):
            if row["name"] in CENTER_SETTINGS:
                values[row["name"]] = json.loads(row["value"])
    return values


def layer(store: Store, terminal_id: str) -> tuple[int, dict[str, Any]]:
    """(version, values) of a terminal's layer; the version rises when the values changed since last asked.
    Version 0: the center never set anything for this terminal."""
    values = merged(store, terminal_id)
    fingerprint = record_fingerprint("settings", values)
    # Read first: at every heartbeat the layer is mostly unchanged (or there is none), and the write transaction
    # is one at a time for the whole center.
    known = store.query(
        "SELECT version, fingerprint FROM settings_layers WHERE terminal_id = ?", (terminal_id,)
    )
    if not known and not values:
        return 0, {}
    if known and known[0]["fingerprint"] == fingerprint:
        return int(known[0]["version"]), values
    with store.transaction() as db:
        row = db.execute(
            "SELECT version, fingerprint FROM settings_layers WHERE terminal_id = ?", (terminal_id,)
        ).fetchone()
        if row is None and not values:
            return 0, {}
        if row is not None and row["fingerprint"] == fingerprint:
            return int(row["version"]), values
        version = 1 if row is None else int(row["version"]) + 1
        db.execute(
            "INSERT INTO settings_layers (terminal_id, version, fingerprint, layer, changed_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (terminal_id) DO UPDATE SET version = excluded.version, "
            "fingerprint = excluded.fingerprint, layer = excluded.layer, changed_at = excluded.changed_at",
            (terminal_id, version, fingerprint, canonical_json(values).decode("utf-8"), now_iso()),
        )
    return version, values


def signed_layer(
    store: Store, key: Ed25519PrivateKey, terminal_id: str, applied_version: int
) -> SignedSettings | None:
    """The signed layer when the terminal's applied version is older than the center's, else None."""
    version, values = layer(store, terminal_id)
    if 0 < version < applied_version:
        # The terminal applied a later version than this center knows (its database was restored from an older
        # backup): go past it, or the terminal would never take the layer again.
        version = applied_version + 1
        with store.transaction() as db:
            db.execute("UPDATE settings_layers SET version = ? WHERE terminal_id = ?", (version, terminal_id))
    if version <= applied_version:
        return None
    return SignedSettings.sign(
        key, terminal_id=terminal_id, version=version, values=values, issued_at=now_iso()
    )
