"""Build the terminal's one-dir bundle with PyInstaller and, on Windows, its NSIS installer.

    python build/build.py [--clean] [--no-installer] [--no-smoke-test] [--dist-dir DIR] [--work-dir DIR]
                          [--version V]

PyInstaller builds for the operating system it runs on: run this on Windows for the terminals
(build/dist/kiosk/kiosk.exe, then build/dist/GovKiosk-Setup-<version>.exe when makensis is on PATH);
on Linux it makes the Linux bundle (build/dist/kiosk/kiosk), useful for smoke tests. The bundle's root holds a
file VERSION with the release's version: what the supervisor and the updates read (kiosk.ops.layout).
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
INSTALLER_SCRIPT = REPO / "installer.nsi"
WINDOWS = sys.platform == "win32"
MIB = 1024 * 1024
# What the Linux bundle may weigh (build/kiosk.spec leaves out what no screen uses; docs/packaging.md).
LINUX_SIZE_GOAL_MIB = 150
# The release's version in the bundle's root (kiosk.ops.layout.VERSION_FILE: running_version() reads it).
VERSION_FILE = "VERSION"


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


def largest_parts(bundle: Path, count: int = 8) -> list[tuple[str, int]]:
    """The heaviest files and folders directly under the bundle's _internal/ (or the bundle), largest first."""
    root = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    sizes = [
        (p.name, folder_size(p) if p.is_dir() else p.stat().st_size)
        for p in root.iterdir()
        if not p.is_symlink()
    ]
    return sorted(sizes, key=lambda item: -item[1])[:count]


def run(cmd: list[str], cwd: Path) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=cwd)


def build_bundle(clean: bool, dist_dir: Path, work_dir: Path) -> None:
    if clean:
        for folder in (dist_dir / "kiosk", work_dir):
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
        str(dist_dir),
        "--workpath",
        str(work_dir),
    ]
    if clean:
        cmd.append("--clean")
    run(cmd, cwd=REPO)


def write_version(bundle: Path, version: str) -> None:
    """The release's version in the bundle's root, where the running program and its supervisor read it."""
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+\-]{0,63}", version) or ".." in version:
        raise SystemExit(f"{version!r} is not a version name (letters, digits, '.', '-', '+')")
    (bundle / VERSION_FILE).write_text(version + "\n", encoding="utf-8")


def smoke_test(version: str, bundle: Path) -> bool:
    """Run the bundled executable with --version; True when it prints `kiosk <version>`."""
    exe = bundle / ("kiosk-console.exe" if WINDOWS else "kiosk")
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


def build_installer(version: str, bundle: Path) -> Path | None:
    makensis = shutil.which("makensis")
    if not makensis:
        print("makensis not on PATH: installer not built (install NSIS 3, then run this again)")
        return None
    out_file = bundle.parent / f"GovKiosk-Setup-{version}.exe"
    run(
        [
            makensis,
            "-V2",
            "-WX",
            f"-DVERSION={version}",
            f"-DVI_VERSION={file_version(version)}",
            f"-DDIST_DIR={bundle}",
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
    parser.add_argument(
        "--dist-dir", type=Path, default=DIST_DIR, help="where the bundle goes (default build/dist)"
    )
    parser.add_argument(
        "--work-dir", type=Path, default=WORK_DIR, help="PyInstaller's work files (default build/work)"
    )
    parser.add_argument(
        "--version",
        dest="release",
        metavar="V",
        help="the release's version written to the bundle's VERSION file (default: kiosk/__init__.py's)",
    )
    args = parser.parse_args(argv)
    dist_dir, work_dir = args.dist_dir.resolve(), args.work_dir.resolve()
    bundle = dist_dir / "kiosk"

    version = project_version()
    release = args.release or version
    fonts = sorted((REPO / "resources" / "fonts").glob("*.otf"))
    if not fonts:
        print("warning: resources/fonts/ has no fonts; run build/subset_fonts.py", file=sys.stderr)

    started = time.monotonic()
    build_bundle(args.clean, dist_dir, work_dir)
    write_version(bundle, release)
    elapsed = time.monotonic() - started
    size = folder_size(bundle)
    print(f"bundle: {bundle} built in {elapsed:.0f} s, release {release}")
    print(f"bundle size: {size / MIB:.1f} MiB", end="")
    if sys.platform.startswith("linux"):
        margin = LINUX_SIZE_GOAL_MIB - size / MIB
        verdict = f"met, {margin:.1f} MiB to spare" if margin >= 0 else f"NOT met, {-margin:.1f} MiB over"
        print(f" (goal on Linux <= {LINUX_SIZE_GOAL_MIB} MiB: {verdict})", end="")
    print("; largest parts: " + ", ".join(f"{name} {part / MIB:.1f}" for name, part in largest_parts(bundle)))

    ok = args.no_smoke_test or smoke_test(version, bundle)

    if WINDOWS and not args.no_installer:
        installer = build_installer(release, bundle)
        if installer:
            print(f"installer: {installer} ({installer.stat().st_size / 1_000_000:.0f} MB)")
    elif not WINDOWS:
        print("not on Windows: the installer is built only for a Windows bundle (see docs/packaging.md)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
