"""The C libraries that stand in for vendor libraries (tests/native/), compiled with gcc once per test session.

Test modules import the fixtures they need (``from native_support import sdtapi_sim_lib``). The build is cached
in this module, so it happens once per process however many modules ask for it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

NATIVE_DIR = Path(__file__).resolve().parent / "native"
_SUFFIX = ".dll" if sys.platform == "win32" else ".dylib" if sys.platform == "darwin" else ".so"

_built: dict[tuple[str, tuple[str, ...]], Path] = {}
_lock = threading.Lock()


def build_library(source: str, name: str, out_dir: Path, defines: tuple[str, ...] = ()) -> Path:
    """Compile ``tests/native/<source>`` into ``out_dir/lib<name>`` (warnings are errors) and return its path."""
    key = (source, defines)
    with _lock:
        if key in _built:
            return _built[key]
        gcc = shutil.which("gcc")
        if gcc is None:
            pytest.fail(
                "gcc is needed to build the stand-in vendor libraries in tests/native/; "
                "the project's setup installs it (apt-get install gcc)",
                pytrace=False,
            )
        target = out_dir / f"lib{name}{_SUFFIX}"
        command = [gcc, "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror"]
        command += [f"-D{define}" for define in defines]
        command += ["-o", str(target), str(NATIVE_DIR / source)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            pytest.fail(f"building {source} failed:\n{' '.join(command)}\n{result.stderr}", pytrace=False)
        _built[key] = target
        return target


@pytest.fixture(scope="session")
def native_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("native")


@pytest.fixture(scope="session")
def sdtapi_sim_lib(native_dir: Path) -> Path:
    """The stand-in sdtapi library with every export, optional ones included."""
    return build_library("sdtapi_sim.c", "sdtapi_sim", native_dir)


@pytest.fixture(scope="session")
def sdtapi_min_lib(native_dir: Path) -> Path:
    """The stand-in sdtapi library without the optional exports (SDT_ReadBaseFPMsg, SDT_ReadNewAppMsg)."""
    return build_library("sdtapi_sim.c", "sdtapi_min", native_dir, ("SDTAPI_SIM_MINIMAL",))


@pytest.fixture(scope="session")
def wlt_sim_lib(native_dir: Path) -> Path:
    """A WLT decoder exporting ``unpack``."""
    return build_library("wlt_sim.c", "wlt_sim", native_dir)


@pytest.fixture(scope="session")
def wlt_getbmp_lib(native_dir: Path) -> Path:
    """A WLT decoder exporting only the file-based ``GetBmp``."""
    return build_library("wlt_sim.c", "wlt_getbmp", native_dir, ("WLT_SIM_GETBMP",))
