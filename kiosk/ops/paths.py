"""Where the terminal's operation files sit in its data directory (``<data_dir>/ops/``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class OpsPaths:
    root: Path

    @classmethod
    def of(cls, data_dir: Path | str) -> OpsPaths:
        return cls(Path(data_dir) / "ops")

    @property
    def alive(self) -> Path:
        """The role's local heartbeat to its supervisor."""
        return self.root / "alive.json"

    @property
    def health(self) -> Path:
        """A new version's health as its supervisor judges it."""
        return self.root / "health.json"

    @property
    def reports(self) -> Path:
        """Reports waiting for the next heartbeat (one file each)."""
        return self.root / "reports"

    @property
    def out_of_service(self) -> Path:
        return self.root / "out-of-service.json"

    @property
    def target(self) -> Path:
        """The version the center's rollout wants this terminal to run."""
        return self.root / "target.json"

    @property
    def center_key(self) -> Path:
        """The center's command key, pinned at enrolment."""
        return self.root / "center-key.json"

    @property
    def center_settings(self) -> Path:
        """The settings the center pushed (a layer of the settings chain), as signed."""
        return self.root / "center-settings.json"

    @property
    def commands_done(self) -> Path:
        """The ids of the center's commands already run, kept until they expire."""
        return self.root / "commands-done.json"

    @property
    def backups(self) -> Path:
        """Database backups taken before a new version migrates it."""
        return self.root / "backups"
