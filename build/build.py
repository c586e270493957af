"""Build the terminal's one-dir bundle with PyInstaller and, on Windows, its NSIS installer.

    python build/build.py [--clean] [--no-installer] [--no-smoke-test]

PyInstaller builds for the operating system it runs on: run this on Windows for the terminals
(build/dist/kiosk/kiosk.exe, then build/dist/GovKiosk-Setup-<version>.exe when makensis is on PATH);
on Linux it makes the Linux bundle (build/dist/kiosk/kiosk), useful for smoke tests.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BUILD_DIR = Path(__file__).resolve().parent
REPO = BUILD_DIR.parent
SPEC = BUILD_DIR / "kiosk.spec"
DIST_DIR = BUILD_DIR / "dist"
WORK_DIR = BUILD_DIR / "work"
BUNDLE_DIR = DIST_DIR / "kiosk"
INSTALLER_SCRIPT = REPO / "installer.nsi"
WINDOWS = sys.platform == "win32"


def project_version() -> str:
    """The version in kiosk/__init__.py, read without importing the package."""
    text = (REPO / "kiosk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", text, re.MULTILINE)
    if not match:
        raise SystemExit("kiosk/__init__.py: no __version__")
    return match.group(1)


def file_version(version: str) -> str:
    """A Windows four-part file version (major.minor.patch.0) from a PEP 440 version like 1.2.3rc1."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return ".".join(str(n) for n in numbers[:4])


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def run(cmd: list[str], cwd: Path) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=cwd)


def build_bundle(clean: bool) -> None:
    if clean:
        for folder in (BUNDLE_DIR, WORK_DIR):
            if folder.exists():
                print(f"removing {folder}")
                shutil.rmtree(folder)
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--distpath",
        str(DIST_DIR),
        "--workpath",
        str(WORK_DIR),
    ]
    if clean:
        cmd.append("--clean")
    run(cmd, cwd=REPO)


def smoke_test(version: str) -> bool:
    """Run the bundled executable with --version; True when it prints `kiosk <version>`."""
    exe = BUNDLE_DIR / ("kiosk-console.exe" if WINDOWS else "kiosk")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env, timeout=120)
    output = (result.stdout + result.stderr).strip()
    expected = f"kiosk {version}"
    if result.returncode == 0 and output == expected:
        print(f"smoke test: {exe.name} --version -> {output}")
        return True
    print(
        f"smoke test FAILED: {exe.name} --version exited {result.returncode}, expected {expected!r}:\n{output}",
        file=sys.stderr,
    )
    return False


def build_installer(version: str) -> Path | None:
    makensis = shutil.which("makensis")
    if not makensis:
        print("makensis not on PATH: installer not built (install NSIS 3, then run this again)")
        return None
    out_file = DIST_DIR / f"GovKiosk-Setup-{version}.exe"
    run(
        [
            makensis,
            "-V2",
            "-WX",
            f"-DVERSION={version}",
            f"-DVI_VERSION={file_version(version)}",
            f"-DDIST_DIR={BUNDLE_DIR}",
            f"-DOUT_FILE={out_file}",
            str(INSTALLER_SCRIPT),
        ],
        cwd=REPO,
    )
    return out_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="remove build/work and build/dist/kiosk first")
    parser.add_argument("--no-installer", action="store_true", help="Windows: skip the NSIS installer")
    parser.add_argument("--no-smoke-test", action="store_true", help="do not run the bundle's --version")
    args = parser.parse_args(argv)

    version = project_version()
    fonts = sorted((REPO / "resources" / "fonts").glob("*.otf"))
    if not fonts:
        print("warning: resources/fonts/ has no fonts; run build/subset_fonts.py", file=sys.stderr)

    started = time.monotonic()
    build_bundle(args.clean)
    elapsed = time.monotonic() - started
    size = folder_size(BUNDLE_DIR)
    print(f"bundle: {BUNDLE_DIR} ({size / 1_000_000:.0f} MB) built in {elapsed:.0f} s")

    ok = args.no_smoke_test or smoke_test(version)

    if WINDOWS and not args.no_installer:
        installer = build_installer(version)
        if installer:
            print(f"installer: {installer} ({installer.stat().st_size / 1_000_000:.0f} MB)")
    elif not WINDOWS:
        print("not on Windows: the installer is built only for a Windows bundle (see docs/packaging.md)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
