"""Staged rollouts (docs/center.md, "Rollouts"): which terminals are told to run a version, ring by ring, and the
halt when a ring fails too often (hawkBit's error threshold).

Rings are explicit pilot terminals, then shares of the fleet: "N%" is every terminal whose stable hash (SHA-256
of its id, as a number in [0, 100)) is below N and that no earlier ring holds, at least ``min_per_ring`` of them
while any are left. The hash does not change, so a terminal stays in its ring as the fleet grows, and 5% then
25% means the 25% ring holds the next 20%.

A terminal's heartbeat answer names the rollout's version (``target_version``) once its ring is open. A terminal
has *committed* when it reports the update committed or its heartbeat says it runs the version; it has *failed*
when it reports the update rolled back or refused, or a crash loop on the version, after the rollout started (or
was last resumed) and has not committed since. A ring is done when at least ``success_threshold`` of its terminals
have committed (hawkBit's success threshold: a terminal that stays offline does not hold the rollout up for ever;
1.0 waits for every one); then the next opens. When the failed terminals of an open ring exceed ``failure_threshold`` of its terminals, the rollout halts
by itself, saying why. While paused or halted no terminal is given a version it does not already run; an aborted
rollout gives none (terminals stay on what they run); a finished one gives its version to every terminal,
newcomers included, until the next rollout starts. One rollout is active (running, paused, halted) at a time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from kiosk.center import rollout_progress
from kiosk.center.db import Row
from kiosk.center.store import Store, now_iso
from kiosk.protocol import Heartbeat
from kiosk.protocol.ops import VERSION_PATTERN

log = logging.getLogger(__name__)

DEFAULT_RINGS: Final = ("pilot", "5%", "25%", "100%")
DEFAULT_FAILURE_THRESHOLD: Final = 0.2
DEFAULT_SUCCESS_THRESHOLD: Final = 0.9
ACTIVE: Final = ("running", "paused", "halted")
_PERCENT = re.compile(r"([1-9][0-9]?|100)%")


class RolloutError(ValueError):
    """A rollout request the center refuses; the message says why and what to do."""


@functools.lru_cache(maxsize=65536)
def ring_hash(terminal_id: str) -> float:
    """Where a terminal falls in the fleet, in [0, 100): stable, from the SHA-256 of its id."""
    return int(hashlib.sha256(terminal_id.encode("utf-8")).hexdigest()[:13], 16) / 16**13 * 100


def parse_rings(text: str) -> tuple[str, ...]:
    """``pilot,5%,25%,100%``: pilot first if at all, then rising shares."""
    rings = tuple(part.strip() for part in text.split(",") if part.strip())
    if not rings:
        raise RolloutError("a rollout needs at least one ring")
    last = 0
    for index, ring in enumerate(rings):
        if ring == "pilot":
            if index != 0:
                raise RolloutError("the pilot ring comes first")
            continue
        match = _PERCENT.fullmatch(ring)
        if match is None:
            raise RolloutError(f"a ring is 'pilot' or a share such as 25%, not {ring!r}")
        share = int(match.group(1))
        if share <= last:
            raise RolloutError("the shares of the rings rise (e.g. pilot,5%,25%,100%)")
        last = share
    return rings


def assign_rings(
    rings: Sequence[str], pilot: Sequence[str], min_per_ring: int, terminals: Sequence[str]
) -> list[list[str]]:
    """The members of each ring among ``terminals`` (a terminal is in one ring at most)."""
    present = set(terminals)
    pilots = [t for t in pilot if t in present]
    rest = sorted((t for t in terminals if t not in set(pilots)), key=lambda t: (ring_hash(t), t))
    hashes = [ring_hash(t) for t in rest]
    members: list[list[str]] = []
    taken = 0
    for ring in rings:
        if ring == "pilot":
            members.append(pilots)
            continue
        share = int(ring[:-1])
        below = len(rest) if share == 100 else sum(1 for h in hashes if h < share)
        take = max(below - taken, min(min_per_ring, len(rest) - taken), 0)
        members.append(rest[taken : taken + take])
        taken += take
    return members


@dataclass(frozen=True, slots=True)
class Rollout:
    id: int
    version: str
    rings: tuple[str, ...]
    pilot: tuple[str, ...]
    failure_threshold: float
    success_threshold: float
    min_per_ring: int
    state: str
    open_ring: int
    halted_reason: str
    started_at: str
    started_unix: float
    failures_since_unix: float


def _rollout(row: Row) -> Rollout:
    return Rollout(
        id=row["id"],
        version=row["version"],
        rings=tuple(json.loads(row["rings"])),
        pilot=tuple(json.loads(row["pilot"])),
        failure_threshold=row["failure_threshold"],
        success_threshold=row["success_threshold"],
        min_per_ring=row["min_per_ring"],
        state=row["state"],
        open_ring=row["open_ring"],
        halted_reason=row["halted_reason"],
        started_at=row["started_at"],
        started_unix=row["started_unix"],
        failures_since_unix=row["failures_since_unix"],
    )


def latest(store: Store) -> Rollout | None:
    rows = store.query("SELECT * FROM rollouts ORDER BY id DESC LIMIT 1")
    return _rollout(rows[0]) if rows else None


def start(
    store: Store,
    version: str,
    *,
    rings: Sequence[str] = DEFAULT_RINGS,
    pilot: Sequence[str] = (),
    failure_threshold: float = DEFAULT_FAILURE_THRESHOLD,
    success_threshold: float = DEFAULT_SUCCESS_THRESHOLD,
    min_per_ring: int = 1,
) -> Rollout:
    if not re.fullmatch(VERSION_PATTERN, version):
        raise RolloutError(f"not a version: {version!r} (letters, digits and . + _ - only)")
    if not 0 <= failure_threshold < 1:
        raise RolloutError("the failure threshold is a share from 0 to below 1 (e.g. 0.2)")
    if not 0 < success_threshold <= 1:
        raise RolloutError(
            "the success threshold is a share above 0 up to 1 (e.g. 0.9; 1 waits for every terminal)"
        )
    if min_per_ring < 0:
        raise RolloutError("--min-per-ring is 0 or more")
    rings = parse_rings(",".join(rings))
    if "pilot" in rings and not pilot:
        raise RolloutError("the pilot ring needs its terminals: --pilot ID,ID")
    unknown = [t for t in pilot if store.terminal(t) is None]
    if unknown:
        raise RolloutError(f"no terminal {', '.join(unknown)} (see: kiosk center terminal list)")
    now, at = time.time(), now_iso()
    with store.transaction() as db:
        active = db.execute(
            "SELECT id, version, state FROM rollouts WHERE state IN ('running', 'paused', 'halted')"
        ).fetchone()
        if active is not None:
            raise RolloutError(
                f"rollout {active['id']} of {active['version']} is {active['state']}: abort it first "
                "(kiosk center rollout abort)"
            )
        inserted = db.execute(
            "INSERT INTO rollouts (version, rings, pilot, failure_threshold, success_threshold, min_per_ring, state, "
            "open_ring, started_at, started_unix, failures_since_unix, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'running', 0, ?, ?, ?, ?) RETURNING id",
            (
                version,
                json.dumps(list(rings)),
                json.dumps(list(dict.fromkeys(pilot))),
                failure_threshold,
                success_threshold,
                min_per_ring,
                at,
                now,
                now,
                at,
            ),
        )
        rollout_id = int(inserted.fetchone()["id"])
    log.info("rollout %s of %s started: rings %s", rollout_id, version, ",".join(rings))
    evaluate(store)
    found = latest(store)
    assert found is not None
    return found


def _set_state(store: Store, wanted_from: Sequence[str], state: str, verb: str, **extra: Any) -> Rollout:
    current = latest(store)
    if current is None or current.state not in wanted_from:
        shown = "there is no rollout" if current is None else f"rollout {current.id} is {current.state}"
        raise RolloutError(f"{shown}: nothing to {verb}")
    sets = ", ".join(f"{name} = ?" for name in ("state", "updated_at", *extra))
    with store.transaction() as db:
        db.execute(
            f"UPDATE rollouts SET {sets} WHERE id = ?",  # the names are this function's own
            (state, now_iso(), *extra.values(), current.id),
        )
    log.info("rollout %s of %s: %s", current.id, current.version, state)
    found = latest(store)
    assert found is not None
    return found


def pause(store: Store) -> Rollout:
    return _set_state(store, ("running",), "paused", "pause")


def resume(store: Store) -> Rollout:
    """Run again; after a halt, failures are counted afresh from now (the operator has looked at them)."""
    current = latest(store)
    if current is not None and current.state == "halted":
        _set_state(store, ("halted",), "running", "resume", halted_reason="", failures_since_unix=time.time())
    else:
        _set_state(store, ("paused",), "running", "resume")
    evaluate(store)
    found = latest(store)
    assert found is not None
    return found


def abort(store: Store) -> Rollout:
    return _set_state(store, ACTIVE, "aborted", "abort")


# --- progress -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fleet:
    terminals: list[str]
    committed: set[str]
    failed: dict[str, str]  # terminal → why


def _fleet(store: Store, rollout: Rollout) -> _Fleet:
    terminals = [row["id"] for row in store.query("SELECT id FROM terminals WHERE enabled = 1")]
    version, current = (
        store.db.json_text("last_heartbeat", "version"),
        store.db.json_text("last_heartbeat", "install", "current"),
    )
    committed = {
        row["id"]
        for row in store.query(
            f"SELECT id FROM terminals WHERE {version} = ? OR {current} = ?",  # SQL of kiosk.center.db
            (rollout.version, rollout.version),
        )
    }
    for row in store.query(
        "SELECT terminal_id FROM update_reports WHERE version = ? AND outcome = 'committed' AND received_unix >= ?",
        (rollout.version, rollout.started_unix),
    ):
        committed.add(row["terminal_id"])
    failed: dict[str, str] = {}
    for row in store.query(
        "SELECT terminal_id, outcome, reason FROM update_reports WHERE version = ? "
        "AND outcome IN ('rolled_back', 'refused') AND received_unix >= ? ORDER BY seq",
        (rollout.version, rollout.failures_since_unix),
    ):
        failed[row["terminal_id"]] = f"{row['outcome']}: {row['reason']}".rstrip(": ")
    for row in store.query(
        "SELECT terminal_id FROM crash_reports WHERE version = ? AND what = 'crash_loop' AND received_unix >= ?",
        (rollout.version, rollout.failures_since_unix),
    ):
        failed.setdefault(row["terminal_id"], "crash loop on the new version")
    # A terminal that failed and then committed (a later try went well) counts as committed.
    return _Fleet(terminals, committed, {t: why for t, why in failed.items() if t not in committed})


@dataclass(frozen=True, slots=True)
class _Progress:
    rollout: Rollout  # as it stands after this evaluation
    fleet: _Fleet
    members: list[list[str]]


def _advance(store: Store) -> _Progress | None:
    """Open the next rings or halt the latest rollout by what terminals reported (None: no rollout yet)."""
    rollout = latest(store)
    if rollout is None:
        return None
    fleet = _fleet(store, rollout)
    members = assign_rings(rollout.rings, rollout.pilot, rollout.min_per_ring, fleet.terminals)
    state, open_ring, reason = rollout.state, rollout.open_ring, rollout.halted_reason
    if state == "running":
        while True:
            ring = members[open_ring]
            failed = [t for t in ring if t in fleet.failed]
            if ring and len(failed) / len(ring) > rollout.failure_threshold:
                state = "halted"
                examples = "; ".join(f"{t} {fleet.failed[t]}" for t in failed[:3])
                reason = (
                    f"ring {rollout.rings[open_ring]}: {len(failed)} of {len(ring)} terminals failed "
                    f"(more than {rollout.failure_threshold:.0%}): {examples}"
                )
                log.warning("rollout %s of %s halted: %s", rollout.id, rollout.version, reason)
                break
            committed = sum(1 for t in ring if t in fleet.committed)
            if ring and committed < math.ceil(rollout.success_threshold * len(ring) - 1e-9):
                break
            if open_ring == len(members) - 1:
                state = "done"
                log.info("rollout %s of %s done", rollout.id, rollout.version)
                break
            open_ring += 1
            log.info("rollout %s of %s: ring %s open", rollout.id, rollout.version, rollout.rings[open_ring])
    if (state, open_ring, reason) != (rollout.state, rollout.open_ring, rollout.halted_reason):
        with store.transaction() as db:
            db.execute(
                "UPDATE rollouts SET state = ?, open_ring = ?, halted_reason = ?, updated_at = ? "
                "WHERE id = ? AND state = ?",
                (state, open_ring, reason, now_iso(), rollout.id, rollout.state),
            )
    now = replace(rollout, state=state, open_ring=open_ring, halted_reason=reason)
    return _Progress(now, fleet, members)


def evaluate(store: Store) -> dict[str, Any] | None:
    """Advance or halt the latest rollout by what terminals reported; its status (None: no rollout yet)."""
    progress = _advance(store)
    if progress is None:
        return None
    rollout, fleet, members = progress.rollout, progress.fleet, progress.members
    placed = {t for ring in members for t in ring}
    return {
        "id": rollout.id,
        "version": rollout.version,
        "state": rollout.state,
        "halted_reason": rollout.halted_reason,
        "started_at": rollout.started_at,
        "failure_threshold": rollout.failure_threshold,
        "success_threshold": rollout.success_threshold,
        "min_per_ring": rollout.min_per_ring,
        "rings": [
            {
                "ring": name,
                "open": rollout.state != "aborted" and index <= rollout.open_ring,
                "terminals": len(ring),
                "committed": sum(1 for t in ring if t in fleet.committed),
                "failed": sum(1 for t in ring if t in fleet.failed),
                "waiting": sum(1 for t in ring if t not in fleet.committed and t not in fleet.failed),
                "failures": {t: fleet.failed[t] for t in ring if t in fleet.failed},
            }
            for index, (name, ring) in enumerate(zip(rollout.rings, members, strict=True))
        ],
        "not_in_a_ring": len([t for t in fleet.terminals if t not in placed]),
    }


def target_for(store: Store, terminal_id: str, beat: Heartbeat | None = None) -> str | None:
    """The version a terminal should run, by the latest rollout (None: stay on what it runs). With the heartbeat
    just received (``beat``), from the evaluation saved in the database (kiosk.center.rollout_progress) instead of
    one over the whole fleet."""
    latest_one = latest(store)
    if latest_one is None or latest_one.state == "aborted":
        return None
    if latest_one.state == "done":
        return latest_one.version
    if beat is not None:
        return _target_from_saved(store, latest_one, terminal_id, beat)
    progress = _advance(store)
    assert progress is not None
    rollout = progress.rollout
    if rollout.state == "done":
        return rollout.version
    if rollout.state in ("paused", "halted"):
        return rollout.version if terminal_id in progress.fleet.committed else None
    for ring in progress.members[: rollout.open_ring + 1]:
        if terminal_id in ring:
            return rollout.version
    return None


def _evaluate_and_save(store: Store) -> tuple[Rollout, rollout_progress.Saved] | None:
    progress = _advance(store)
    if progress is None:
        return None
    rollout = progress.rollout
    cuts = rollout_progress.cuts_of(progress.members, rollout.rings, ring_hash)
    saved = rollout_progress.Saved(rollout.id, rollout.state, rollout.open_ring, tuple(cuts), time.time())
    rollout_progress.save(store, saved)
    return rollout, saved


def _target_from_saved(store: Store, rollout: Rollout, terminal_id: str, beat: Heartbeat) -> str | None:
    now = time.time()
    saved = rollout_progress.load(store, rollout.id)
    reports = any(u.version == rollout.version for u in beat.updates) or any(
        c.version == rollout.version for c in beat.crashes
    )
    if saved is None or reports or (saved.state, saved.open_ring) != (rollout.state, rollout.open_ring):
        due = True
    else:  # grown old: one heartbeat of all the workers' evaluates it, the others answer from it meanwhile
        due = now - saved.evaluated_unix > rollout_progress.EVALUATE_EVERY_S and rollout_progress.claim(
            store, saved, now
        )
    evaluated = _evaluate_and_save(store) if due or saved is None else (rollout, saved)
    if evaluated is None:
        return None
    rollout, saved = evaluated
    runs_it = beat.version == rollout.version or (
        beat.install is not None and beat.install.current == rollout.version
    )
    if rollout.state == "done":
        return rollout.version
    if rollout.state in ("paused", "halted"):
        committed = runs_it or bool(
            store.query(
                "SELECT 1 FROM update_reports WHERE terminal_id = ? AND version = ? AND outcome = 'committed' "
                "AND received_unix >= ? LIMIT 1",
                (terminal_id, rollout.version, rollout.started_unix),
            )
        )
        return rollout.version if committed else None
    ring = saved.ring_of(terminal_id, ring_hash(terminal_id), rollout.rings, rollout.pilot)
    if ring is None or ring > rollout.open_ring:
        return None
    if (
        ring == rollout.open_ring
        and runs_it
        and rollout_progress.first_seen_running(store, rollout.id, terminal_id)
    ):
        _evaluate_and_save(store)  # its commit may complete the open ring and open the next
    return rollout.version
