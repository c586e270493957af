"""What a heartbeat needs of a rollout, kept in the database per rollout so that answering one does not scan the
fleet (docs/center.md, "Rollouts").

An evaluation of the rollout (``kiosk.center.rollout``) puts every enabled terminal in a ring, ordered by the
terminal id's stable hash: each percent ring is a contiguous run of that order. So a ring is known by its last
member, its *cut* (hash, id), and a terminal's ring follows from its own hash and the cuts, without the fleet.
The cuts are saved with the state and open ring they were computed for; a heartbeat evaluates again (the whole
fleet, as before) only when:

- there is no saved evaluation, or the rollout's state or open ring is no longer the one it was made for (an
  operator paused, resumed or aborted it, possibly in another worker);
- the heartbeat carries update or crash reports about the rollout's version (they may fail or complete a ring);
- a terminal of the open ring runs the version for the first time seen (it may complete the ring): the terminals
  counted so are kept per rollout, so each triggers this once;
- the saved evaluation is older than ``EVALUATE_EVERY_S`` (terminals enrolled or disabled since): the first
  heartbeat to notice claims it in the database, the others keep answering from the saved cuts meanwhile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # the schema (imported by the store) takes this module's migration
    from kiosk.center.store import Store

EVALUATE_EVERY_S: Final = 10.0

ROLLOUT_PROGRESS_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS rollout_progress (
    rollout_id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    open_ring INTEGER NOT NULL,
    cuts TEXT NOT NULL,
    evaluated_unix REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS rollout_counted (
    rollout_id INTEGER NOT NULL,
    terminal_id TEXT NOT NULL,
    PRIMARY KEY (rollout_id, terminal_id)
) WITHOUT ROWID
"""


@dataclass(frozen=True)
class Saved:
    """One saved evaluation: the rollout's state and open ring then, and each ring's cut (None: an empty ring;
    the pilot ring's entry is unused, pilots are named)."""

    rollout_id: int
    state: str
    open_ring: int
    cuts: tuple[tuple[float, str] | None, ...]
    evaluated_unix: float

    def ring_of(
        self, terminal_id: str, terminal_hash: float, rings: tuple[str, ...], pilot: tuple[str, ...]
    ) -> int | None:
        """The ring index of the terminal (None: in none, e.g. enrolled after a 100% ring was cut)."""
        if rings and rings[0] == "pilot" and terminal_id in pilot:
            return 0
        key = (terminal_hash, terminal_id)
        for index, ring in enumerate(rings):
            cut = self.cuts[index] if index < len(self.cuts) else None
            if ring != "pilot" and cut is not None and key <= cut:
                return index
        return None


def cuts_of(members: list[list[str]], rings: tuple[str, ...], hash_of: Any) -> list[tuple[float, str] | None]:
    """Each ring's last member as (hash, id), from an evaluation's members (ordered by (hash, id) in each ring)."""
    return [
        None if ring == "pilot" or not part else (hash_of(part[-1]), part[-1])
        for ring, part in zip(rings, members, strict=True)
    ]


def load(store: Store, rollout_id: int) -> Saved | None:
    rows = store.query(
        "SELECT state, open_ring, cuts, evaluated_unix FROM rollout_progress WHERE rollout_id = ?",
        (rollout_id,),
    )
    if not rows:
        return None
    row = rows[0]
    cuts = tuple(None if cut is None else (float(cut[0]), str(cut[1])) for cut in json.loads(row["cuts"]))
    return Saved(rollout_id, row["state"], int(row["open_ring"]), cuts, float(row["evaluated_unix"]))


def save(store: Store, saved: Saved) -> None:
    """Keep an evaluation (and forget the counted terminals of earlier rollouts)."""
    cuts = json.dumps([None if cut is None else [cut[0], cut[1]] for cut in saved.cuts], ensure_ascii=False)
    with store.transaction() as db:
        db.execute(
            "INSERT INTO rollout_progress (rollout_id, state, open_ring, cuts, evaluated_unix) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (rollout_id) DO UPDATE SET state = excluded.state, open_ring = excluded.open_ring, "
            "cuts = excluded.cuts, evaluated_unix = excluded.evaluated_unix",
            (saved.rollout_id, saved.state, saved.open_ring, cuts, saved.evaluated_unix),
        )
        db.execute("DELETE FROM rollout_progress WHERE rollout_id < ?", (saved.rollout_id,))
        db.execute("DELETE FROM rollout_counted WHERE rollout_id < ?", (saved.rollout_id,))


def claim(store: Store, saved: Saved, now: float) -> bool:
    """Whether this heartbeat is the one to evaluate a saved evaluation that has grown old (one of all the
    workers' threads; the others answer from the saved cuts meanwhile)."""
    with store.transaction() as db:
        return bool(
            db.execute(
                "UPDATE rollout_progress SET evaluated_unix = ? WHERE rollout_id = ? AND evaluated_unix = ?",
                (now, saved.rollout_id, saved.evaluated_unix),
            ).rowcount
        )


def first_seen_running(store: Store, rollout_id: int, terminal_id: str) -> bool:
    """Whether this is the first time the terminal is seen running the rollout's version in its open ring."""
    if store.query(
        "SELECT 1 FROM rollout_counted WHERE rollout_id = ? AND terminal_id = ?", (rollout_id, terminal_id)
    ):
        return False
    with store.transaction() as db:
        return bool(
            db.execute(
                "INSERT INTO rollout_counted (rollout_id, terminal_id) VALUES (?, ?) "
                "ON CONFLICT (rollout_id, terminal_id) DO NOTHING",
                (rollout_id, terminal_id),
            ).rowcount
        )
