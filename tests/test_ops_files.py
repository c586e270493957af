"""The terminal's operation files (kiosk.ops): reports for the center, out of service, versions side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.config import load_settings
from kiosk.ops import reports, service_state
from kiosk.ops.layout import (
    InstallLayout,
    InstallState,
    LayoutError,
    check_version,
    install_layout,
    read_state,
    running_version,
    write_state,
)
from kiosk.ops.paths import OpsPaths
from kiosk.ops.target import Target, read_target, write_target


def test_reports_wait_oldest_first_until_forgotten(tmp_path: Path) -> None:
    first = reports.spool(tmp_path, "crash", {"what": "crashed", "exit_code": -9})
    second = reports.spool(tmp_path, "update", {"outcome": "committed"})
    third = reports.spool(tmp_path, "command", {"outcome": "done"})
    assert [r.id for r in reports.pending(tmp_path)] == [first, second, third]
    assert [r.id for r in reports.pending(tmp_path, kinds=["update"])] == [second]
    assert [r.id for r in reports.pending(tmp_path, limit=2)] == [first, second]
    assert reports.forget(tmp_path, [first, third]) == 2
    assert [r.kind for r in reports.pending(tmp_path)] == ["update"]


def test_nothing_personal_leaves_in_a_report(tmp_path: Path) -> None:
    tail = (
        "reading card 440301199001011234 for 姓名：张三丰 phone 13812345678\n"
        'form {"name": "李四", "id": "44030119900101123X"} old 440301900101123'
    )
    reports.spool(tmp_path, "crash", {"log_tail": tail, "nested": [{"note": "name=Wang"}]})
    text = json.dumps(reports.pending(tmp_path)[0].payload, ensure_ascii=False)
    for secret in ("199001011234", "张三丰", "12345678", "李四", "19900101123X", "900101123", "Wang"):
        assert secret not in text
    assert "440301********1234" in text and "138****5678" in text


def test_a_damaged_report_is_dropped_and_the_spool_is_bounded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(reports, "MAX_REPORTS", 3)
    for n in range(3):
        reports.spool(tmp_path, "crash", {"n": n})
    newest = reports.spool(tmp_path, "crash", {"n": 3})
    waiting = reports.pending(tmp_path)
    assert [r.payload["n"] for r in waiting] == [1, 2, 3]
    assert waiting[-1].id == newest and waiting[-1].payload["reports_dropped_before"] == 1
    (OpsPaths.of(tmp_path).reports / "00000000-broken.json").write_text("{not json", encoding="utf-8")
    assert len(reports.pending(tmp_path)) == 3
    assert not (OpsPaths.of(tmp_path).reports / "00000000-broken.json").exists()
    with pytest.raises(ValueError):
        reports.spool(tmp_path, "shell", {})  # type: ignore[arg-type]


def test_out_of_service_and_back(tmp_path: Path) -> None:
    assert service_state.out_of_service(tmp_path) is None
    state = service_state.take_out_of_service(tmp_path, "command", "center", "请到镇便民服务中心办理")
    assert service_state.out_of_service(tmp_path) == state
    assert service_state.back_in_service(tmp_path, "operator") is True
    assert service_state.out_of_service(tmp_path) is None
    assert service_state.back_in_service(tmp_path, "operator") is False


def test_a_damaged_out_of_service_file_keeps_the_terminal_out(tmp_path: Path) -> None:
    OpsPaths.of(tmp_path).root.mkdir()
    OpsPaths.of(tmp_path).out_of_service.write_text('{"by": "someone"}', encoding="utf-8")
    state = service_state.out_of_service(tmp_path)
    assert state is not None and state.by == "operator"


def test_install_state_round_trip_and_damage(tmp_path: Path) -> None:
    layout = InstallLayout(tmp_path)
    assert read_state(layout) is None
    state = InstallState(
        current="1.0.0", previous="0.9.0", staged="1.1.0", failed={"1.0.1": "no first frame"}
    )
    write_state(layout, state)
    assert read_state(layout) == state
    layout.state_file.write_text('{"current": "../../etc"}', encoding="utf-8")
    assert read_state(layout) is None
    for bad in ("", "..", "a/b", "1.0/..", "-x", "x" * 65):
        with pytest.raises(LayoutError):
            check_version(bad)


def test_versions_are_installed_once_complete(tmp_path: Path) -> None:
    layout = InstallLayout(tmp_path)
    layout.version_dir("1.0.0").mkdir(parents=True)
    layout.version_dir("1.1.0").mkdir(parents=True)
    layout.mark_complete("1.0.0")
    assert layout.installed() == ["1.0.0"]
    assert (layout.version_dir("1.0.0") / "VERSION").read_text(encoding="utf-8").strip() == "1.0.0"


def test_the_running_version_and_layout_come_from_the_bundle(tmp_path: Path, monkeypatch) -> None:
    bundle = tmp_path / "root" / "versions" / "2.0.0"
    bundle.mkdir(parents=True)
    (bundle / "VERSION").write_text("2.0.0\n", encoding="utf-8")
    monkeypatch.setenv("KIOSK_BUNDLE_DIR", str(bundle))
    assert running_version() == "2.0.0"
    settings = load_settings(data_dir=tmp_path / "data", environ={})
    layout = install_layout(settings)
    assert layout is not None and layout.root == tmp_path / "root"
    settings = load_settings(data_dir=tmp_path / "data", environ={"KIOSK_INSTALL_ROOT": str(tmp_path / "x")})
    assert install_layout(settings) == InstallLayout(tmp_path / "x")
    monkeypatch.delenv("KIOSK_BUNDLE_DIR")
    assert install_layout(load_settings(data_dir=tmp_path / "data", environ={})) is None


def test_the_centers_target(tmp_path: Path) -> None:
    assert read_target(tmp_path) is None
    write_target(tmp_path, Target("1.2.0", "r7"))
    assert read_target(tmp_path) == Target("1.2.0", "r7")
    write_target(tmp_path, None)
    assert read_target(tmp_path) is None


def test_the_program_names_its_bundles_version(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "VERSION").write_text("3.1.4\n", encoding="utf-8")
    env = {**os.environ, "KIOSK_BUNDLE_DIR": str(tmp_path)}
    shown = subprocess.run(
        [sys.executable, "-m", "kiosk", "--version"], env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.stdout.strip() == "kiosk 3.1.4"
