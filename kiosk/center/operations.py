"""A heartbeat, from the center's side of operations: keep what it reports, then answer with what the center asks
of the terminal (docs/protocol.md, "Operations"): the command key to pin, the version to run, the pending
commands and the settings layer, the last two signed with the command key.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.center import commands, fleet, pushed_settings, rollout
from kiosk.center.command_key import command_key_path_for, load_or_create
from kiosk.center.store import Store, now_iso
from kiosk.protocol import Heartbeat, HeartbeatAnswer, canonical_json
from kiosk.protocol.limits import ANSWER_LIMITS
from kiosk.protocol.ops import CommandKey

log = logging.getLogger(__name__)

# What the center puts in one heartbeat answer at most, as JSON: a margin under the terminal's limit for escapes.
ANSWER_BUDGET: Final = ANSWER_LIMITS["heartbeat"].max_bytes * 3 // 4


def command_key_of(store: Store) -> Ed25519PrivateKey:
    """The store's command key (beside its database; made when missing). A database in memory (tests) gets a
    key of its own for the process's life."""
    if str(store.path) == ":memory:":
        return Ed25519PrivateKey.generate()
    return load_or_create(command_key_path_for(Path(store.path)))


class Operations:
    """Heartbeats in, answers out, for one store and its command key."""

    def __init__(self, store: Store, key: Ed25519PrivateKey) -> None:
        self.store = store
        self.key = key
        self.public = CommandKey.of(key)

    def heartbeat(self, terminal_id: str, beat: Heartbeat) -> HeartbeatAnswer:
        fleet.record_heartbeat(self.store, terminal_id, beat)
        if beat.command_key_id and beat.command_key_id != self.public.key_id:
            log.warning(
                "terminal %s pinned command key %s, not this center's %s: it will refuse commands",
                terminal_id,
                beat.command_key_id,
                self.public.key_id,
            )
        answer: dict[str, Any] = {
            "server_time": now_iso(),
            "command_key": self.public.model_dump(mode="json"),
            "target_version": rollout.target_for(self.store, terminal_id, beat),
            "commands": [],
        }
        try:
            layer = pushed_settings.signed_layer(self.store, self.key, terminal_id, beat.settings_version)
        except ValueError as exc:
            # A value stored past the checks: the terminal keeps the layer it has, the log says why.
            log.error("the settings layer of %s cannot be signed: %s", terminal_id, exc)
            layer = None
        if layer is not None:
            answer["settings"] = layer.model_dump(mode="json")
        # The answer stays well within what a terminal reads of it: commands past the budget wait for the next one.
        size = len(canonical_json(answer))
        for signed in commands.pending_signed(self.store, self.key, terminal_id):
            command = signed.model_dump(mode="json")
            size += len(json.dumps(command, ensure_ascii=False).encode("utf-8")) + 1
            if size > ANSWER_BUDGET:
                break
            answer["commands"].append(command)
        return HeartbeatAnswer.model_validate(answer)
