"""The frozen program: build/build.py makes the PyInstaller bundle once per test session (in a temporary folder),
and the bundle's own executable prints tickets (read back from the bytes it sends), prints the A4 test page,
reads the simulated ID card, renders every screen with only the fonts it carries, and runs the benchmarks that
start it again in child processes. It carries no development tools and none of the Qt pieces no screen uses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.pdftext import pdf_text

REPO = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT_S = 900
LINUX_SIZE_GOAL_MIB = 150

pytestmark = pytest.mark.timeout(BUILD_TIMEOUT_S)


@dataclass(frozen=True)
class Bundle:
    folder: Path
    executable: Path
    build_output: str

    def run(
        self, tmp_path: Path, *args: str, timeout: float = 180, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """The frozen program with a data directory of its own, as a terminal operator would run it."""
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "PYTHON"))}
        # Spoken prompts stay on: the bundle's engine runs in a process of its own, so a speech-dispatcher that
        # hangs (on a bare machine without sound it may) leaves the program silent, not stalled.
        environment |= {"QT_QPA_PLATFORM": "offscreen", **env}
        return subprocess.run(
            [str(self.executable), "--data-dir", str(tmp_path / "data"), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment,
            cwd=tmp_path,
        )


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the dev group: uv sync --group dev")
    root = tmp_path_factory.mktemp("frozen")
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "build" / "build.py"),
            "--no-installer",
            "--dist-dir",
            str(root / "dist"),
            "--work-dir",
            str(root / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    folder = root / "dist" / "kiosk"
    return Bundle(
        folder, folder / ("kiosk-console.exe" if sys.platform == "win32" else "kiosk"), result.stdout
    )


# ---------------------------------------------------------------- reading ESC/POS back


@dataclass
class Printout:
    """What an ESC/POS byte stream prints: its text, its printer-drawn QR codes and its raster pictures."""

    text: str = ""
    qr_payloads: list[str] = field(default_factory=list)
    picture_rows: list[list[int]] = field(default_factory=list)  # one list of 0/1 per dot row
    cut: bool = False

    def picture(self) -> Image.Image:
        width = max(len(row) for row in self.picture_rows)
        image = Image.new("L", (width, len(self.picture_rows)), 255)
        image.putdata([0 if bit else 255 for row in self.picture_rows for bit in row])
        return image


# ESC/FS/GS commands and how many parameter bytes follow them (the ones without a length field).
_FIXED = {b"\x1b@": 0, b"\x1ba": 1, b"\x1bd": 1, b"\x1b!": 1, b"\x1bE": 1, b"\x1bt": 1, b"\x1bM": 1,
          b"\x1b2": 0, b"\x1b3": 1, b"\x1c&": 0, b"\x1c.": 0, b"\x1d!": 1, b"\x1dB": 1}  # fmt: skip


def read_escpos(data: bytes) -> Printout:
    out = Printout()
    text = bytearray()
    i = 0
    while i < len(data):
        if data[i] not in (0x1B, 0x1C, 0x1D):
            text.append(data[i])
            i += 1
            continue
        command = data[i : i + 2]
        if command in _FIXED:
            i += 2 + _FIXED[command]
        elif command == b"\x1dV":  # cut: GS V m, plus n for m = 65, 66
            out.cut = True
            i += 4 if data[i + 2] in (65, 66) else 3
        elif command == b"\x1d(" and data[i + 2 : i + 3] == b"k":  # GS ( k pL pH cn fn [data]
            length = data[i + 3] + 256 * data[i + 4]
            body = data[i + 5 : i + 5 + length]
            if body[:3] == b"1P0":  # store the QR code's data
                out.qr_payloads.append(body[3:].decode("utf-8"))
            i += 5 + length
        elif data[i : i + 3] == b"\x1dv0":  # GS v 0 m xL xH yL yH: a raster picture band
            width_bytes = data[i + 4] + 256 * data[i + 5]
            height = data[i + 6] + 256 * data[i + 7]
            raster = data[i + 8 : i + 8 + width_bytes * height]
            for row in range(height):
                line = raster[row * width_bytes : (row + 1) * width_bytes]
                out.picture_rows.append([(byte >> (7 - bit)) & 1 for byte in line for bit in range(8)])
            i += 8 + width_bytes * height
        else:
            raise AssertionError(f"unexpected ESC/POS command {data[i : i + 3]!r} at byte {i}")
    out.text = text.decode("gb18030")
    return out


# ---------------------------------------------------------------- the program


def test_the_bundle_is_built_and_answers(bundle: Bundle, tmp_path: Path) -> None:
    from kiosk import __version__

    assert "smoke test: " in bundle.build_output
    version = bundle.run(tmp_path, "--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"kiosk {__version__}")
    help_ = bundle.run(tmp_path, "--help")
    assert help_.returncode == 0, help_.stderr
    for command in ("run", "screenshot", "print", "idcard", "bench", "center"):
        assert re.search(rf"^\s+{command}\s", help_.stdout, re.MULTILINE), command


def test_the_bundles_center_serves_its_console(bundle: Bundle, tmp_path: Path) -> None:
    """The console's templates, htmx and English catalog are found in the bundle (importlib.resources)."""
    import requests

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "PYTHON"))}
    errors = (tmp_path / "center.err").open("w")
    center = subprocess.Popen(
        [str(bundle.executable), "--data-dir", str(tmp_path / "data"), "center", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env=environment,
        cwd=tmp_path,
    )
    try:
        assert center.stdout is not None
        url = ""
        while not url:
            line = center.stdout.readline()
            assert line, f"the center exited: {center.wait(10)}"
            found = re.search(r"serving (http://127\.0\.0\.1:\d+)", line)
            url = found.group(1) if found else ""
        deadline = time.monotonic() + 60
        while True:  # the address is bound before the server listens on it
            try:
                signin = requests.get(url + "/console/signin", timeout=30)
                break
            except requests.ConnectionError:
                assert center.poll() is None, (tmp_path / "center.err").read_text()
                assert time.monotonic() < deadline, "the center did not answer"
                time.sleep(0.2)
        assert signin.status_code == 200 and "登录" in signin.text
        english = requests.get(url + "/console/signin", cookies={"kiosk_console_lang": "en"}, timeout=30)
        assert "Sign in" in english.text
        htmx = requests.get(url + "/console/static/htmx.min.js", timeout=30)
        assert htmx.status_code == 200 and 'version:"2.' in htmx.text
    finally:
        center.terminate()
        center.wait(30)
        errors.close()
        if center.stdout is not None:
            center.stdout.close()


@pytest.mark.parametrize("mode", ["gb18030", "image"])
def test_a_ticket_prints_with_its_number(bundle: Bundle, tmp_path: Path, mode: str) -> None:
    target = tmp_path / "ticket.bin"
    result = bundle.run(
        tmp_path, "--ticket-printer", "file", "--ticket-target", str(target), "--ticket-text-mode", mode,
        "--terminal-id", "T-0a1b2c3d", "print", "test", "--printer", "ticket", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    job = json.loads(result.stdout)
    assert (job["state"], job["output"]) == ("done", str(target))
    printout = read_escpos(target.read_bytes())
    assert printout.cut
    if mode == "gb18030":
        assert "A012" in printout.text and "政务服务中心 取号凭条" in printout.text
        assert "业务类型：综合受理" in printout.text and "请留意叫号" in printout.text
        [payload] = printout.qr_payloads
    else:  # one picture, the QR code drawn into it: read it back from the dots
        assert printout.text.strip() == "" and not printout.qr_payloads
        [code] = zxingcpp.read_barcodes(printout.picture())
        payload = code.text
    assert payload.startswith("KIOSK-TICKET A012 T-0a1b2c3d ")


def test_the_bundle_says_its_release_version(bundle: Bundle) -> None:
    """build.py writes the release's version into the bundle's root: what the supervisor and updates read."""
    from kiosk import __version__
    from kiosk.ops.layout import VERSION_FILE

    assert (bundle.folder / VERSION_FILE).read_text(encoding="utf-8") == f"{__version__}\n"
    assert f"release {__version__}" in bundle.build_output


def test_a_usb_printer_is_looked_for_through_the_bundled_libusb(bundle: Bundle, tmp_path: Path) -> None:
    """pyusb finds a libusb in the bundle (Windows has none of its own: the bundle carries libusb-package's DLL), so
    a printer that is not plugged in is "not found", not "no USB back-end"."""
    result = bundle.run(
        tmp_path, "--ticket-printer", "usb", "--ticket-target", "0416:5011", "print", "test", "--printer", "ticket",
        "--json",
    )  # fmt: skip
    job = json.loads(result.stdout)
    assert (job["state"], job["code"]) == ("failed", "offline"), result.stdout
    log = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "data" / "logs").glob("*.log*"))
    assert "usb printer 0416:5011: cannot open" in log
    assert "No backend available" not in log and "not found" in log


def test_the_a4_test_page_prints(bundle: Bundle, tmp_path: Path) -> None:
    result = bundle.run(tmp_path, "--a4-printer", "pdf", "print", "test", "--printer", "a4", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    job = json.loads(result.stdout)
    assert job["state"] == "done"
    assert "打印测试页" in pdf_text(job["output"])


def test_the_simulated_id_card_is_read(bundle: Bundle, tmp_path: Path) -> None:
    result = bundle.run(tmp_path, "idcard", "read", "--driver", "simulator", "--json")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["driver"] == "simulator" and "*" in card["name"] and "*" in card["id_number"]


def test_the_speech_process_is_the_bundle_itself(bundle: Bundle, tmp_path: Path) -> None:
    """The terminal starts its speech engine as the bundle's own executable with a hidden first argument."""
    request = json.dumps({"op": "say", "id": 1, "text": "你好", "language": "zh_CN"}) + "\n"
    result = subprocess.run(
        [str(bundle.executable), "_speech", "no-such-engine"],
        input=request,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert answers == [{"event": "none"}, {"event": "ack", "id": 1}]


def test_every_screen_renders_with_only_the_bundled_fonts(bundle: Bundle, tmp_path: Path) -> None:
    no_fonts = tmp_path / "fonts.conf"
    no_fonts.write_text("<fontconfig/>\n", encoding="utf-8")
    listed = bundle.run(tmp_path, "screenshot", "--list")
    names = [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]
    assert "search" in names and "home" in names
    out = tmp_path / "screens"
    result = bundle.run(
        tmp_path, "screenshot", "all", "--out-dir", str(out), timeout=600, FONTCONFIG_FILE=str(no_fonts)
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert sorted(p.stem for p in out.glob("*.png")) == sorted(names)
    with Image.open(out / "search.png") as search:  # the keyboard is up: its bottom rows are not the page
        assert search.size == (1080, 1920)
        keyboard = search.convert("L").crop((0, 1600, 1080, 1920))
        assert sum(1 for count in keyboard.histogram() if count) > 20


def test_the_benchmarks_start_the_bundle_itself(bundle: Bundle, tmp_path: Path) -> None:
    startup = bundle.run(tmp_path, "bench", "startup", "--runs", "1", "--json", timeout=300)
    assert startup.returncode == 0, startup.stderr[-2000:]
    figures = json.loads(startup.stdout)
    assert figures["program"] == "bundle"
    assert figures["bare_qt_quick_ms"]["median"] > 0 and figures["kiosk_home_ms"]["median"] > 0
    sync = bundle.run(
        tmp_path, "bench", "sync", "--records", "50", "--items", "200", "--repeat", "1", "--json", timeout=300
    )
    assert sync.returncode == 0, sync.stderr[-2000:]
    figures = json.loads(sync.stdout)
    assert figures["pulled_items"] == 200 and figures["delta_items"] == 100


# ---------------------------------------------------------------- what ships


def _closure(packages: dict[str, dict], roots: list[dict]) -> set[str]:
    """The packages of uv.lock that `roots` (dependency entries) pull in, with the extras they name."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        dep = todo.pop()
        package = packages[dep["name"]]
        for extra in dep.get("extra", []):
            todo.extend(package.get("optional-dependencies", {}).get(extra, []))
        if dep["name"] not in seen:
            seen.add(dep["name"])
            todo.extend(package.get("dependencies", []))
    return seen


def dev_only_modules() -> set[str]:
    """Top-level modules that only the dev and build groups bring (uv.lock), not the terminal or its center."""
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    packages = {p["name"]: p for p in lock["package"]}
    kiosk = packages["kiosk"]
    runtime = _closure(packages, kiosk["dependencies"] + kiosk["optional-dependencies"]["center"])
    groups = kiosk["dev-dependencies"]
    tools = _closure(packages, [dep for group in groups.values() for dep in group if "name" in dep]) - runtime
    normalize = lambda name: re.sub(r"[-_.]+", "-", name).lower()  # noqa: E731
    return {
        module
        for module, dists in packages_distributions().items()
        if any(normalize(d) in tools for d in dists) and not module.startswith("_")
    }


def test_the_bundle_carries_no_development_tools(bundle: Bundle) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    modules = {
        name.split(".")[0]
        for name in CArchiveReader(str(bundle.executable)).open_embedded_archive("PYZ.pyz").toc
    }
    folders = {p.name for p in (bundle.folder / "_internal").iterdir()}
    tools = dev_only_modules()
    assert {"hypothesis", "pytest", "PyInstaller", "schemathesis"} <= tools
    assert not tools & modules, sorted(tools & modules)
    assert not tools & folders, sorted(tools & folders)
    assert {"kiosk", "drivers", "escpos", "fastapi", "PIL"} <= modules  # the center runs from the bundle too


def test_the_bundle_leaves_out_what_no_screen_uses(bundle: Bundle) -> None:
    internal = bundle.folder / "_internal"
    qt = internal / "PySide6" / ("Qt" if (internal / "PySide6" / "Qt").is_dir() else "")
    controls = qt / "qml" / "QtQuick" / "Controls"
    assert sorted(p.name for p in controls.iterdir() if p.is_dir()) == ["Basic", "impl"]
    for gone in (
        "qml/QtQuick/Dialogs",
        "qml/Qt5Compat",
        "qml/Qt/labs/assetdownloader",
        "plugins/platformthemes",
    ):
        assert not (qt / gone).exists(), gone
    assert not list(internal.rglob("*ShaderTools*")) and not list(internal.rglob("*QuickControls2Material*"))
    for kept in ("qml/QtQuick/VirtualKeyboard/Plugins/Pinyin", "qml/QtQuick/VirtualKeyboard/Styles/Builtin"):
        assert (qt / kept).is_dir(), kept
    assert (internal / "escpos" / "capabilities.json").is_file()
    # python-stdnum's tables (the program computes damm check digits, which need none), Pillow's colour management
    assert not list((internal / "stdnum").rglob("*.dat")) and not list(internal.rglob("*lcms2*"))
    assert (internal / "pypinyin" / "phrases_dict.json").is_file()
    # QtQuick's binding loads with a placeholder for the OpenGL binding (build/pyi_rth_placeholders.py)
    assert not list((internal / "PySide6").glob("QtOpenGL.*")) and list(
        (internal / "PySide6").glob("QtQuick.*")
    )
    # the keyboard's input methods for Japanese, Korean, Thai and Traditional Chinese; Qt's type information
    plugins = qt / "qml" / "QtQuick" / "VirtualKeyboard" / "Plugins"
    assert sorted(p.name for p in plugins.iterdir() if p.is_dir()) == ["Pinyin"]
    assert not list(internal.rglob("*.qmltypes")) and not list((internal / "resources").rglob("*.ts"))
    if sys.platform.startswith("linux"):  # Pillow's copies of libxcb and libXau: the system's serve
        assert not list(internal.rglob("libXau*")) and not list(internal.rglob("libxcb*"))
    if sys.platform.startswith("linux"):
        size = sum(f.stat().st_size for f in bundle.folder.rglob("*") if f.is_file() and not f.is_symlink())
        margin = LINUX_SIZE_GOAL_MIB - size / 1024 / 1024
        print(
            f"bundle: {size / 1024 / 1024:.1f} MiB, {margin:.1f} MiB below the goal of {LINUX_SIZE_GOAL_MIB}"
        )
        assert margin >= 0, f"{size / 1024 / 1024:.1f} MiB"
        assert (
            f"goal on Linux <= {LINUX_SIZE_GOAL_MIB} MiB: met, {margin:.1f} MiB to spare"
            in bundle.build_output
        )


def test_the_bundle_carries_only_the_pillow_plugins_the_tickets_use(bundle: Bundle) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    modules = set(CArchiveReader(str(bundle.executable)).open_embedded_archive("PYZ.pyz").toc)
    plugins = {name.removeprefix("PIL.") for name in modules if name.endswith("ImagePlugin")}
    assert plugins == {"BmpImagePlugin", "GifImagePlugin", "JpegImagePlugin", "MpoImagePlugin", "PngImagePlugin",
                       "PpmImagePlugin", "TiffImagePlugin"}  # fmt: skip
    assert "PIL.ImageCms" not in modules and "PIL.ImageDraw" in modules and "PIL.ImageFont" in modules


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the Linux bundle's ICU (Windows Qt uses Windows')"
)
def test_the_bundled_icu_answers_what_qt_asks_in_chinese_and_english(bundle: Bundle) -> None:
    """ICU's data library is trimmed to Chinese and English (build/icu_data.py): the bundle's own ICU still sorts by
    pinyin, decodes the Chinese character sets and names the time zone."""
    qt_lib = bundle.folder / "_internal" / "PySide6" / "Qt" / "lib"
    [data] = qt_lib.glob("libicudata.so.*")
    assert data.stat().st_size < 6 * 1024 * 1024  # 31 MB in full
    probe = subprocess.run(
        [sys.executable, str(REPO / "build" / "icu_data.py"), "--probe", str(data), str(qt_lib)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == {
        "collation": {"zh_CN": ["zh", -1], "en_US": ["root", 1]},  # 阿 (a) before 中 (zhong) in pinyin order
        "converters": {"GB18030": "粤智助", "GBK": "粤智助", "GB2312": "粤智助", "Big5": "政務服務"},
        "zone_names": {"zh_CN": "中国标准时间", "en_US": "China Standard Time"},
    }


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the Linux bundle takes some libraries from the host"
)
def test_the_host_provides_every_library_the_bundle_leaves_to_it(bundle: Bundle) -> None:
    """The libraries left to the system (X11, CUPS, PulseAudio, ...) are installed: scripts/setup.sh's packages."""
    internal = bundle.folder / "_internal"
    binaries = [p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    search = ":".join(sorted({str(p.parent) for p in binaries}))  # the bundle's own libraries are found
    missing: dict[str, list[str]] = {}
    for binary in binaries:
        result = subprocess.run(
            ["ldd", str(binary)],
            capture_output=True,
            text=True,
            env={**os.environ, "LD_LIBRARY_PATH": search},
            timeout=60,
        )
        for library in re.findall(r"^\s*(\S+) => not found", result.stdout, re.MULTILINE):
            missing.setdefault(library, []).append(str(binary.relative_to(internal)))
    assert not missing, f"not on this system (add its Debian package to scripts/setup.sh): {missing}"
