"""The demo catalog generator: valid, reproducible, realistic enough to demo, large enough to benchmark."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime

import pytest

from kiosk.domain.catalog import CATALOG_FORMAT, parse_catalog
from kiosk.domain.pinyin import pinyin_forms
from kiosk.services.catalog.demo import (
    CATEGORIES,
    DEFAULT_COUNT,
    THEMES,
    generate_catalog,
    main,
    write_catalog,
)

PHONE = re.compile(r"^0763-\d{7}$")


@pytest.fixture(scope="module")
def default_items() -> list[dict]:
    return generate_catalog()["items"]


def test_the_default_catalog_passes_the_import_validation(default_items):
    entries = parse_catalog({"format": CATALOG_FORMAT, "items": default_items})
    assert len(entries) == len(default_items) == DEFAULT_COUNT >= 5000
    assert not any(e.deleted for e in entries)


def test_same_count_and_seed_give_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert write_catalog(first, 800, seed=7) == 800
    assert write_catalog(second, 800, seed=7) == 800
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text(encoding="utf-8")) == generate_catalog(800, seed=7)
    assert "社保卡" in first.read_text(encoding="utf-8")  # written as UTF-8, not \\u escapes


def test_a_smaller_catalog_is_a_prefix_of_a_larger_one_and_seeds_differ():
    small, large = generate_catalog(300)["items"], generate_catalog(1200)["items"]
    assert large[:300] == small
    other = generate_catalog(300, seed=1)["items"]
    assert [i["name"] for i in other] == [i["name"] for i in small]  # the same services…
    assert other != small  # …with other details


def test_codes_are_unique_and_names_unique_within_a_department(default_items):
    assert len({i["code"] for i in default_items}) == len(default_items)
    per_department = Counter((i["department"]["code"], i["name"]) for i in default_items)
    assert per_department.most_common(1)[0][1] == 1


def test_departments_cover_the_government(default_items):
    departments = {i["department"]["code"]: i["department"]["name"] for i in default_items}
    assert len(departments) >= 22
    names = set(departments.values())
    for expected in ("清远市人力资源和社会保障局", "清远市医疗保障局", "清远市公安局", "清远市民政局",
                     "清远市残疾人联合会", "国家税务总局清远市税务局", "清远市住房公积金管理中心"):  # fmt: skip
        assert expected in names


def test_social_security_card_items_are_there_and_found_by_pinyin(default_items):
    city_names = [i["name"] for i in default_items if "（" not in i["name"] or i["name"].endswith("（首次）")]
    card = [n for n in city_names if "社保卡" in n]
    assert {"社保卡补换卡", "社保卡挂失", "社保卡启用", "社保卡密码重置", "社保卡信息变更"} <= set(card)
    assert len(card) >= 8
    for name in card:
        forms = pinyin_forms(name)
        assert "sbk" in forms.initials and "shebaoka" in forms.full, name


def test_every_theme_bundles_a_coherent_handful(default_items):
    members: dict[str, list[str]] = {}
    for item in default_items:
        for theme in item["themes"]:
            members.setdefault(theme, []).append(item["name"])
    assert set(members) == set(THEMES)
    for theme, names in members.items():
        assert 4 <= len(names) <= 12, (theme, names)
    assert "出生登记" in members["新生儿出生一件事"]
    assert sum(1 for i in default_items if i["themes"]) < len(default_items) // 20  # most items have none


def test_fields_look_like_a_real_guide(default_items):
    hours = Counter()
    for item in default_items:
        assert 2 <= len(item["categories"]) <= 3 and set(item["categories"]) <= set(CATEGORIES)
        assert 2 <= len(item["keywords"]) <= 5 and len(set(item["keywords"])) == len(item["keywords"])
        assert 1 <= len(item["conditions"]) <= 4
        assert 1 <= len(item["materials"]) <= 6
        assert 1 <= len(item["legal_basis"]) <= 3 and all(b.startswith("《") for b in item["legal_basis"])
        assert 1 <= item["version"] <= 5
        when = datetime.fromisoformat(item["updated_at"])
        assert when.year in (2025, 2026) and item["updated_at"].endswith("+08:00")
        handling = item["handling"]
        if handling["type"] == "即办件":
            assert handling["time_limit_days"] in (0, 1)
        else:
            assert handling["type"] == "承诺件" and 3 <= handling["time_limit_days"] <= 20
        url = handling["online_url"]
        assert url is None or url == f"https://www.gdzwfw.gov.cn/portal/guide/{item['code']}"
        assert 1 <= len(handling["locations"]) <= 3
        for location in handling["locations"]:
            assert PHONE.match(location["phone"]) and location["address"].startswith("清远市")
            hours[location["hours"]] += 1
    assert hours["24小时自助"] > 0 and len(hours) >= 4
    fees = Counter(i["handling"]["fee"] for i in default_items)
    assert fees.most_common(1)[0][0] == "不收费" and len(fees) > 3
    types = Counter(i["handling"]["type"] for i in default_items)
    assert types["即办件"] > 1000 and types["承诺件"] > 1000
    assert 0 < sum(1 for i in default_items if i["handling"]["online_url"] is None) < len(default_items) // 2


def test_the_first_items_are_the_plain_city_level_ones(default_items):
    first = default_items[:250]
    counties = ("清城区", "清新区", "英德市", "连州市", "佛冈县", "阳山县", "连山", "连南")
    assert all(i["code"].startswith("441800-") for i in first)
    assert not any(county in i["name"] for i in first for county in counties)
    assert default_items[0]["name"] == "社保卡申领（首次）"


def test_a_hundred_thousand_items_for_the_benchmark():
    started = time.perf_counter()
    items = generate_catalog(100_000, seed=3)["items"]
    elapsed = time.perf_counter() - started
    assert len(items) == 100_000
    assert len({i["code"] for i in items}) == 100_000
    assert len({(i["department"]["code"], i["name"]) for i in items}) == 100_000
    sample = [items[n] for n in sorted({*range(0, 100_000, 97), *range(99_800, 100_000)})]
    parse_catalog({"format": CATALOG_FORMAT, "items": sample})  # every stage, village proxies included
    assert any(i["name"].endswith("村代办）") for i in items[-200:])
    assert elapsed < 20, f"100,000 items took {elapsed:.1f} s"  # ~2-3 s on a 2-core machine


def test_zero_and_negative_counts():
    assert generate_catalog(0) == {"format": CATALOG_FORMAT, "items": []}
    with pytest.raises(ValueError):
        generate_catalog(-1)


def test_command_line_writes_the_file(tmp_path, capsys):
    out = tmp_path / "demo.json"
    assert main([str(out), "--count", "120", "--seed", "5"]) == 0
    assert "120" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8")) == generate_catalog(120, seed=5)


def test_module_runs_as_a_script(tmp_path):
    out = tmp_path / "demo.json"
    done = subprocess.run([sys.executable, "-m", "kiosk.services.catalog.demo", str(out), "--count", "50"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["items"]) == 50


# --- true to the guides: what a citizen or a clerk would catch ------------------------------------------------


def by_name(items: list[dict], name: str) -> dict:
    return next(i for i in items if i["name"] == name)


def test_a_first_application_does_not_ask_for_what_it_gives(default_items):
    first = by_name(default_items, "社保卡申领（首次）")
    assert not any("持有" in c or "曾经申领" in c for c in first["conditions"])
    assert any("尚未申领" in c for c in first["conditions"])
    id_first = by_name(default_items, "居民身份证首次申领")
    assert not any("身份证原件" in m["name"] or m["name"] == "原居民身份证" for m in id_first["materials"])
    assert (
        id_first["handling"]["fee"] == "工本费20元"
        and by_name(default_items, "居民身份证补领")["handling"]["fee"] == "工本费40元"
    )


def test_items_sit_under_the_department_and_categories_that_handle_them(default_items):
    deed = by_name(default_items, "契税申报")
    assert deed["department"]["name"] == "国家税务总局清远市税务局"
    assert "不动产登记" in deed["categories"] and "企业开办" not in deed["categories"]
    for name in (
        "个人所得税综合所得汇算",
        "城乡居民基本医疗保险费缴纳",
        "社保卡挂失",
        "最低生活保障申请",
        "出生登记",
    ):
        assert "企业开办" not in by_name(default_items, name)["categories"], name
    for item in default_items:
        if "开办企业一件事" in item["themes"]:
            assert "企业开办" in item["categories"], item["name"]
    assert by_name(default_items, "养老机构备案")["materials"][0]["name"] == "营业执照"
    complaint = by_name(default_items, "消费投诉举报")
    assert not any(m["name"] == "营业执照" for m in complaint["materials"])  # a consumer, not a business


def test_what_must_be_done_in_person_is_never_offered_by_proxy_or_online_only(default_items):
    for item in default_items:
        if any("亲自" in c for c in item["conditions"]):
            assert not any("委托" in m["name"] for m in item["materials"]), item["name"]
            assert "委托代办" not in item["name"] and "全程网办" not in item["name"], item["name"]
    assert not any("结婚登记（委托代办）" in i["name"] for i in generate_catalog(20_000)["items"])


def test_channels_do_not_contradict_the_guide(default_items):
    items = generate_catalog(20_000)["items"]
    for item in items:
        if "（告知承诺制）" in item["name"]:
            assert item["handling"]["type"] == "即办件", item["name"]  # a pledge is decided on the spot
        if "（全程网办）" in item["name"]:
            assert item["handling"]["online_url"], item["name"]
            assert not any(m["name"].endswith("原件") for m in item["materials"]), item["name"]
            assert not any("委托" in m["name"] for m in item["materials"]), item["name"]


def test_fees_and_legal_bases_are_stated_as_guides_state_them(default_items):
    for item in default_items:
        fee = item["handling"]["fee"]
        assert fee == "不收费" or "元" in fee or "标准" in fee, (item["name"], fee)
        assert len(set(item["legal_basis"])) == len(item["legal_basis"]), item["name"]
    assert by_name(default_items, "预告登记")["handling"]["fee"] == "不收费"  # no registration fee for these
    assert by_name(default_items, "不动产转移登记（二手房）")["handling"]["fee"] == "住宅类每件80元"
    assert by_name(default_items, "内地居民离婚登记")["handling"]["type"] == "即办件"
    assert any(
        "三十日" in c for c in by_name(default_items, "内地居民离婚登记")["conditions"]
    )  # the cooling-off


def test_police_counters_are_named_as_in_guangdong(default_items):
    for item in default_items:
        for location in item["handling"]["locations"]:
            name = location["name"]
            if "派出所" in name:
                assert (
                    name.startswith(("清远市公安局清城分局", "清远市公安局清新分局"))
                    or "区公安局" not in name
                )
    town_ids = [i for i in generate_catalog(8_000)["items"] if i["name"].startswith("居民身份证换领（英德市")]
    assert town_ids and all(
        len(i["handling"]["locations"]) == 1 and "派出所" in i["handling"]["locations"][0]["name"]
        for i in town_ids
    )
