"""The UI's language catalogs: complete, and the committed .qm files built from the committed .ts files."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from kiosk.ui.translations import (
    LANGUAGES,
    catalog_path,
    run_lrelease,
    run_lupdate,
    source_files,
    unfinished_messages,
)


def messages(ts_file: Path) -> set[tuple[str, str]]:
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in ET.parse(ts_file).getroot().iter("context")
        for message in context.iter("message")
    }


def test_every_language_has_a_committed_source_and_compiled_catalog():
    for language in LANGUAGES:
        assert catalog_path(language, ".ts").is_file()
        assert catalog_path(language, ".qm").is_file()


def test_the_committed_qm_files_are_compiled_from_the_committed_ts_files(tmp_path):
    for language in LANGUAGES:
        fresh = tmp_path / f"{language}.qm"
        run_lrelease(catalog_path(language, ".ts"), fresh)
        assert fresh.read_bytes() == catalog_path(language, ".qm").read_bytes(), (
            f"kiosk_{language}.qm is stale: run `python -m kiosk.ui.translations`"
        )


def test_every_string_in_the_qml_and_view_models_is_in_the_catalogs_and_translated(tmp_path):
    for language in LANGUAGES:
        committed = catalog_path(language, ".ts")
        scratch = tmp_path / committed.name
        shutil.copy(committed, scratch)
        run_lupdate([scratch], source_files())
        assert messages(scratch) == messages(committed), (
            f"kiosk_{language}.ts does not match the sources: run `python -m kiosk.ui.translations`"
        )
        assert unfinished_messages(scratch) == [], f"untranslated in kiosk_{language}.ts"


def test_the_qml_has_no_chinese_outside_qstr():
    """A Chinese literal outside qsTr() would stay Chinese in the English UI."""
    import re

    offenders = []
    for path in source_files():
        if path.suffix != ".qml":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            outside = re.sub(r'qsTr\("(?:[^"\\]|\\.)*"', "", code)  # also qsTr("…", "", n): plural forms
            literals = re.findall(r'"((?:[^"\\]|\\.)*)"', outside)
            if any(re.search(r"[\u4e00-\u9fff]", lit) for lit in literals):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    # The language button names itself; search words; data values compared against (a handling type, the
    # rating reasons as the domain and the wire spell them: each case returns its qsTr text).
    allowed = ("中文", "社保卡", "即办件", 'case "')
    offenders = [o for o in offenders if not any(word in o for word in allowed)]
    assert offenders == []
