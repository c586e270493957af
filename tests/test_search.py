"""Catalog search as a villager types it: Chinese, full pinyin, initials, mixed; ranked."""

from __future__ import annotations

import json
import subprocess
import sys

from kiosk.domain.pinyin import pinyin_forms
from kiosk.domain.search import IndexedItem, SearchIndex


def codes(terminal, query, limit=50):
    return [h.code for h in terminal.catalog.search(query, limit=limit).hits]


def test_chinese_substring_ranks_exact_then_prefix_then_name_then_keyword_then_guide_text(catalog_terminal):
    result = catalog_terminal.catalog.search("社保卡")
    ranked = [(h.code, h.match) for h in result.hits]
    assert ranked[0] == ("RS-003", "exact")
    assert {c for c, m in ranked if m == "prefix"} == {"RS-001", "RS-002", "RS-004"}
    assert ranked[4] == ("RS-007", "name")  # 办理社保卡的进度查询 holds it inside the name
    assert ranked[-1] == ("MZ-001", "text")  # only its guide mentions 社保卡
    assert [m for _, m in ranked] == sorted(
        (m for _, m in ranked), key=["exact", "prefix", "name", "keyword", "text"].index
    )
    assert result.total == len(ranked) == 6


def test_within_a_rank_shorter_names_come_first(catalog_terminal):
    prefixes = [h.name for h in catalog_terminal.catalog.search("社保卡").hits if h.match == "prefix"]
    assert prefixes == sorted(prefixes, key=len)


def test_initials_and_full_pinyin_find_the_social_security_card_items(catalog_terminal):
    for query in ("sbk", "shebaoka", "SBK", "ｓｂｋ", "she bao ka"):
        found = codes(catalog_terminal, query)
        assert found[0] == "RS-003", query
        assert {"RS-001", "RS-002", "RS-004", "RS-007"} <= set(found), query


def test_partial_pinyin_and_mixed_input(catalog_terminal):
    assert {"RS-001", "RS-002", "RS-003", "RS-004"} <= set(codes(catalog_terminal, "社保k"))
    assert {"RS-001", "RS-002", "RS-003", "RS-004"} <= set(codes(catalog_terminal, "shebaok"))
    assert "RS-002" in codes(catalog_terminal, "社保卡gs")  # 社保卡挂失
    assert codes(catalog_terminal, "社保卡gs")[0] == "RS-002"
    assert codes(catalog_terminal, "s保卡")[0] == "RS-003"


def test_pinyin_matches_start_at_a_syllable(catalog_terminal):
    # "hebao" is inside "s-hebao" but not at a syllable boundary: no match on 社保.
    assert not {"RS-001", "RS-003"} & set(codes(catalog_terminal, "hebaoka"))


def test_keywords_match_in_chinese_and_pinyin(catalog_terminal):
    assert codes(catalog_terminal, "低保")[0] == "MZ-001"
    assert codes(catalog_terminal, "dibao")[0] == "MZ-001"
    assert codes(catalog_terminal, "上户口") == ["GA-002"]
    assert catalog_terminal.catalog.search("shanghukou").hits[0].match == "keyword"


def test_item_code_finds_the_item(catalog_terminal):
    assert codes(catalog_terminal, "ga-001") == ["GA-001"]


def test_no_match_and_empty_queries(catalog_terminal):
    assert codes(catalog_terminal, "不存在的事项名称") == []
    assert codes(catalog_terminal, "   ") == []
    assert codes(catalog_terminal, "！？") == []


def test_limit_and_total(catalog_terminal):
    result = catalog_terminal.catalog.search("s", limit=2)
    assert len(result.hits) == 2 and result.total > 2


def test_index_follows_imports(catalog_terminal, tmp_path):
    from tests.conftest import catalog_document, make_item

    path = tmp_path / "more.json"
    path.write_text(
        json.dumps(
            catalog_document([make_item("JY-1", "义务教育入学报名", department=("JY", "市教育局"))]),
            ensure_ascii=False,
        )
    )
    assert codes(catalog_terminal, "ruxue") == []
    catalog_terminal.catalog.import_file(path)
    assert codes(catalog_terminal, "ruxue") == ["JY-1"]


def test_heteronyms_follow_the_phrase_reading():
    index = SearchIndex([IndexedItem("B1", "银行账户变更", "税务", pinyin_forms("银行账户变更"), ())])
    assert index.search("yinhang")[0]
    assert index.search("yhzh")[0]


def test_cli_search_prints_ranked_json(catalog_terminal, settings):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--data-dir",
            str(settings.data_dir),
            "catalog",
            "search",
            "sbk",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    rows = json.loads(out.stdout)
    assert rows[0] == {
        "code": "RS-003",
        "name": "社保卡",
        "department": "市人力资源和社会保障局",
        "match": "exact",
    }
    assert all(set(r) >= {"code", "name", "department"} for r in rows)
