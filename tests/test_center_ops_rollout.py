"""Rollouts from the center: rings open as the terminals before them commit, terminals learn their target version
from heartbeat answers, and a ring whose failures pass the threshold halts the rollout by itself."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.center.rollout import RolloutError, assign_rings, parse_rings, ring_hash
from tests.center_support import CenterProcess
from tests.test_center_ops import Fleet

VERSION = "1.4.0"


@pytest.fixture
def fleet(center_db, capsys: pytest.CaptureFixture[str]) -> Iterator[Fleet]:
    center = CenterProcess(center_db)
    try:
        yield Fleet(center, capsys)
    finally:
        center.close()


def report(outcome: str, reason: str = "") -> dict[str, Any]:
    at = datetime.now(UTC).isoformat()
    return {"id": f"u-{outcome}", "at": at, "version": VERSION, "from_version": "1.3.0", "outcome": outcome,
            "reason": reason}  # fmt: skip


def status(fleet: Fleet) -> dict[str, Any]:
    return fleet.cli_json("rollout", "status")


def rings_of(status: dict[str, Any]) -> list[tuple[str, bool, int, int, int]]:
    return [(r["ring"], r["open"], r["committed"], r["failed"], r["waiting"]) for r in status["rings"]]


def test_rings_open_as_terminals_commit_and_a_failing_ring_halts_the_rollout(fleet: Fleet) -> None:
    terminals = [fleet.terminal(f"village {n}") for n in range(6)]
    by_id = {t.id: t for t in terminals}
    pilot = terminals[0]
    for t in terminals:
        t.beat()
    # The middle ring is its --min-per-ring (1% of six terminals is almost surely none), so every ring has some.
    rings = ("pilot", "1%", "100%")
    started = fleet.cli_json(
        "rollout", "start", VERSION, "--rings", ",".join(rings), "--pilot", pilot.id, "--min-per-ring", "2",
        "--failure-threshold", "0.2",
    )  # fmt: skip
    assert started["state"] == "running"
    code, _, err = fleet.cli("rollout", "start", "1.5.0", "--pilot", pilot.id)
    assert code == 2 and "abort it first" in err  # one active rollout at a time

    _, half, rest = assign_rings(rings, (pilot.id,), 2, list(by_id))
    assert half and rest
    assert pilot.beat().target_version == VERSION
    assert {by_id[t].beat().target_version for t in half + rest} == {None}

    # The pilot commits (its update report): the middle ring opens, the last stays closed.
    pilot.beat(updates=[report("committed")], version=VERSION)
    assert {by_id[t].beat().target_version for t in half} == {VERSION}
    assert {by_id[t].beat().target_version for t in rest} == {None}
    assert rings_of(status(fleet))[:2] == [("pilot", True, 1, 0, 0), ("1%", True, 0, 0, len(half))]

    # The middle ring commits (a heartbeat from the new version is as good as a report): the last ring opens.
    for t in half:
        by_id[t].beat(version=VERSION, install={"current": VERSION, "previous": "1.3.0"})
    assert {by_id[t].beat().target_version for t in rest} == {VERSION}

    # One of the last ring rolls back: more than 20% of the ring failed, the rollout halts by itself.
    failing = by_id[rest[0]]
    failing.beat(updates=[report("rolled_back", "health check: no sync within 600 s")])
    halted = status(fleet)
    assert halted["state"] == "halted"
    assert f"ring 100%: 1 of {len(rest)} terminals failed" in halted["halted_reason"]
    assert "no sync within 600 s" in halted["halted_reason"]
    assert halted["rings"][2]["failed"] == 1
    # Halted: nobody is given a version it does not run already.
    assert failing.beat().target_version is None
    assert pilot.beat().target_version == VERSION
    code, out, _ = fleet.cli("rollout", "status")
    assert code == 0 and "halted: ring 100%" in out

    # Resumed, the failures are counted afresh; aborted, nobody is told to move.
    assert fleet.cli_json("rollout", "resume")["state"] == "running"
    assert failing.beat().target_version == VERSION
    assert fleet.cli_json("rollout", "abort")["state"] == "aborted"
    assert {t.beat().target_version for t in terminals} == {None}
    assert fleet.cli_json("rollout", "start", "1.4.1", "--rings", "100%")["state"] == "running"


def test_a_crash_loop_on_the_new_version_counts_as_a_failure(fleet: Fleet) -> None:
    pilot, other = fleet.terminal(), fleet.terminal()
    fleet.cli_json("rollout", "start", VERSION, "--rings", "pilot,100%", "--pilot", pilot.id)
    crash = {"id": "c-1", "at": datetime.now(UTC).isoformat(), "version": VERSION, "role": "kiosk",
             "what": "crash_loop", "exit_code": 1}  # fmt: skip
    pilot.beat(crashes=[crash])
    halted = status(fleet)
    assert halted["state"] == "halted" and "crash loop" in halted["halted_reason"]
    assert other.beat().target_version is None


def test_pause_keeps_the_next_rings_closed(fleet: Fleet) -> None:
    pilot, other = fleet.terminal(), fleet.terminal()
    fleet.cli_json("rollout", "start", VERSION, "--rings", "pilot,100%", "--pilot", pilot.id)
    assert fleet.cli_json("rollout", "pause")["state"] == "paused"
    assert pilot.beat().target_version is None  # not running it yet: paused gives it to nobody new
    pilot.beat(version=VERSION)
    assert other.beat().target_version is None
    assert rings_of(status(fleet))[1][1] is False
    resumed = fleet.cli_json("rollout", "resume")  # the pilot had committed: the next ring opens
    assert resumed["state"] == "running" and resumed["rings"][1]["open"] is True
    assert other.beat().target_version == VERSION
    other.beat(version=VERSION)
    assert status(fleet)["state"] == "done"
    newcomer = fleet.terminal()
    assert newcomer.beat().target_version == VERSION  # a finished rollout's version is everyone's
    code, _, err = fleet.cli("rollout", "pause")
    assert code == 2 and "nothing to pause" in err


def test_rings_are_stable_shares_of_the_fleet() -> None:
    fleet = [f"T-{n:08x}" for n in range(2000)]
    pilot, five, quarter, everyone = assign_rings(("pilot", "5%", "25%", "100%"), ("T-00000007",), 1, fleet)
    assert pilot == ["T-00000007"]
    assert 60 <= len(five) <= 140 and 380 <= len(quarter) <= 620
    assert len(pilot) + len(five) + len(quarter) + len(everyone) == len(fleet)
    assert all(ring_hash(t) < 5 for t in five) and all(5 <= ring_hash(t) < 25 for t in quarter)
    # A terminal keeps its ring as the fleet grows.
    grown = assign_rings(("pilot", "5%", "25%", "100%"), ("T-00000007",), 1, [*fleet, "T-new-1", "T-new-2"])
    assert set(five) <= set(grown[1])
    # A small fleet still puts --min-per-ring terminals in each share ring.
    small = assign_rings(("5%", "25%", "100%"), (), 2, fleet[:5])
    assert [len(ring) for ring in small] == [2, 2, 1]
    for bad in ("5%,pilot", "25%,5%", "abc", "0%", "101%", ""):
        with pytest.raises(RolloutError):
            parse_rings(bad)


def test_status_without_a_rollout_says_so(fleet: Fleet) -> None:
    code, out, _ = fleet.cli("rollout", "status")
    assert code == 0 and "no rollout yet" in out
    assert json.loads(fleet.cli("rollout", "status", "--json")[1]) is None
    code, _, err = fleet.cli("rollout", "start", VERSION)
    assert code == 2 and "--pilot" in err
    code, _, err = fleet.cli("rollout", "start", "../1.4", "--rings", "100%")
    assert code == 2 and "not a version" in err


@pytest.mark.parametrize(("success", "opens"), [("0.8", True), ("1", False)])
def test_a_terminal_that_stays_offline_does_not_hold_the_next_ring_up(
    fleet: Fleet, success: str, opens: bool
) -> None:
    pilots = [fleet.terminal(f"pilot {n}") for n in range(5)]
    others = [fleet.terminal(f"village {n}") for n in range(2)]
    for t in pilots + others:
        t.beat()
    ids = ",".join(t.id for t in pilots)
    fleet.cli_json(
        "rollout", "start", VERSION, "--rings", "pilot,100%", "--pilot", ids, "--success-threshold", success
    )
    for t in pilots[:4]:  # the fifth pilot terminal is switched off for the week
        t.beat(updates=[report("committed")], version=VERSION)
    assert {t.beat().target_version for t in others} == ({VERSION} if opens else {None})
    assert rings_of(status(fleet))[0] == ("pilot", True, 4, 0, 1)
