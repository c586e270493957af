"""Every field and list of a catalog item is bounded: an item over a limit is refused with its code and reason and
the rest of the file goes on; a file that is too big, has too many entries or nests too deep is refused whole,
plainly, without a traceback. The terminal and the center check alike (kiosk.protocol.catalog)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kiosk.protocol.catalog as limits
from kiosk.domain.catalog import CatalogFormatError, check_catalog
from kiosk.protocol.catalog import catalog_item_problem
from kiosk.services.catalog.demo import generate_catalog
from tests.conftest import SMALL_ITEMS, catalog_document, make_item
from tests.test_sync_cli import kiosk, one_line_error


def write(tmp_path: Path, document: object, name: str = "c.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def item_with(**changes: object) -> dict:
    item = make_item("BIG-001", "超大事项")
    for dotted, value in changes.items():
        target = item
        *parents, last = dotted.split("__")
        for part in parents:
            target = target[part]
        target[last] = value
    return item


def test_an_item_with_a_million_character_condition_is_refused_and_the_rest_imported(terminal, tmp_path):
    huge = item_with(conditions=["条" * 1_000_000])
    report = terminal.catalog.import_file(write(tmp_path, catalog_document([*SMALL_ITEMS, huge])))
    assert report.added == len(SMALL_ITEMS)
    [refused] = report.refused
    assert refused.code == "BIG-001" and refused.field == "conditions.0"
    assert "at most 4000 characters" in refused.reason
    assert refused.plain == "事项 BIG-001（第 13 条）未导入：字段 conditions.0 超过 4000 个字符的上限"
    assert terminal.catalog.item("BIG-001") is None
    assert terminal.catalog.search("sbk").hits


def test_an_item_with_200000_keywords_is_refused(terminal, tmp_path):
    huge = item_with(keywords=[f"词{i}" for i in range(200_000)])
    report = terminal.catalog.import_file(write(tmp_path, catalog_document([huge, *SMALL_ITEMS])))
    [refused] = report.refused
    assert refused.field == "keywords"
    assert "超过 10 项的上限（实有 200000 项）" in refused.plain
    assert report.items == len(SMALL_ITEMS)


LIST_LIMITS = [
    ("categories", limits.CATEGORIES_MAX, lambda i: f"分类{i}"),
    ("themes", limits.THEMES_MAX, lambda i: f"主题{i}"),
    ("keywords", limits.KEYWORDS_MAX, lambda i: f"词{i}"),
    ("conditions", limits.CONDITIONS_MAX, lambda i: f"条件{i}"),
    ("legal_basis", limits.LEGAL_BASIS_MAX, lambda i: f"依据{i}"),
    ("materials", limits.MATERIALS_MAX, lambda i: {"name": f"材料{i}", "required": True, "copies": 1}),
    ("handling__locations", limits.LOCATIONS_MAX, lambda i: {"name": f"窗口{i}"}),
]


@pytest.mark.parametrize(("field", "most", "make"), LIST_LIMITS, ids=[f for f, _, _ in LIST_LIMITS])
def test_every_list_is_bounded(field, most, make):
    at_limit = item_with(**{field: [make(i) for i in range(most)]})
    over = item_with(**{field: [make(i) for i in range(most + 1)]})
    check = check_catalog(catalog_document([at_limit]))
    assert not check.refused, check.refused
    check = check_catalog(catalog_document([over]))
    [refused] = check.refused
    assert refused.field == field.replace("__", ".")
    assert f"at most {most} items" in refused.reason


STRING_LIMITS = [
    ("code", limits.CODE_MAX),
    ("name", limits.NAME_MAX),
    ("department__code", limits.CODE_MAX),
    ("department__name", limits.DEPARTMENT_NAME_MAX),
    ("handling__fee", limits.FEE_MAX),
    ("updated_at", limits.TIMESTAMP_MAX),
]


@pytest.mark.parametrize(("field", "most"), STRING_LIMITS, ids=[f for f, _ in STRING_LIMITS])
def test_every_string_is_bounded(field, most):
    over = item_with(**{field: "x" * (most + 1)})
    [refused] = check_catalog(catalog_document([over])).refused
    assert refused.field == field.replace("__", ".")
    assert f"at most {most} characters" in refused.reason


@pytest.mark.parametrize(
    ("field", "value", "most"),
    [
        ("categories", ["类" * (limits.LABEL_MAX + 1)], limits.LABEL_MAX),
        ("keywords", ["词" * (limits.KEYWORD_MAX + 1)], limits.KEYWORD_MAX),
        ("legal_basis", ["法" * (limits.LEGAL_BASIS_TEXT_MAX + 1)], limits.LEGAL_BASIS_TEXT_MAX),
        ("handling__online_url", "https://" + "u" * limits.URL_MAX, limits.URL_MAX),
        (
            "materials",
            [{"name": "材料", "required": True, "copies": 1, "note": "注" * (limits.MATERIAL_NOTE_MAX + 1)}],
            limits.MATERIAL_NOTE_MAX,
        ),
        (
            "handling__locations",
            [{"name": "窗口", "address": "址" * (limits.ADDRESS_MAX + 1)}],
            limits.ADDRESS_MAX,
        ),
    ],
)
def test_every_string_in_a_list_is_bounded(field, value, most):
    [refused] = check_catalog(catalog_document([item_with(**{field: value})])).refused
    assert f"at most {most} characters" in refused.reason


def test_the_text_of_one_item_together_is_bounded():
    # Each condition within its limit, together over the item's.
    conditions = ["条" * limits.CONDITION_MAX] * (limits.ITEM_TEXT_MAX // limits.CONDITION_MAX + 1)
    [refused] = check_catalog(catalog_document([item_with(conditions=conditions)])).refused
    assert "文字总量超过" in refused.plain


def test_a_version_beyond_what_json_readers_agree_on_is_refused_not_a_crash(terminal, tmp_path):
    huge = item_with(version=2**64)
    report = terminal.catalog.import_file(write(tmp_path, catalog_document([huge, SMALL_ITEMS[0]])))
    [refused] = report.refused
    assert refused.field == "version"
    assert report.added == 1


def test_the_demo_catalog_and_the_test_catalog_are_well_within_the_limits():
    assert not check_catalog(generate_catalog(2000)).refused
    assert not check_catalog(catalog_document()).refused


def test_a_catalog_nested_200000_deep_gets_one_plain_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "kiosk-catalog/1", "items": [' + "[" * 200_000 + "]" * 200_000 + "]}")
    result = kiosk(tmp_path / "data", "catalog", "import", str(path))
    line = one_line_error(result, 1)
    assert f"嵌套超过 {limits.MAX_JSON_DEPTH} 层" in line and "本机目录保持不变" in line


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(terminal, tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as sparse:  # no disk is used: the size is all that is checked
        sparse.truncate(limits.MAX_CATALOG_BYTES + 1)
    with pytest.raises(CatalogFormatError) as err:
        terminal.catalog.import_file(path)
    assert "超过 256 MB 的上限" in err.value.plain


def test_a_file_with_too_many_entries_is_refused_whole():
    document = {"format": "kiosk-catalog/1", "items": [0] * (limits.MAX_CATALOG_ENTRIES + 1)}
    with pytest.raises(CatalogFormatError, match="over the limit of 200000"):
        check_catalog(document)


def test_the_cache_holds_at_most_max_catalog_items(terminal, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CATALOG_ITEMS", 10)
    report = terminal.catalog.import_file(write(tmp_path, catalog_document()))
    assert report.added == 10 and report.items == 10
    assert [r.code for r in report.refused] == ["GA-002", "WJ-001"]
    assert "已达 10 项的上限" in report.refused[0].plain
    # Replacing and deleting still work at the limit, and a deletion makes room.
    newer = make_item("RS-001", "社保卡补换卡", version=2)
    stone = {"code": "RS-002", "version": 5, "deleted": True}
    report = terminal.catalog.import_file(
        write(tmp_path, catalog_document([newer, stone, SMALL_ITEMS[-1]]), "2.json")
    )
    assert (report.replaced, report.deleted, report.added, report.refused) == (1, 1, 1, ())


def test_import_on_the_command_line_lists_the_refused_items_and_exits_non_zero(tmp_path):
    huge = item_with(keywords=["词"] * 30)
    path = write(tmp_path, catalog_document([*SMALL_ITEMS, huge]))
    result = kiosk(tmp_path / "data", "catalog", "import", str(path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{len(SMALL_ITEMS)} added" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "kiosk: 事项 BIG-001（第 13 条）未导入：字段 keywords 超过 10 项的上限（实有 30 项）"
    assert lines[-1].startswith("kiosk: 1 项未导入")


def test_the_center_refuses_what_the_terminal_refuses():
    assert catalog_item_problem(SMALL_ITEMS[0]) is None
    assert catalog_item_problem({"code": "X", "version": 1, "deleted": True}) is None
    problem = catalog_item_problem(item_with(keywords=["词"] * 30))
    assert problem is not None and problem.startswith("field 'keywords': List should have at most 10 items")
    assert catalog_item_problem("not an item") == "must be an object"


def test_the_center_does_not_publish_an_item_the_terminals_would_refuse(tmp_path):
    from kiosk.center.publish import PublishError, catalog_entries

    document = catalog_document([*SMALL_ITEMS, item_with(conditions=["条" * 5000])])
    with pytest.raises(
        PublishError, match=r"item #13 \(code BIG-001\): field 'conditions.0': String should have"
    ):
        catalog_entries(document)
    assert len(catalog_entries(catalog_document())) == len(SMALL_ITEMS)
