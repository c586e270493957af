"""The Windows installer's upgrade path, checked here without Windows: installer.nsi compiled by makensis with a
version's defines, the compiled installer's files listed by 7-Zip (which reads NSIS installers), and what the
script writes (the install state and the supervisor's logon task) read back by the program's own parser and an XML
parser. Running it needs Windows, which these tests do not have (docs/packaging.md)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path, PureWindowsPath

import pytest

from kiosk.config import ENV_PREFIX
from kiosk.ops.layout import InstallLayout, InstallState, read_state, write_state

REPO = Path(__file__).resolve().parent.parent
INSTALLER = REPO / "installer.nsi"
INSTDIR = r"C:\Program Files\GovKiosk"
DATA_DIR = r"C:\ProgramData\GovKiosk"


def script() -> str:
    return INSTALLER.read_bytes().decode("utf-8-sig")


def block(kind: str, name: str) -> str:
    """The body of a Function or Section of the script."""
    end = "FunctionEnd" if kind == "Function" else "SectionEnd"
    match = re.search(rf"^{kind} {re.escape(name)}\n(.*?)^{end}$", script(), re.MULTILINE | re.DOTALL)
    assert match, f"{kind} {name} not in installer.nsi"
    return match.group(1)


def nsis_text(text: str, variables: dict[str, str]) -> str:
    """An NSIS string as the installer writes it: $\\n, $\\r, the defines and the variables filled in."""
    defines = dict(re.findall(r'^\s*!define (\w+) "([^"]*)"', script(), re.MULTILINE)) | {"VERSION": "0.2.0"}
    for _ in range(3):  # defines name other defines and variables
        text = re.sub(r"\$\{(\w+)\}", lambda m: defines.get(m.group(1), m.group(0)), text)
    for name, value in variables.items():
        text = text.replace(name, value)
    return text.replace("$\\r", "\r").replace("$\\n", "\n")


def written(body: str, variables: dict[str, str]) -> str:
    """What a function's FileWrite lines write, taking the branch of each `${If} $1 == ""` as $1 says."""
    out, taking = [], [True]
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("${If} $1 =="):
            taking.append(variables["$1"] == "")
        elif line == "${Else}":
            taking[-1] = not taking[-1]
        elif line == "${EndIf}":
            taking.pop()
        elif all(taking) and (write := re.match(r"FileWrite(?:UTF16LE)?(?: /BOM)? \$R0 '(.*)'$", line)):
            out.append(nsis_text(write.group(1), variables))
    return "".join(out)


def fake_bundle(root: Path) -> Path:
    dist = root / "dist" / "kiosk"
    (dist / "_internal" / "resources").mkdir(parents=True)
    (dist / "kiosk.exe").write_bytes(b"MZ dummy terminal executable")
    (dist / "kiosk-console.exe").write_bytes(b"MZ dummy console executable")
    (dist / "VERSION").write_text("0.2.0\n", encoding="utf-8")
    (dist / "_internal" / "resources" / "README.md").write_text("resources\n", encoding="utf-8")
    return dist


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    makensis = shutil.which("makensis")
    assert makensis, "makensis not found: install the Debian package 'nsis' (scripts/setup.sh does)"
    root = tmp_path_factory.mktemp("installer")
    dist = fake_bundle(root)
    out = root / "GovKiosk-Setup-0.2.0.exe"
    result = subprocess.run(
        [
            makensis,
            "-V2",
            "-WX",
            f"-DDIST_DIR={dist}",
            "-DVERSION=0.2.0",
            f"-DOUT_FILE={out}",
            str(INSTALLER),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr  # -WX: warnings fail too
    return dist, out


def test_the_bundle_goes_beside_the_other_versions(compiled: tuple[Path, Path]) -> None:
    seven_zip = shutil.which("7z")
    if seven_zip is None:
        pytest.skip("7-Zip not installed (Debian package p7zip-full, which scripts/setup.sh installs)")
    dist, installer = compiled
    listing = subprocess.run(
        [seven_zip, "l", "-slt", str(installer)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    paths = {p.replace("\\", "/") for p in re.findall(r"^Path = (.+)$", listing, re.MULTILINE)[1:]}
    files = {p for p in paths if not p.startswith("$PLUGINSDIR/")}
    bundle = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    assert files == {f"versions/0.2.0/{p}" for p in bundle} | {"uninstall.exe"}


def test_an_upgrade_stages_the_new_version_and_a_first_install_makes_it_current(tmp_path: Path) -> None:
    """The installer writes state.json as kiosk.ops.layout does, and reads the current version from it as the
    program writes it."""
    layout = InstallLayout(tmp_path)
    body = block("Function", "WriteInstallState")
    write_state(layout, InstallState(current="0.1.0", previous="0.0.9", failed={"0.1.1": "crashed"}))
    current = re.search(r"\$\{WordFind2X\} \$R1 '(.*?)' '(.*?)'", block("Function", "ReadCurrentVersion"))
    assert current, "ReadCurrentVersion looks for the current version between two delimiters"
    before, after = current.groups()
    line = next(line for line in layout.state_file.read_text(encoding="utf-8").splitlines() if before in line)
    assert line.split(before, 1)[1].split(after, 1)[0] == "0.1.0"

    # an upgrade from 0.1.0: 0.2.0 is staged for the supervisor, its earlier failure forgotten
    layout.state_file.write_text(written(body, {"$0": "0.1.0", "$1": "0.2.0"}), encoding="utf-8")
    assert read_state(layout) == InstallState(current="0.1.0", staged="0.2.0")
    # a first install (or one from before versions side by side): 0.2.0 is current
    layout.state_file.write_text(written(body, {"$0": "0.2.0", "$1": ""}), encoding="utf-8")
    assert read_state(layout) == InstallState(current="0.2.0")

    section = block("Section", '"!$(SecAppName)" SecApp')
    stage = section.index("Call ReadCurrentVersion")
    assert section.index('SetOutPath "${VERSION_DIR}"') < stage  # the new version is whole before it is named
    assert '"${VERSION_DIR}\\.complete"' in section and 'RMDir /r "$DataDir' not in section


def test_the_supervisor_starts_at_logon_and_again_after_a_silent_upgrade() -> None:
    variables = {"$DataDir": DATA_DIR, "$INSTDIR": INSTDIR, "$(TaskDesc)": "supervisor"}
    xml = written(block("Function", "WriteSupervisorTask"), variables | {"$1": ""})
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    task = ET.fromstring(xml.split("?>", 1)[1])
    assert task.find("t:Triggers/t:LogonTrigger", ns) is not None
    assert task.findtext("t:Principals/t:Principal/t:GroupId", namespaces=ns) == "S-1-5-32-545"  # Users
    assert task.findtext("t:Principals/t:Principal/t:RunLevel", namespaces=ns) == "LeastPrivilege"
    assert (
        task.findtext("t:Settings/t:ExecutionTimeLimit", namespaces=ns) == "PT0S"
    )  # not stopped after 3 days
    assert task.findtext("t:Settings/t:MultipleInstancesPolicy", namespaces=ns) == "IgnoreNew"
    command = PureWindowsPath(task.findtext("t:Actions/t:Exec/t:Command", namespaces=ns) or "")
    assert command == PureWindowsPath(INSTDIR, "versions", "0.2.0", "kiosk.exe")  # the installed version's
    arguments = task.findtext("t:Actions/t:Exec/t:Arguments", namespaces=ns)
    assert arguments == f'--data-dir "{DATA_DIR}" supervise'

    text = script()
    assert re.search(
        r'^  !define APP_ARGS "supervise"$', text, re.MULTILINE
    )  # shortcuts start the supervisor
    again = block("Section", '"-Start again"')
    assert "$WasRunning" in again and 'schtasks.exe" /Run /TN "${TASK_NAME}"' in again
    init = block("Function", ".onInit")
    assert 'schtasks.exe" /Query /TN "${TASK_NAME}"' in init and '"${RUN_KEY}"' in init  # the choice is kept


def test_the_fleets_root_of_trust_is_installed_when_given_and_kept_from_administrators_only() -> None:
    init = block("Function", ".onInit")
    assert '"/UPDATEROOT="' in init and '"$EXEDIR\\root.json"' in init
    section = block("Section", '"!$(SecAppName)" SecApp')
    assert 'CopyFiles /SILENT $UpdateRoot "$INSTDIR\\${UPDATE_ROOT_FILE}"' in section
    assert '"${UPDATE_ROOT_ENV}" "$INSTDIR\\${UPDATE_ROOT_FILE}"' in section
    # this version's release archive, when next to the installer, is the base of the first update's patch
    assert (
        'CopyFiles /SILENT "$EXEDIR\\kiosk-${VERSION}.tar.gz" "$INSTDIR\\downloads\\kiosk-${VERSION}.tar.gz"'
        in section
    )
    protected = re.findall(r'!insertmacro ProtectFile "(.+)"', section)
    assert protected == ["$INSTDIR\\${UNINSTALL_EXE}", "$INSTDIR\\${UPDATE_ROOT_FILE}"]
    # the setting's name as the program reads it from the environment
    defines = dict(re.findall(r'^!define (\w+) "([^"]*)"', script(), re.MULTILINE))

    assert defines["UPDATE_ROOT_ENV"] == f"{ENV_PREFIX}UPDATE_ROOT" and defines["STATE_FILE"] == "state.json"
