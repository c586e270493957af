"""The layering of docs/architecture.md, checked: domain, store, services and drivers never import Qt; roles
and features stand on their own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the dev environment"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_modules_import_without_qt():
    code = (
        "import sys, kiosk.services.terminal, kiosk.cli.catalog_cmd, drivers; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_the_contracts_of_the_house_are_checked():
    """The contracts docs/architecture.md names stay in the set lint-imports checks."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {contract["name"] for contract in config["tool"]["importlinter"]["contracts"]}
    assert {
        "Roles never import each other",
        "Features of the touch UI never import each other",
        "The shell stands below the features, and the features below the roles",
        "The domain stands below the drivers",
        "Flows are Qt-free",
    } <= names
