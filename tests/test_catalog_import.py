"""Importing the center's catalog into the local cache: replace by version, delete by tombstone, refuse a bad
item with its code and reason while the rest goes on, reject a file that is not a catalog whole."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.domain.catalog import CatalogFormatError, parse_catalog
from tests.conftest import SMALL_ITEMS, catalog_document, make_item


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def write(tmp_path: Path, document: object, name: str = "c.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_caches_every_item_with_its_guide(terminal, small_catalog_file):
    report = terminal.catalog.import_file(small_catalog_file)
    assert (report.added, report.replaced, report.deleted) == (len(SMALL_ITEMS), 0, 0)
    item = terminal.catalog.item("RS-001")
    assert item is not None and item.name == "社保卡补换卡"
    assert item.materials[0].name == "居民身份证原件" and item.materials[0].required
    assert item.handling.locations[0].address == "清城区人民一路1号"
    assert terminal.catalog.stats().items == len(SMALL_ITEMS)


def test_importing_the_same_file_twice_changes_nothing(terminal, small_catalog_file, settings):
    terminal.catalog.import_file(small_catalog_file)
    before = dump(settings.database_path)
    report = terminal.catalog.import_file(small_catalog_file)
    assert (report.added, report.replaced, report.deleted, report.unchanged) == (0, 0, 0, len(SMALL_ITEMS))
    assert not report.changed
    assert dump(settings.database_path) == before


def test_a_later_version_replaces_and_an_earlier_one_is_ignored(catalog_terminal, tmp_path):
    newer = make_item("RS-002", "社保卡临时挂失", version=2, keywords=["挂失"])
    report = catalog_terminal.catalog.import_file(write(tmp_path, catalog_document([newer])))
    assert report.replaced == 1
    assert catalog_terminal.catalog.item("RS-002").name == "社保卡临时挂失"
    older = make_item("RS-002", "社保卡挂失（旧）", version=1)
    report = catalog_terminal.catalog.import_file(write(tmp_path, catalog_document([older]), "old.json"))
    assert report.unchanged == 1
    assert catalog_terminal.catalog.item("RS-002").name == "社保卡临时挂失"
    assert [h.code for h in catalog_terminal.catalog.search("临时挂失").hits] == ["RS-002"]


def test_a_tombstone_removes_the_item_everywhere_and_blocks_older_copies(catalog_terminal, tmp_path):
    stone = {"code": "MZ-002", "version": 2, "deleted": True}
    report = catalog_terminal.catalog.import_file(write(tmp_path, catalog_document([stone])))
    assert report.deleted == 1
    assert catalog_terminal.catalog.item("MZ-002") is None
    assert "MZ-002" not in [h.code for h in catalog_terminal.catalog.search("临时救助").hits]
    assert all(s.code != "MZ-002" for s in catalog_terminal.catalog.items_in("department", "MZ"))
    # An older copy arriving late does not bring it back; a newer one does.
    report = catalog_terminal.catalog.import_file(
        write(tmp_path, catalog_document([make_item("MZ-002", "临时救助申请")]), "late.json")
    )
    assert report.unchanged == 1 and catalog_terminal.catalog.item("MZ-002") is None
    revived = make_item("MZ-002", "临时救助申请", version=3)
    catalog_terminal.catalog.import_file(write(tmp_path, catalog_document([revived]), "new.json"))
    assert catalog_terminal.catalog.item("MZ-002").version == 3


def test_a_full_item_marked_deleted_also_removes(catalog_terminal, tmp_path):
    item = make_item("GA-001", "居民身份证换领", version=5)
    item["deleted"] = True
    catalog_terminal.catalog.import_file(write(tmp_path, catalog_document([item])))
    assert catalog_terminal.catalog.item("GA-001") is None


@pytest.mark.parametrize(
    ("mutate", "expected", "plain"),
    [
        (
            lambda items: items[3]["handling"].update(type="当日件"),
            "item #4 (code RS-004): field 'handling.type'",
            "事项 RS-004（第 4 条）未导入：字段 handling.type 取值不对",
        ),
        (
            lambda items: items[5]["materials"][0].pop("required"),
            "item #6 (code RS-006): field 'materials.0.required'",
            "事项 RS-006（第 6 条）未导入：缺少字段 materials.0.required",
        ),
        (
            lambda items: items[2].update(version="2"),
            "item #3 (code RS-003): field 'version'",
            "事项 RS-003（第 3 条）未导入：字段 version 类型不对",
        ),
        (
            lambda items: items[7].update(updated_at="yesterday"),
            "item #8 (code MZ-001): field 'updated_at'",
            "事项 MZ-001（第 8 条）未导入：字段 updated_at 有误",
        ),
        (
            lambda items: items[1]["department"].pop("name"),
            "item #2 (code RS-002): field 'department.name'",
            "事项 RS-002（第 2 条）未导入：缺少字段 department.name",
        ),
        (
            lambda items: items.append(dict(items[0])),
            "item #13 (code RS-001): field 'version'",
            "事项 RS-001（第 13 条）未导入：与第 1 条的编码和版本相同",
        ),
        (lambda items: items.insert(1, "not an item"), "item #2: must be an object", "第 2 条事项未导入"),
    ],
)
def test_a_malformed_item_is_refused_naming_item_and_field_and_the_rest_is_imported(
    catalog_terminal, tmp_path, mutate, expected, plain
):
    document = catalog_document()
    document["items"][0]["version"] = 2  # a valid change in the same file is applied
    mutate(document["items"])
    report = catalog_terminal.catalog.import_file(write(tmp_path, document, "bad.json"))
    assert len(report.refused) == 1
    assert expected in report.refused[0].reason
    assert report.refused[0].plain.startswith(plain)
    assert report.replaced == 1 and catalog_terminal.catalog.item("RS-001").version == 2
    assert report.items == len(SMALL_ITEMS)


def test_parse_catalog_stays_all_or_nothing_for_those_who_want_it():
    document = catalog_document()
    document["items"][3]["handling"]["type"] = "当日件"
    with pytest.raises(CatalogFormatError, match=r"item #4 \(code RS-004\): field 'handling.type'"):
        parse_catalog(document)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"format": "kiosk-catalog/1", "items": [', "is not valid JSON"),
        (b"\xff\xfe\x00garbage", "is not UTF-8"),
        (b'{"format": "kiosk-catalog/2", "items": []}', "field 'format'"),
        (b'{"format": "kiosk-catalog/1"}', "field 'items'"),
        (b"[]", "must hold a JSON object"),
    ],
)
def test_a_corrupt_file_is_rejected_with_a_clear_message(
    catalog_terminal, tmp_path, settings, content, expected
):
    before = dump(settings.database_path)
    path = tmp_path / "corrupt.json"
    path.write_bytes(content)
    with pytest.raises(CatalogFormatError, match=expected):
        catalog_terminal.catalog.import_file(path)
    assert dump(settings.database_path) == before


def test_browse_facets(catalog_terminal):
    departments = {f.key: (f.label, f.count) for f in catalog_terminal.catalog.departments()}
    assert departments["RS"] == ("市人力资源和社会保障局", 7)
    assert departments["MZ"] == ("市民政局", 2)
    categories = {f.key: f.count for f in catalog_terminal.catalog.categories()}
    assert categories["社会保障"] == 7 and categories["婚姻生育"] == 2
    themes = {f.key: f.count for f in catalog_terminal.catalog.themes()}
    assert themes == {"退休一件事": 2, "新生儿出生一件事": 2}
    assert [s.code for s in catalog_terminal.catalog.items_in("theme", "新生儿出生一件事")] == [
        "GA-002",
        "WJ-001",
    ]
    assert {s.code for s in catalog_terminal.catalog.items_in("category", "民政救助")} == {"MZ-001", "MZ-002"}
