"""Packaging: the NSIS installer compiles, the PyInstaller spec ships what the terminal needs and nothing
it does not, and the shipped fonts cover the UI's text. (tests/test_frozen_program.py builds the bundle and runs
it.)"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "build" / "kiosk.spec"
INSTALLER = REPO / "installer.nsi"
FONTS = REPO / "resources" / "fonts"
FONT_FILES = {"Regular": FONTS / "NotoSansCJKsc-Regular.otf", "Bold": FONTS / "NotoSansCJKsc-Bold.otf"}

UI_CRITICAL_STRINGS = [
    "办事指南",
    "社保卡补换卡",
    "长辈模式",
    "离线服务中",
    "请把身份证放在感应区",
    "维护",
    "返回首页",
    "打印预览",
    "粤智助",
    "7×24小时自助服务",
    "请稍候……",
    "（１／３）：“确定”",
    "¥￥℃№①②③←→↑↓▶◀●○★☎✓",
]

# Code points that count as Chinese text: CJK symbols and punctuation, ideographs, full-width forms.
CJK_TEXT = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def load_script(name: str) -> ModuleType:
    path = REPO / "build" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"build_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- installer


def fake_bundle(root: Path) -> Path:
    dist = root / "dist" / "kiosk"
    (dist / "_internal" / "resources" / "fonts").mkdir(parents=True)
    (dist / "kiosk.exe").write_bytes(b"MZ dummy terminal executable")
    (dist / "kiosk-console.exe").write_bytes(b"MZ dummy console executable")
    (dist / "_internal" / "resources" / "fonts" / "README.md").write_text("fonts\n", encoding="utf-8")
    return dist


def makensis(*defines: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("makensis")
    assert exe, "makensis not found: install the Debian package 'nsis' (scripts/setup.sh does)"
    return subprocess.run(
        [exe, "-V2", "-WX", *(f"-D{d}" for d in defines), str(INSTALLER)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_installer_compiles_cleanly_against_a_bundle(tmp_path: Path) -> None:
    dist = fake_bundle(tmp_path)
    out = tmp_path / "out" / "GovKiosk-Setup-0.1.0.exe"
    out.parent.mkdir()
    result = makensis(f"DIST_DIR={dist}", "VERSION=0.1.0", f"OUT_FILE={out}")
    assert result.returncode == 0, result.stdout + result.stderr  # -WX: warnings fail too
    installer = out.read_bytes()
    assert installer[:2] == b"MZ"
    assert out.stat().st_size > 50_000
    # the program's icon is the installer's: its largest picture (PNG, the last in the file) is in there
    icon = (REPO / "resources" / "icons" / "kiosk.ico").read_bytes()
    assert icon[icon.rindex(b"\x89PNG") :] in installer


def test_installer_takes_a_prerelease_version_with_a_file_version(tmp_path: Path) -> None:
    build = load_script("build")
    assert build.file_version("1.2.3rc1") == "1.2.3.0"
    assert build.file_version("2.0") == "2.0.0.0"
    dist = fake_bundle(tmp_path)
    out = tmp_path / "GovKiosk-Setup-1.2.3rc1.exe"
    result = makensis(f"DIST_DIR={dist}", "VERSION=1.2.3rc1", "VI_VERSION=1.2.3.0", f"OUT_FILE={out}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.is_file()


def test_installer_script_is_bilingual_and_keeps_data_by_default() -> None:
    raw = INSTALLER.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "makensis needs the UTF-8 byte-order mark for the Chinese strings"
    text = raw.decode("utf-8-sig")
    assert re.search(r"^Unicode true", text, re.MULTILINE)
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    assert '!insertmacro MUI_LANGUAGE "English"' in text
    for name in re.findall(r"^LangString (\w+) \$\{LANG_SIMPCHINESE\}", text, re.MULTILINE):
        assert re.search(rf"^LangString {name} \$\{{LANG_ENGLISH\}}", text, re.MULTILINE), name
    # The data folder is removed only from an opt-in (/o) uninstaller section.
    assert re.search(r'^Section /o "un\.\$\(UnSecDataName\)"', text, re.MULTILINE)
    assert "$PROGRAMFILES64" in text


def test_the_program_icon_is_a_multi_size_windows_icon_made_from_the_project_art() -> None:
    from PIL import Image

    icon = REPO / "resources" / "icons" / "kiosk.ico"
    make_icon = load_script("make_icon")
    assert make_icon.main(["--check"]) == 0, (
        "resources/icons/kiosk.ico is out of date: run build/make_icon.py"
    )
    with Image.open(icon) as image:
        assert image.format == "ICO"
        assert {(s, s) for s in (16, 24, 32, 48, 256)} <= image.info["sizes"]
        image.size = (256, 256)
        image.load()
        assert image.mode == "RGBA" and image.getpixel((128, 20))[:3] == (0x0B, 0x4E, 0xA2)  # Theme.primary
    text = INSTALLER.read_text(encoding="utf-8-sig")
    assert re.search(r'^!define MUI_ICON ".*kiosk\.ico"', text, re.MULTILINE)
    assert spec_namespace()["ICON"] == icon


# ---------------------------------------------------------------- PyInstaller spec


def spec_namespace() -> dict[str, Any]:
    """The spec's constants and helper functions, without running PyInstaller (not in the dev group)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    body = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PyInstaller"):
            continue
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name) and func.id in {"Analysis", "PYZ", "COLLECT"}:
                break  # the build itself starts here
        body.append(node)
    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent), "__name__": "kiosk_spec"}
    exec(compile(ast.Module(body=body, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


def test_spec_is_python_and_builds_the_kiosk_entry_point() -> None:
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text)
    assert '"kiosk" / "__main__.py"' in text
    assert "COLLECT(" in text  # one-dir
    ns = spec_namespace()
    assert ns["DATAS"][0] == (str(REPO / "resources"), "resources")
    # The center's web console reads its templates, htmx and English catalog from its package (importlib.resources).
    console = REPO / "kiosk" / "center" / "console"
    assert ns["DATAS"][1:] == [
        (str(console / "templates"), "kiosk/center/console/templates"),
        (str(console / "static"), "kiosk/center/console/static"),
        (str(console / "en.json"), "kiosk/center/console"),
    ]
    assert all(Path(source).exists() for source, _ in ns["DATAS"])
    assert ns["APP_NAME"] == "kiosk"


def test_spec_bundles_the_resources_that_resources_dir_points_at() -> None:
    from kiosk.resources_path import RESOURCES_DIR_NAME, resources_dir

    ns = spec_namespace()
    (source, dest) = ns["DATAS"][0]
    assert dest == RESOURCES_DIR_NAME
    assert Path(source) == resources_dir()
    for sub in ("qml", "fonts", "translations", "icons"):  # (demo/ may be empty, so absent in a clone)
        assert (resources_dir() / sub).is_dir(), sub


def test_spec_excludes_unused_qt_modules_and_keeps_the_ones_used() -> None:
    ns = spec_namespace()
    excluded = set(ns["EXCLUDES"])
    for module in (
        "QtWebEngineCore", "QtWebEngineQuick", "Qt3DCore", "QtCharts", "QtDataVisualization", "QtMultimediaWidgets",
        "QtBluetooth", "QtNfc", "QtPositioning", "QtLocation", "QtSensors", "QtSerialBus", "QtWebSockets",
        "QtDesigner", "QtHelp", "QtSql", "QtTest", "QtQuickControls2",
    ):  # fmt: skip
        assert f"PySide6.{module}" in excluded, module
    hidden = set(ns["HIDDEN_IMPORTS"])
    for module in (
        "QtCore", "QtGui", "QtNetwork", "QtQml", "QtQuick", "QtPrintSupport", "QtPdf", "QtSvg", "QtTextToSpeech",
        "QtMultimedia",  # the display's chime (QSoundEffect; no media back-end plugin)
    ):  # fmt: skip
        assert f"PySide6.{module}" not in excluded, module
        assert f"PySide6.{module}" in hidden, module
    assert "kiosk.cli.main" in hidden and "kiosk.resources_path" in hidden
    assert "libusb_package" in hidden  # its hook ships libusb-1.0.dll in the Windows bundle
    for tool in ("hypothesis", "pytest", "schemathesis", "mypy", "rich", "pygments"):  # the dev group
        assert tool in excluded, tool


def qml_imports() -> set[str]:
    """Every module a QML file of the screens imports (not the project's own KioskUi)."""
    found = set()
    for path in (REPO / "resources" / "qml").rglob("*.qml"):
        found |= set(
            re.findall(r"^\s*import\s+([A-Za-z][\w.]*)", path.read_text(encoding="utf-8"), re.MULTILINE)
        )
    return found - {"KioskUi"}


def test_spec_ships_every_qml_module_a_screen_imports() -> None:
    used = spec_namespace()["USED_QML"]
    imports = qml_imports()
    assert {"QtQuick", "QtQuick.Controls.Basic", "QtQuick.VirtualKeyboard"} <= imports
    for module in imports:
        assert module.replace(".", "/") in used, module
    # and what they need: the keyboard's styles and its pinyin input method, the Basic style's implementation
    for module in ("QtQuick/VirtualKeyboard/Styles/Builtin", "QtQuick/VirtualKeyboard/Plugins/Pinyin",
                   "QtQuick/Controls/Basic/impl", "QtQuick/Templates"):  # fmt: skip
        assert module in used, module


@pytest.mark.parametrize(
    ("dest", "shipped"),
    [
        # Linux/macOS wheel layout (PySide6/Qt/...): shared libraries are pruned by what links them
        ("PySide6/Qt/lib/libQt6Quick.so.6", True),
        ("PySide6/Qt/qml/QtQuick/qmldir", True),
        ("PySide6/Qt/qml/QtQuick/VirtualKeyboard/Plugins/Pinyin/libqtvkbpinyinplugin.so", True),
        ("PySide6/Qt/qml/QtQuick/VirtualKeyboard/Styles/Builtin/qmldir", True),
        ("PySide6/Qt/qml/QtQuick/Controls/Basic/qmldir", True),
        ("PySide6/Qt/qml/QtQuick/Controls/Basic/impl/qmldir", True),
        ("PySide6/Qt/qml/QtQuick/Controls/Material/qmldir", False),
        ("PySide6/Qt/qml/QtQuick/Controls/FluentWinUI3/libqtquickcontrols2fluentwinui3styleplugin.so", False),
        ("PySide6/Qt/qml/QtQuick/Controls/Imagine/impl/qmldir", False),
        ("PySide6/Qt/qml/QtQuick/Controls/designer/SpinBoxSpecifics.qml", False),
        ("PySide6/Qt/qml/QtQuick/Dialogs/qmldir", False),
        ("PySide6/Qt/qml/Qt5Compat/GraphicalEffects/qmldir", False),
        ("PySide6/Qt/qml/Qt/labs/assetdownloader/qmldir", False),
        ("PySide6/Qt/qml/QtQuick/Pdf/qmldir", False),
        ("PySide6/Qt/qml/Qt3D/Core/qmldir", False),
        ("PySide6/Qt/qml/QtQuick/LocalStorage/qmldir", False),
        ("PySide6/Qt/qml/builtins.qmltypes", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
        ("PySide6/Qt/plugins/texttospeech/libqtexttospeech_speechd.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", False),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        # type information for Qt's tools, QML files Qt reads from the plugins' resources (their qmldir says prefer),
        # the keyboard's input methods for languages the terminal does not offer, Qt's TLS back-ends
        ("PySide6/Qt/qml/QtQuick/plugins.qmltypes", False),
        ("PySide6/Qt/qml/QtQuick/VirtualKeyboard/Components/Keyboard.qml", False),
        ("PySide6/Qt/qml/QtQuick/Controls/Basic/Button.qml", False),
        ("PySide6/Qt/qml/QtQuick/VirtualKeyboard/Plugins/qmldir", True),
        ("PySide6/Qt/qml/QtQuick/VirtualKeyboard/Plugins/OpenWNN/libqtvkbopenwnnplugin.so", False),
        ("PySide6/Qt/qml/QtQuick/VirtualKeyboard/Plugins/TCIme/qmldir", False),
        ("PySide6/Qt/qml/QtQuick/VirtualKeyboard/Plugins/Hangul/libqtvkbhangulplugin.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        # Windows wheel layout (PySide6/...)
        ("PySide6/Qt6Quick.dll", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/plugins/texttospeech/qtexttospeech_sapi.dll", True),
        ("PySide6/plugins/position/qtposition_positionpoll.dll", False),
        ("PySide6/qml/QtQuick/VirtualKeyboard/Plugins/Pinyin/qtvkbpinyinplugin.dll", True),
        ("PySide6/qml/QtQuick/Controls/Universal/qtquickcontrols2universalstyleplugin.dll", False),
        ("PySide6/qml/QtCharts/qtchartsqml2plugin.dll", False),
        ("PySide6/translations/qt_zh_CN.qm", True),
        # the project's own files and those of dependencies
        ("resources/qml/roles/kiosk/Main.qml", True),
        ("resources/fonts/NotoSansCJKsc-Regular.otf", True),
        ("escpos/capabilities.json", True),
        ("libpython3.11.so.1.0", True),
        ("pypinyin/phrases_dict.json", True),
        (
            "stdnum/oui.dat",
            False,
        ),  # python-stdnum's tables: the program uses only stdnum.damm, which reads none
        ("stdnum/cn/loc.dat", False),
        ("resources/translations/kiosk_en.ts", False),  # the program loads the compiled .qm
        ("resources/translations/kiosk_en.qm", True),
    ],
)
def test_spec_filter(dest: str, shipped: bool) -> None:
    keep = spec_namespace()["keep"]
    assert keep((dest, "/src/" + dest, "DATA")) is shipped


def test_spec_leaves_the_host_service_libraries_to_a_linux_system() -> None:
    keep = spec_namespace()["keep"]
    for lib in ("libcups.so.2", "libpulse.so.0", "libX11.so.6", "libxcb-xkb.so.1", "libfontconfig.so.1"):
        assert keep((lib, "/usr/lib/" + lib, "BINARY")) is False, lib
    # Kerberos (QtNetwork links GSSAPI, as CUPS does); every Debian system's C++ runtime, compression and OpenSSL
    for lib in ("libgssapi_krb5.so.2", "libkrb5.so.3", "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1",
                "libzstd.so.1", "liblzma.so.5", "libssl.so.3", "libcrypto.so.3"):  # fmt: skip
        assert keep((lib, "/usr/lib/" + lib, "BINARY")) is False, lib
    # Pillow's own copies of libxcb and libXau (its core names the system's libxcb in the bundle)
    for lib in ("pillow.libs/libxcb-9065bb12.so.1.1.0", "pillow.libs/libXau-154567c4.so.6.0.0"):
        assert keep((lib, "/src/" + lib, "BINARY")) is False, lib
    for lib in ("libsqlite3.so.0", "libpython3.11.so.1.0", "pillow.libs/libtiff-20b7e810.so.6.3.0"):
        assert keep((lib, "/usr/lib/" + lib, "BINARY")) is True, lib


def test_spec_drops_the_libraries_only_left_out_binaries_link() -> None:
    ns = spec_namespace()
    links = {
        "QtQuick.abi3.so": {"libQt6Quick.so.6"},
        "libQt6Quick.so.6": {"libQt6Gui.so.6"},
        "libQt6Gui.so.6": set(),
        "libqmaterialstyleplugin.so": {"libQt6QuickControls2Material.so.6", "libQt6Quick.so.6"},
        "libQt6QuickControls2Material.so.6": {"libQt6Quick.so.6"},
        "libqgtk3.so": {"libgtk-3.so.0"},
        "libgtk-3.so.0": {"libcairo.so.2"},
        "libcairo.so.2": set(),
        "libusb-1.0.so.0": set(),  # opened by name at run time: nothing links it
    }
    ns["linked_libraries"] = lambda path: links[Path(path).name]
    entry = {name: (name, "/src/" + name, "BINARY") for name in links}
    left_out = [entry["libqmaterialstyleplugin.so"], entry["libqgtk3.so"]]
    kept = [e for name, e in entry.items() if e not in left_out]
    dropped = {e[0] for e in ns["unneeded_libraries"](kept, left_out)}
    assert dropped == {"libQt6QuickControls2Material.so.6", "libgtk-3.so.0", "libcairo.so.2"}


def test_spec_rewrites_the_keyboard_plugins_qmldir_without_the_input_methods_left_out(tmp_path: Path) -> None:
    from PySide6.QtCore import QLibraryInfo

    ns = spec_namespace()
    qml = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.QmlImportsPath))
    source = qml / "QtQuick" / "VirtualKeyboard" / "Plugins" / "qmldir"
    dest = "PySide6/Qt/qml/QtQuick/VirtualKeyboard/Plugins/qmldir"
    _, written, _ = ns["without_unused_input_methods"]((dest, str(source), "DATA"), tmp_path)
    imports = re.findall(r"^import (\S+)", Path(written).read_text(encoding="utf-8"), re.MULTILINE)
    assert imports == ["QtQuick.VirtualKeyboard.Plugins.Pinyin"]
    assert "QtQuick/VirtualKeyboard/Plugins/Pinyin" in ns["USED_QML"]
    assert not ns["UNUSED_INPUT_METHODS"] & ns["USED_QML"]
    keyboard = (REPO / "resources" / "qml" / "KioskUi" / "Keyboard.qml").read_text(encoding="utf-8")
    assert 'activeLocales = ["zh_CN", "en_US"]' in keyboard  # the languages whose input methods stay


def test_the_bundle_puts_a_placeholder_for_the_opengl_binding_the_program_never_uses() -> None:
    """QtQuick's binding imports QtOpenGL's (8.5 MB) only for QQuickFramebufferObject's renderer: the program may
    not use either, and the runtime hook's placeholder lets QtQuick load without it."""
    ns = spec_namespace()
    assert ns["PLACEHOLDER_QT_MODULES"] == ["QtOpenGL"] and "PySide6.QtOpenGL" in ns["EXCLUDES"]
    hook = Path(ns["RUNTIME_HOOKS"][0])
    assert '"PySide6.QtOpenGL"' in hook.read_text(encoding="utf-8")
    for folder in ("kiosk", "drivers", "resources/qml"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in (".py", ".qml"):
                text = path.read_text(encoding="utf-8")
                assert "QtOpenGL" not in text and "FramebufferObject" not in text, path
    script = (
        "import importlib.abc, runpy, sys\n"
        "class NoOpenGL(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'PySide6.QtOpenGL':\n"
        "            raise ImportError('not in the bundle')\n"
        "sys.meta_path.insert(0, NoOpenGL())\n"
        f"runpy.run_path({str(hook)!r})\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "from PySide6.QtQuick import QQuickImageProvider, QQuickWindow\n"
        "app = QGuiApplication([])\n"
        "print(type(QQuickWindow()).__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert (result.returncode, result.stdout.strip()) == (0, "QQuickWindow"), result.stderr[-2000:]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Pillow's Linux wheel carries libxcb")
def test_spec_makes_pillows_core_name_the_systems_libxcb(tmp_path: Path) -> None:
    import PIL

    [core] = Path(PIL.__file__).parent.glob("_imaging.cpython-*.so")
    ns = spec_namespace()
    dest, written, kind = ns["with_host_xcb"]((f"PIL/{core.name}", str(core), "EXTENSION"), tmp_path)
    needed = re.findall(r"NEEDED\s+(\S+)", subprocess.run(["objdump", "-p", written], capture_output=True,
                                                          text=True, check=True).stdout)  # fmt: skip
    original = re.findall(r"NEEDED\s+(\S+)", subprocess.run(["objdump", "-p", str(core)], capture_output=True,
                                                           text=True, check=True).stdout)  # fmt: skip
    assert "libxcb.so.1" in needed and not any(n.startswith("libxcb-") for n in needed)
    assert [n for n in needed if n != "libxcb.so.1"] == [n for n in original if not n.startswith("libxcb-")]
    assert Path(written).stat().st_size == core.stat().st_size and (dest, kind) == (
        f"PIL/{core.name}",
        "EXTENSION",
    )


def test_spec_ships_pypinyins_dictionaries_as_the_same_json_without_line_breaks(tmp_path: Path) -> None:
    import pypinyin

    source = Path(pypinyin.__file__).parent / "pinyin_dict.json"
    _, written, _ = spec_namespace()["minified_json"](
        ("pypinyin/pinyin_dict.json", str(source), "DATA"), tmp_path
    )
    assert Path(written).stat().st_size < source.stat().st_size
    assert json.loads(Path(written).read_text(encoding="utf-8")) == json.loads(
        source.read_text(encoding="utf-8")
    )


def test_spec_ships_the_pillow_plugins_that_opening_and_saving_load() -> None:
    """Image.open() and save() import the plugins of Image.preinit() and what those import; the spec keeps them and
    leaves out every other format plugin and colour management."""
    script = (
        "import io, sys\n"
        "from PIL import Image, ImageDraw, ImageFont\n"
        "picture = Image.new('L', (64, 32), 255)\n"
        "ImageDraw.Draw(picture).text((2, 2), 'A012', fill=0, font=ImageFont.load_default(16))\n"
        "png = io.BytesIO()\n"
        "picture.convert('1').save(png, 'PNG')\n"
        "Image.open(io.BytesIO(png.getvalue())).load()\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('PIL.'))))\n"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    plugins = {name.removeprefix("PIL.") for name in loaded if name.endswith("ImagePlugin")}
    ns = spec_namespace()
    assert {"PngImagePlugin", "JpegImagePlugin", "BmpImagePlugin"} <= plugins <= ns["PILLOW_PLUGINS_KEPT"]
    excluded = set(ns["EXCLUDES"])
    assert not loaded & excluded, loaded & excluded
    for module in ("WebPImagePlugin", "AvifImagePlugin", "Jpeg2KImagePlugin", "PdfImagePlugin", "ImageCms",
                   "_imagingcms", "_avif", "_webp"):  # fmt: skip
        assert f"PIL.{module}" in excluded, module


# ---------------------------------------------------------------- ICU's data (the Linux bundle)


def icu_data_library() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this Qt has no ICU data library (Windows wheels use Windows' ICU)")
    return found[0]


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        ("root.res", True),
        ("zh_Hans_CN.res", True),
        ("en_US_POSIX.res", True),
        ("de.res", False),
        ("yue_Hant.res", False),
        ("pool.res", True),
        ("res_index.res", True),
        ("coll/res_index.res", True),
        ("de__PHONEBOOK.res", False),
        ("zone/tzdbNames.res", True),
        ("supplementalData.res", True),
        ("likelySubtags.res", True),
        ("zoneinfo64.res", True),
        # character names, the IDNA mapping, NFKC case folding, confusables: none of Qt's calls reads them
        ("unames.icu", False),
        ("uts46.nrm", False),
        ("nfkc_cf.nrm", False),
        ("confusables.cfu", False),
        ("cnvalias.icu", True),
        ("nfkc.nrm", True),
        ("coll/ucadata.icu", True),
        ("coll/zh.res", True),
        ("coll/de.res", False),
        ("coll/pool.res", True),
        ("zone/zh_Hant.res", True),
        ("zone/fr.res", False),
        ("region/en.res", True),
        ("lang/ja.res", False),
        ("gb18030.cnv", True),
        ("windows-936-2000.cnv", True),
        ("ibm-943_P15A-2003.cnv", False),
        ("unit/zh.res", False),
        ("curr/en.res", False),
        ("translit/root.res", False),
        ("rbnf/zh.res", False),
        ("brkitr/cjdict.dict", False),
        ("brkitr/zh.res", False),
    ],
)
def test_icu_data_keeps_what_qt_reads_in_chinese_and_english(item: str, kept: bool) -> None:
    assert load_script("icu_data").kept(item) is kept


def test_icu_data_reads_and_writes_the_common_data_format_unchanged() -> None:
    icu_data = load_script("icu_data")
    library = icu_data_library()
    symbol, offset, size = icu_data.data_symbol(library)
    with library.open("rb") as f:
        f.seek(offset)
        blob = f.read(size)
    package = icu_data.parse(blob)
    assert re.fullmatch(r"icudt\d+_dat", symbol) and len(package.items) > 3000
    assert icu_data.serialize(package) == blob


def test_trimmed_icu_data_answers_as_the_full_data(tmp_path: Path) -> None:
    icu_data = load_script("icu_data")
    full = icu_data_library()
    trimmed, _, _ = icu_data.trim_library(full, tmp_path)
    assert trimmed.name == full.name and trimmed.stat().st_size < full.stat().st_size / 5
    answers = icu_data.run_probe(trimmed, full.parent)
    assert answers == icu_data.run_probe(full, full.parent)
    assert answers["collation"]["zh_CN"] == ["zh", -1]  # pinyin order: 阿 (a) before 中 (zhong)
    assert answers["zone_names"]["zh_CN"] == "中国标准时间"


# ---------------------------------------------------------------- fonts


@pytest.fixture(scope="module")
def font_cmaps() -> dict[str, dict[int, str]]:
    cmaps = {}
    for weight, path in FONT_FILES.items():
        assert path.is_file(), f"{path} missing: run python build/subset_fonts.py"
        cmaps[weight] = TTFont(path, lazy=True).getBestCmap()
    return cmaps


def test_fonts_are_the_sc_face_in_two_weights_and_small() -> None:
    for weight, path in FONT_FILES.items():
        font = TTFont(path, lazy=True)
        assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
        assert font["OS/2"].usWeightClass == {"Regular": 400, "Bold": 700}[weight]
        assert path.stat().st_size < 5_000_000, f"{path.name}: the subset should stay a few MB"
    licence = (FONTS / "LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


@pytest.mark.parametrize("text", UI_CRITICAL_STRINGS)
def test_fonts_cover_ui_critical_strings(font_cmaps: dict[str, dict[int, str]], text: str) -> None:
    for weight, cmap in font_cmaps.items():
        missing = [ch for ch in text if ch != " " and ord(ch) not in cmap]
        assert not missing, f"{weight}: no glyph for {missing}"


def test_fonts_cover_gb2312(font_cmaps: dict[str, dict[int, str]]) -> None:
    subset_fonts = load_script("subset_fonts")
    chars = list(subset_fonts.gb2312_chars())
    assert len(chars) > 7000  # 6763 hanzi and the symbol rows
    for weight, cmap in font_cmaps.items():
        missing = [ch for ch in chars if ord(ch) not in cmap]
        assert not missing, f"{weight}: {len(missing)} GB 2312 characters missing, e.g. {missing[:10]}"


def test_fonts_cover_every_chinese_character_in_the_ui_text(font_cmaps: dict[str, dict[int, str]]) -> None:
    subset_fonts = load_script("subset_fonts")
    found = subset_fonts.project_chars(REPO)
    for weight, cmap in font_cmaps.items():
        missing = {ch: files for ch, files in found.items() if CJK_TEXT.match(ch) and ord(ch) not in cmap}
        assert not missing, (
            f"{weight}: characters used by the UI are not in the shipped font; "
            f"run `python build/subset_fonts.py`: {missing}"
        )
