"""Estimate the Windows bundle's size from the Linux bundle and the Windows wheels, without Windows.

    pip download --platform win_amd64 --python-version 3.11 --only-binary=:all: --no-deps -d WHEELS \
        PySide6-Essentials==V PySide6-Addons==V shiboken6==V cryptography==V pydantic-core==V pillow==V ...
    python build/windows_size.py build/dist/kiosk WHEELS

PyInstaller builds the Windows bundle on Windows only. This takes each binary the Linux bundle ships from a package
that has a Windows wheel and counts its Windows counterpart instead (libQt6Gui.so.6 -> Qt6Gui.dll, QtGui.abi3.so ->
QtGui.pyd, libqxcb.so -> the plugins the spec keeps of the Windows wheel's, the QML modules it ships), adds what
PyInstaller collects on Windows only (the MSVC runtime, Qt's software OpenGL and Direct3D compiler, the second
executable kiosk-console.exe), drops the Linux-only parts (ICU, Pillow's separate libraries), and counts the rest
(Python, the program, its resources) as on Linux, with the libraries the Linux bundle leaves to the system (OpenSSL,
the C++ runtime, compression) at their Linux sizes. The sizes are the wheels' uncompressed file sizes.
"""

from __future__ import annotations

import ast
import re
import sys
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

BUILD = Path(__file__).resolve().parent
MIB = 1024 * 1024
# Windows wheels of the packages whose binaries the estimate takes from them, by top-level folder in the bundle.
WHEEL_PACKAGES = ("PySide6", "shiboken6", "cryptography", "pydantic_core", "PIL", "yaml", "bsdiff4", "smartcard",
                  "charset_normalizer", "libusb_package")  # fmt: skip
# What PyInstaller collects of PySide6's Windows wheel besides what the Linux bundle has a counterpart of.
WINDOWS_ONLY = re.compile(r"^PySide6/(opengl32sw|d3dcompiler_\d+|libEGL|libGLESv2|msvcp140[\w]*|vcruntime140[\w]*"
                          r"|concrt140|pyside6(qml)?\.abi3)\.dll$", re.IGNORECASE)  # fmt: skip
# The Linux bundle's libraries that the system provides there and the Windows bundle carries (Python's own DLLs).
LEFT_TO_THE_SYSTEM = ("libcrypto.so.3", "libssl.so.3", "libz.so.1", "libbz2.so.1.0", "liblzma.so.5")


def spec_keep() -> Any:
    """The spec's filter of collected files (its constants and functions, without running PyInstaller)."""
    spec = BUILD / "kiosk.spec"
    tree = ast.parse(spec.read_text(encoding="utf-8"))
    body = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PyInstaller"):
            continue
        call = node.value if isinstance(node, ast.Assign) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "Analysis":
            break  # the build itself starts here
        body.append(node)
    namespace: dict[str, Any] = {"SPECPATH": str(BUILD), "__name__": "kiosk_spec"}
    exec(compile(ast.Module(body=body, type_ignores=[]), str(spec), "exec"), namespace)
    return namespace["keep"]


def linux_name(windows: str) -> str | None:
    """The Linux bundle's name of a Windows binary of PySide6 or shiboken6 (None: no counterpart by name)."""
    path = PurePosixPath(windows)
    name = path.name
    if re.fullmatch(r"Qt6\w+\.dll", name):
        return f"PySide6/Qt/lib/lib{name[:-4]}.so.6"
    if name.endswith(".pyd"):
        return str(path.with_name(name[:-4] + ".abi3.so"))
    return None


def extension_shipped(windows: str, linux: dict[str, int]) -> bool:
    """Whether the Linux bundle ships the extension module a .pyd of a Windows wheel is (PIL/_webp... are not)."""
    folder, _, file = windows.rpartition("/")
    stem = file.split(".")[0]
    return any(n.rpartition("/")[0] == folder and n.rpartition("/")[2].split(".")[0] == stem for n in linux)


def estimate(bundle: Path, wheels: Path) -> dict[str, float]:
    internal = bundle / "_internal"
    linux = {p.relative_to(internal).as_posix(): p.stat().st_size for p in internal.rglob("*")
             if p.is_file() and not p.is_symlink()}  # fmt: skip
    keep = spec_keep()
    parts: dict[str, float] = {}

    def add(part: str, size: int) -> None:
        parts[part] = parts.get(part, 0) + size / MIB

    # Python, the program and everything without a Windows wheel, as on Linux (less ICU, Pillow's libraries).
    for name, size in linux.items():
        top = name.split("/")[0]
        if top in WHEEL_PACKAGES or top == "pillow.libs" or name.endswith(".so.6.11"):
            continue
        if re.match(r"lib(icu|python)", name):
            if name.startswith("libpython"):
                add("Python", size)
            continue
        add("Python" if name.startswith(("python3", "base_library")) else "the rest", size)
    executable = (bundle / "kiosk").stat().st_size
    add("executables (kiosk.exe, kiosk-console.exe)", 2 * executable)
    for name in LEFT_TO_THE_SYSTEM:
        found = next(iter(sorted(Path("/usr/lib/x86_64-linux-gnu").glob(name))), None)
        if found is not None:
            add("Python", found.stat().st_size)

    shipped_qml = {n for n in linux if n.startswith("PySide6/Qt/qml/")}
    for wheel in sorted(wheels.glob("*win_amd64.whl")):
        with zipfile.ZipFile(wheel) as archive:
            for info in archive.infolist():
                name = info.filename
                top = name.split("/")[0]
                if top not in WHEEL_PACKAGES or info.is_dir():
                    continue
                if top in ("PySide6", "shiboken6"):
                    part = "Qt and PySide6"
                    if "/qml/" in name or "/plugins/" in name or "/translations/" in name:
                        if not keep((name, name, "DATA")):
                            continue
                        if "/qml/" in name and name.endswith(
                            ".dll"
                        ):  # a QML module's plugin: shipped on Linux?
                            stem = PurePosixPath(name).name[:-4]
                            folder = name.split("/qml/", 1)[1].rsplit("/", 1)[0]
                            if f"PySide6/Qt/qml/{folder}/lib{stem}.so" not in shipped_qml:
                                continue
                        add(part, info.file_size)
                    elif WINDOWS_ONLY.match(name) or (top == "shiboken6" and name.endswith((".dll", ".pyd"))):
                        add(
                            "Qt's software OpenGL (opengl32sw.dll)" if "opengl32sw" in name else part,
                            info.file_size,
                        )
                    elif (counterpart := linux_name(name)) is not None and counterpart in linux:
                        add(part, info.file_size)
                    continue
                if name.endswith(".dll") or (name.endswith(".pyd") and extension_shipped(name, linux)):
                    add(top, info.file_size)
    return parts


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    parts = estimate(Path(argv[0]), Path(argv[1]))
    for part, size in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"{size:7.1f} MiB  {part}")
    print(f"{sum(parts.values()):7.1f} MiB  estimated Windows bundle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
