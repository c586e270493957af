"""The version the center's rollout wants this terminal to run (from the heartbeat's answer)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.ops.files import read_object, write_json
from kiosk.ops.paths import OpsPaths


@dataclass(frozen=True, slots=True)
class Target:
    version: str
    rollout_id: str = ""


def read_target(data_dir: Path | str) -> Target | None:
    raw = read_object(OpsPaths.of(data_dir).target)
    if raw is None:
        return None
    version, rollout = raw.get("version"), raw.get("rollout_id", "")
    if not isinstance(version, str) or not version or not isinstance(rollout, str):
        return None
    return Target(version, rollout)


def write_target(data_dir: Path | str, target: Target | None) -> None:
    path = OpsPaths.of(data_dir).target
    if target is None:
        path.unlink(missing_ok=True)
        return
    if read_target(data_dir) == target:
        return
    write_json(path, {"version": target.version, "rollout_id": target.rollout_id})
