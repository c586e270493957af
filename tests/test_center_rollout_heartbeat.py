"""A heartbeat's target version during a rollout comes from the evaluation saved in the database (each ring's cut
by the terminals' stable hashes), and it is the one an evaluation over the whole fleet gives, as terminals commit,
rings open, the operator pauses and aborts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from kiosk.center import rollout
from kiosk.center.operations import Operations
from kiosk.center.store import Store
from kiosk.protocol import Heartbeat
from tests.center_support import CenterDb

OLD, NEW = "1.0.0", "1.1.0"


def _beat(version: str = OLD, *, committed: bool = False) -> Heartbeat:
    updates = []
    if committed:
        at = datetime.now(UTC).isoformat()
        updates = [
            {"id": "u-1", "at": at, "version": NEW, "from_version": OLD, "outcome": "committed", "reason": ""}
        ]
    return Heartbeat.model_validate({"version": version, "role": "kiosk", "updates": updates})


def _targets(
    store: Store, ops: Operations, terminals: list[str], beats: dict[str, Heartbeat]
) -> dict[str, str | None]:
    """Each terminal's target from its heartbeat's answer (the saved evaluation)."""
    return {t: ops.heartbeat(t, beats.get(t, _beat())).target_version for t in terminals}


def _exact(store: Store, terminals: list[str]) -> dict[str, str | None]:
    """Each terminal's target by an evaluation over the whole fleet."""
    return {t: rollout.target_for(store, t) for t in terminals}


def test_heartbeat_targets_match_a_whole_fleet_evaluation(center_db: CenterDb) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    store = center_db.store()
    try:
        ops = Operations(store, Ed25519PrivateKey.generate())
        terminals = [store.add_terminal(f"t{n}").terminal_id for n in range(60)]
        pilot = terminals[0]
        started = rollout.start(
            store, NEW, rings=("pilot", "10%", "50%", "100%"), pilot=(pilot,), min_per_ring=2
        )
        assert started.state == "running"
        beats: dict[str, Heartbeat] = {}
        targets = _targets(store, ops, terminals, beats)
        assert targets == _exact(store, terminals)
        assert [t for t, v in targets.items() if v == NEW] == [pilot]

        # Terminals commit ring by ring (the pilot with a report, the others by running the version): after each,
        # the heartbeats' answers agree with the whole fleet's evaluation, and more terminals are told to move.
        told = {pilot}
        for _ in range(3):
            commits = {t: _beat(NEW, committed=t == pilot) for t in sorted(told)}
            _targets(store, ops, terminals, commits)  # a ring opens while these are answered
            beats = {t: _beat(NEW) for t in told}  # a report is sent once; they run the version since
            targets = _targets(store, ops, terminals, beats)
            assert targets == _exact(store, terminals)
            now_told = {t for t, v in targets.items() if v == NEW}
            assert now_told > told
            told = now_told

        # Paused: only those running it keep it; aborted: nobody is told to move.
        rollout.pause(store)
        targets = _targets(store, ops, terminals, beats)
        assert targets == _exact(store, terminals)
        assert {t for t, v in targets.items() if v == NEW} == set(beats)
        rollout.abort(store)
        assert set(_targets(store, ops, terminals, beats).values()) == {None}
    finally:
        store.close()


def test_the_saved_evaluation_is_one_row_per_rollout(center_db: CenterDb) -> None:
    store = center_db.store()
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        ops = Operations(store, Ed25519PrivateKey.generate())
        terminals = [store.add_terminal(f"t{n}").terminal_id for n in range(10)]
        rollout.start(store, NEW, rings=("100%",))
        _targets(store, ops, terminals, {})
        rollout.abort(store)
        rollout.start(store, "1.2.0", rings=("50%", "100%"))
        _targets(store, ops, terminals, {})
        rows = store.query("SELECT rollout_id, state, cuts FROM rollout_progress")
        assert [(row["rollout_id"], row["state"]) for row in rows] == [(2, "running")]
        assert len(json.loads(rows[0]["cuts"])) == 2
    finally:
        store.close()
