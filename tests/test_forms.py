"""Form templates (kiosk-form/1), the citizen's answers and their messages, prefill from the card, the filled form
and its submission body, and the demo templates the reference center publishes."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from drivers.idcard.cards import SAMPLES
from kiosk.domain.forms import (
    FieldProblem,
    FieldType,
    FilledForm,
    FormField,
    FormFormatError,
    FormIncompleteError,
    Option,
    Prefill,
    display_value,
    parse_template,
    prefill,
    validate_value,
)
from kiosk.domain.receipt import make_receipt
from kiosk.protocol import OutboxRecord, record_fingerprint

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "resources" / "demo" / "forms"
DEMO_FILES = sorted(DEMO_DIR.glob("*.json"))
TODAY = date(2026, 11, 22)
CST = timezone(timedelta(hours=8))
CREATED = datetime(2026, 11, 22, 9, 5, tzinfo=CST)
RECEIPT = make_receipt("T-7f3a9c21", TODAY, 42)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def demo(name: str) -> dict[str, Any]:
    return json.loads((DEMO_DIR / f"{name}.json").read_text(encoding="utf-8"))


def small_template() -> dict[str, Any]:
    return {
        "format": "kiosk-form/1",
        "code": "T-001",
        "version": 3,
        "title": "测试申请表",
        "department": "测试局",
        "steps": [
            {
                "title": "第一步",
                "fields": [
                    {"key": "name", "type": "text", "label": "姓名", "required": True, "prefill": "name"},
                    {
                        "key": "kind",
                        "type": "choice",
                        "label": "类型",
                        "required": True,
                        "options": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}],
                    },
                    {
                        "key": "reason",
                        "type": "text",
                        "label": "原因",
                        "required": True,
                        "show_if": {"field": "kind", "in": ["b"]},
                    },
                ],
            },
            {
                "title": "第二步",
                "fields": [
                    {"key": "phone", "type": "phone", "label": "电话", "required": True},
                    {"key": "sign", "type": "signature", "label": "签名", "required": True},
                ],
            },
        ],
    }


# --- the demo templates --------------------------------------------------------------------------------------


def test_there_are_five_demo_templates_and_each_parses() -> None:
    titles = set()
    for path in DEMO_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        template = parse_template(data, key=data["code"], version=data["version"])
        titles.add(template.title)
        for step in template.steps:
            assert 3 <= len(step.fields) <= 6, (path.name, step.title)
        signature = template.signature_field
        assert signature is not None and signature.required, path.name
        assert template.layout.signature is not None and template.layout.signature.field == signature.key
        assert template.layout.declaration.startswith("本人承诺"), path.name
        bound = {f.prefill for f in template.fields}
        assert {Prefill.NAME, Prefill.ID_NUMBER} <= bound, path.name
        assert template.field("name").locked and template.field("id_number").type is FieldType.ID_NUMBER
        assert any(f.show_if is not None for f in template.fields), path.name
    assert titles == {
        "社会保障卡补换卡申请表",
        "城乡居民基本医疗保险参保登记表",
        "临时救助申请审批表",
        "残疾人证申请表",
        "居住证申领登记表",
    }


def test_demo_templates_link_to_items_of_the_demo_catalog() -> None:
    from kiosk.services.catalog.demo import generate_catalog

    items = {item["code"]: item for item in generate_catalog()["items"]}
    for path in DEMO_FILES:
        template = parse_template(json.loads(path.read_text(encoding="utf-8")))
        assert template.item_code in items, path.name
        assert items[template.item_code]["department"]["name"] == template.department


def test_the_center_demo_publishes_the_templates_on_the_form_templates_feed(tmp_path: Path) -> None:
    from kiosk.center.demo import publish_demo
    from kiosk.center.store import Store
    from kiosk.cli.center_cmd import demo_form_templates

    forms = demo_form_templates()
    store = Store(tmp_path / "center.db")
    try:
        reports = publish_demo(store, None, forms)
        assert reports["form_templates"].changed == 5
        assert publish_demo(store, None, forms)["form_templates"].unchanged == 5  # again: nothing changes
        entries, _, more = store.changes("form_templates", 0, 100)
    finally:
        store.close()
    assert not more and len(entries) == 5
    for entry in entries:
        assert entry.data is not None
        template = parse_template(entry.data, key=entry.key, version=entry.version)
        assert template.code == entry.key


# --- malformed templates -------------------------------------------------------------------------------------


def _edit(path: list[Any], value: Any = None, *, delete: bool = False):
    def change(doc: dict[str, Any]) -> None:
        target: Any = doc
        for part in path[:-1]:
            target = target[part]
        if delete:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return change


FIELD0 = ["steps", 0, "fields", 0]
FIELD1 = ["steps", 0, "fields", 1]
FIELD2 = ["steps", 0, "fields", 2]


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (_edit([*FIELD0, "label"], delete=True), "steps[0].fields[0].label", "Field required"),
        (_edit(["title"], delete=True), "title", "Field required"),
        (_edit([*FIELD0, "type"], "textarea"), "steps[0].fields[0].type", "Input should be 'text'"),
        (_edit([*FIELD1, "options"], delete=True), "steps[0].fields[1].options", "at least one option"),
        (_edit([*FIELD1, "options"], []), "steps[0].fields[1].options", "at least one option"),
        (_edit([*FIELD0, "prefill"], "phone"), "steps[0].fields[0].prefill", "Input should be 'name'"),
        (_edit([*FIELD0, "prefill"], "birth_date"), "steps[0].fields[0].prefill", "cannot fill a text field"),
        (_edit([*FIELD0, "pattern"], "[0-9"), "steps[0].fields[0].pattern", "not a valid regular expression"),
        (
            _edit([*FIELD0, "pattern"], "(?P<x"),
            "steps[0].fields[0].pattern",
            "not a valid regular expression",
        ),
        (
            _edit([*FIELD0, "pattern_message"], "请核对"),
            "steps[0].fields[0].pattern_message",
            "without a pattern",
        ),
        (
            _edit([*FIELD0, "options"], [{"value": "x", "label": "X"}]),
            "steps[0].fields[0].options",
            "does not take",
        ),
        (_edit([*FIELD0, "min"], 1), "steps[0].fields[0].min", "does not take"),
        (_edit([*FIELD0, "not_future"], True), "steps[0].fields[0].not_future", "does not take"),
        (_edit([*FIELD0, "min_length"], 5), None, None),  # fine on text
        (_edit([*FIELD0, "min_length"], 9), None, None),
        (_edit([*FIELD0, "max_length"], 0), "steps[0].fields[0].max_length", "greater than or equal to 1"),
        (_edit([*FIELD0, "key"], "Name"), "steps[0].fields[0].key", "should match pattern"),
        (_edit([*FIELD1, "key"], "name"), "steps[0].fields[1].key", "already used by steps[0].fields[0]"),
        (_edit([*FIELD0, "required"], "yes"), "steps[0].fields[0].required", "valid boolean"),
        (_edit([*FIELD0, "locked"], True), None, None),  # prefilled, so it may be locked
        (_edit([*FIELD1, "locked"], True), "steps[0].fields[1].locked", "only a prefilled field"),
        (
            _edit([*FIELD1, "options", 1, "value"], "a"),
            "steps[0].fields[1].options[1].value",
            "'a' appears twice",
        ),
        (_edit([*FIELD2, "show_if", "field"], "nope"), "steps[0].fields[2].show_if.field", "comes before"),
        (_edit([*FIELD2, "show_if", "field"], "name"), "steps[0].fields[2].show_if.field", "not a choice"),
        (_edit([*FIELD2, "show_if", "in"], ["c"]), "steps[0].fields[2].show_if.in[0]", "not an option"),
        (_edit([*FIELD2, "show_if", "in"], []), "steps[0].fields[2].show_if.in", "at least 1 item"),
        (
            _edit(["steps", 1, "fields", 0, "type"], "signature"),
            "steps[1].fields[1].type",
            "one signature",
        ),
        (_edit(["steps"], []), "steps", "at least 1 item"),
        (_edit(["steps", 0, "fields"], []), "steps[0].fields", "at least 1 item"),
        (_edit(["format"], "kiosk-form/2"), "format", "must be 'kiosk-form/1'"),
        (_edit(["version"], -1), "version", "greater than or equal to 0"),
        (_edit(["version"], "3"), "version", "valid integer"),
        (_edit(["code"], "表格 1"), "code", "should match pattern"),
        (
            _edit(["print"], {"sections": [{"fields": ["name", "kind", "reason", "ghost"]}]}),
            "print.sections[0].fields[3]",
            "'ghost' is not a field",
        ),
        (
            _edit(["print"], {"sections": [{"fields": ["name", "kind", "reason"]}]}),
            "print.sections",
            "field 'phone' (steps[1].fields[0]) is not printed",
        ),
        (
            _edit(["print"], {"sections": [{"fields": ["name", "kind", "reason", "phone", "name"]}]}),
            "print.sections[0].fields[4]",
            "already printed",
        ),
        (
            _edit(["print"], {"sections": [{"fields": ["name", "kind", "reason", "phone", "sign"]}]}),
            "print.sections[0].fields[4]",
            "is the signature",
        ),
        (
            _edit(
                ["print"],
                {
                    "sections": [{"fields": ["name", "kind", "reason", "phone"]}],
                    "signature": {"field": "phone"},
                },
            ),
            "print.signature.field",
            "not the form's signature",
        ),
        (
            _edit(["print"], {"sections": [{"fields": ["name", "kind", "reason", "phone"], "columns": 3}]}),
            "print.sections[0].columns",
            "Input should be 1 or 2",
        ),
    ],
)
def test_malformed_templates_are_refused_naming_the_path(change, path: str | None, words: str | None) -> None:
    doc = small_template()
    change(doc)
    if path is None:
        parse_template(doc)
        return
    with pytest.raises(FormFormatError) as caught:
        parse_template(doc)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: "), str(caught.value)
    assert words in str(caught.value), str(caught.value)
    assert caught.value.template_code == doc.get("code")


def test_a_choice_field_in_a_demo_template_without_options_is_named_by_its_path() -> None:
    doc = demo("sbk-bhk")
    del doc["steps"][1]["fields"][0]["options"]
    with pytest.raises(FormFormatError, match=r"^steps\[1\]\.fields\[0\]\.options: "):
        parse_template(doc)


def test_what_is_not_a_template_object_and_a_feed_entry_that_does_not_match() -> None:
    for junk in (None, [], "kiosk-form/1", 42):
        with pytest.raises(FormFormatError, match=r"^\(template\): must be a JSON object"):
            parse_template(junk)
    doc = small_template()
    with pytest.raises(FormFormatError, match=r"^code: 'T-001' differs from the feed entry's key 'T-002'"):
        parse_template(doc, key="T-002", version=3)
    with pytest.raises(FormFormatError, match=r"^version: 3 differs from the feed entry's version 4"):
        parse_template(doc, key="T-001", version=4)


def test_unknown_attributes_are_ignored_and_the_default_layout_prints_every_step() -> None:
    doc = small_template()
    doc["later_feature"] = {"x": 1}
    doc["steps"][0]["fields"][0]["placeholder"] = "请输入"
    template = parse_template(doc)
    assert [s.fields for s in template.layout.sections] == [("name", "kind", "reason"), ("phone",)]
    assert template.layout.signature is not None and template.layout.signature.field == "sign"
    assert template.layout.signature.label == "申请人（签名）"


def test_templates_are_frozen_values() -> None:
    template = parse_template(small_template())
    with pytest.raises(AttributeError):
        template.title = "x"  # type: ignore[misc]
    assert template == parse_template(small_template())


# --- answers -------------------------------------------------------------------------------------------------


def field(type_: str, **attrs: Any) -> FormField:
    options = tuple(Option(v, label) for v, label in attrs.pop("options", ()))
    for name in ("min", "max"):
        if name in attrs:
            attrs[name] = Decimal(str(attrs[name]))
    return FormField(
        key="f", type=FieldType(type_), label=attrs.pop("label", "项目"), options=options, **attrs
    )


def ok(f: FormField, raw: object, **kw: Any) -> object:
    value, message = validate_value(f, raw, today=TODAY, **kw)
    assert message == "", (raw, message)
    return value


def bad(f: FormField, raw: object) -> str:
    value, message = validate_value(f, raw, today=TODAY)
    assert value is None and message, raw
    return message


def test_empty_answers_to_optional_fields_pass_and_required_ones_say_what_to_do() -> None:
    for type_ in FieldType:
        opts = {"options": [("a", "甲")]} if type_ in (FieldType.CHOICE, FieldType.MULTI_CHOICE) else {}
        assert validate_value(field(type_, **opts), None) == (None, "")
        assert validate_value(field(type_, **opts), "  ") == (None, "")
    assert bad(field("text", required=True, label="姓名"), "") == "请填写姓名"
    assert bad(field("address", required=True, label="现居住地址"), " ") == "请填写现居住地址"
    assert bad(field("number", required=True, label="家庭人口"), None) == "请填写家庭人口"
    assert bad(field("date", required=True, label="出生日期"), "") == "请填写出生日期，格式为 年-月-日"
    assert bad(field("choice", required=True, options=[("a", "甲")]), "") == "请选择一项"
    assert bad(field("multi_choice", required=True, options=[("a", "甲")]), []) == "请至少选择一项"
    assert bad(field("phone", required=True), "") == "请填写手机号码（11位数字）"
    assert bad(field("id_number", required=True), None) == "请填写身份证号码（18位）"
    assert bad(field("signature", required=True), b"") == "请在签名框内签名"


def test_text_and_address() -> None:
    f = field("text", label="邮政编码", pattern=r"5\d{5}", pattern_message="邮政编码为6位数字，广东省以5开头")
    assert ok(f, " 511800 ") == "511800"
    assert bad(f, "51180") == "邮政编码为6位数字，广东省以5开头"
    assert bad(field("text", label="账号", pattern=r"\d+"), "12a") == "账号的格式不正确，请核对"
    assert ok(field("text"), "陈\n秀英\t") == "陈 秀英"
    assert ok(field("text"), "张三，李四") == "张三，李四"  # full-width punctuation stays
    assert bad(field("text", min_length=10), "火灾") == "请至少填写10个字"
    assert bad(field("text", max_length=5), "一二三四五六") == "最多填写5个字，现在有6个字"
    assert bad(field("text"), "字" * 101) == "最多填写100个字，现在有101个字"  # the default limit
    assert ok(field("address"), "地" * 200) == "地" * 200
    assert bad(field("text", label="姓名"), 42) == "请填写姓名"


def test_numbers() -> None:
    people = field("number", min=1, max=20, unit="人")
    assert ok(people, "4") == Decimal(4)
    assert ok(people, "４") == Decimal(4)  # full-width digits
    assert ok(people, 3) == Decimal(3)
    assert ok(people, "3.0") == Decimal(3)
    assert bad(people, "3.5") == "请填写整数"
    assert bad(people, "0") == "不能小于1人"
    assert bad(people, "21") == "不能大于20人"
    assert bad(people, "四") == "请填写数字"
    assert bad(people, "1e3") == "请填写数字"
    assert bad(people, True) == "请填写数字"
    money = field("number", min=0, max=50000, decimals=2, unit="元")
    assert ok(money, "1,250.5") == Decimal("1250.50")
    assert bad(money, "12.345") == "最多保留2位小数"
    assert bad(money, "-1") == "不能小于0元"
    assert bad(money, "50000.01") == "不能大于50000元"
    assert display_value(money, Decimal("1250.50")) == "1250.50元"


def test_dates() -> None:
    f = field("date", not_future=True)
    for raw in ("2024-05-01", "2024/5/1", "2024.05.01", "2024年5月1日", "20240501", "２０２４-０５-０１"):
        assert ok(f, raw) == date(2024, 5, 1), raw
    assert ok(f, date(2024, 5, 1)) == date(2024, 5, 1)
    assert ok(f, TODAY) == TODAY
    assert bad(f, "5/1/2024") == "日期格式应为 年-月-日，例如 2024-05-01"
    assert bad(f, "昨天") == "日期格式应为 年-月-日，例如 2024-05-01"
    assert bad(f, "2023-02-29") == "没有这一天，请核对日期"
    assert bad(f, "1066-10-14") == "没有这一天，请核对日期"
    assert bad(f, TODAY + timedelta(days=1)) == "日期不能晚于今天"
    assert bad(field("date", not_past=True), "2026-11-21") == "日期不能早于今天"
    assert ok(field("date"), "2030-01-01") == date(2030, 1, 1)  # no rule: any real day
    assert display_value(f, date(1948, 3, 15)) == "1948年3月15日"


def test_choices() -> None:
    f = field("choice", options=[("reissue", "补卡"), ("replace", "换卡")])
    assert ok(f, "reissue") == "reissue"
    assert bad(f, "补卡") == "请从列出的选项中选择"  # the value, not the label
    assert bad(f, ["reissue"]) == "请从列出的选项中选择"
    assert display_value(f, "replace") == "换卡"
    m = field("multi_choice", options=[("fire", "火灾"), ("flood", "水灾"), ("other", "其他")], min=1, max=2)
    assert ok(m, ["other", "fire"]) == ("fire", "other")  # in the options' order
    assert ok(m, ("flood",)) == ("flood",)
    assert bad(m, ["fire", "flood", "other"]) == "最多只能选择2项"
    assert bad(m, ["fire", "quake"]) == "请从列出的选项中选择"
    assert bad(m, "fire") == "请从列出的选项中选择"
    assert bad(field("multi_choice", options=[("a", "甲"), ("b", "乙")], min=2), ["a"]) == "请至少选择2项"
    assert display_value(m, ("fire", "other")) == "火灾、其他"


def test_phones() -> None:
    mobile = field("phone")
    for raw in ("13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "8613812345678"):
        assert ok(mobile, raw) == "13812345678", raw
    assert ok(mobile, "１３８１２３４５６７８") == "13812345678"
    for raw in ("1381234567", "12812345678", "138123456789", "0763-3388000", "电话"):
        assert bad(mobile, raw) == "请填写手机号码（11位数字）", raw
    both = field("phone", landline=True)
    assert ok(both, "0763-3388000") == "0763-3388000"
    assert ok(both, "(020) 8888 1234") == "020-88881234"
    assert ok(both, "01012345678") == "010-12345678"
    assert ok(both, "19912345678") == "19912345678"
    assert bad(both, "3388000") == "请填写手机号码（11位数字）或带区号的固定电话"


def test_id_numbers_are_checked_by_gb_11643() -> None:
    f = field("id_number")
    good = SAMPLES["elder"].id_number
    assert ok(f, good) == good
    assert ok(f, f" {good[:6]} {good[6:]} ") == good
    x_number = "11010519491231002X"
    assert ok(f, x_number.lower()) == x_number
    assert bad(f, SAMPLES["bad-check"].id_number) == "身份证号码校验不正确，请核对"
    assert bad(f, good[:-1] + ("0" if good[-1] != "0" else "1")) == "身份证号码校验不正确，请核对"
    assert bad(f, good[:17]) == "身份证号码应为18位，现在是17位"
    assert bad(f, good[:16] + "X" + good[17]) == "身份证号码只能是数字，最后一位可以是X"
    assert bad(f, "440803194802300621") == "身份证号码中的出生日期不正确，请核对"  # 30 February
    assert bad(f, "440803209903150621") == "身份证号码中的出生日期不正确，请核对"  # born in the future


def test_signatures() -> None:
    f = field("signature", required=True)
    assert ok(f, PNG) == PNG
    strokes = ok(f, [[(0, 0), (10, 5)], [], [[3, 4]]])
    assert strokes == (((0.0, 0.0), (10.0, 5.0)), ((3.0, 4.0),))
    assert bad(f, [[(0, 0)]]) == "请在签名框内签名"  # a dot is not a signature
    assert bad(f, b"GIF89a....") == "签名没有保存成功，请重新签名"
    assert bad(f, PNG + b"\x00" * 300_000) == "签名没有保存成功，请重新签名"
    assert bad(f, [[("x", 1), (2, 3)]]) == "签名没有保存成功，请重新签名"
    assert bad(f, [[(float("nan"), 1), (2, 3)]]) == "签名没有保存成功，请重新签名"
    assert bad(f, "签名") == "签名没有保存成功，请重新签名"


# --- prefill -------------------------------------------------------------------------------------------------


def test_prefill_from_a_resident_card() -> None:
    elder = SAMPLES["elder"]
    template = parse_template(demo("cxjm-yb"))
    values = prefill(template, elder)
    assert values == {
        "name": "陈秀英",
        "id_number": elder.id_number,
        "sex": "female",  # the option whose label is the card's 女
        "nation": "汉族",
        "birth_date": date(1948, 3, 15),
        "hukou_address": "广东省清远市清新区太平镇禾丰村委会下围村12号",
    }
    form = FilledForm.start(template, CREATED, elder)
    assert form.values == values
    problems = {p.key for p in form.problems(today=TODAY)}
    assert problems.isdisjoint(values)  # what the card gave passes
    assert {"household", "phone", "category", "start_date", "payment", "signature"} <= problems


def test_prefill_from_other_cards() -> None:
    template = parse_template(demo("jzz"))
    yao = prefill(template, SAMPLES["long-term"])
    assert yao["nation"] == "瑶族" and yao["sex"] == "male"
    hmt = prefill(template, SAMPLES["hmt"])  # a residence permit has no nation
    assert "nation" not in hmt and hmt["name"] == "张家明"
    foreign = prefill(template, SAMPLES["foreign-old"])  # a 15-character number: filled in, flagged
    form = FilledForm(template, CREATED, foreign)
    assert ("id_number", "身份证号码应为18位，现在是15位") in {
        (p.key, p.message) for p in form.problems(today=TODAY)
    }
    wrong = FilledForm.start(template, CREATED, SAMPLES["bad-check"])
    assert FieldProblem("id_number", "公民身份号码", 0, "身份证号码校验不正确，请核对") in wrong.problems(
        today=TODAY
    )


def test_a_nation_choice_matches_with_or_without_zu() -> None:
    doc = small_template()
    doc["steps"][0]["fields"].append(
        {
            "key": "nation",
            "type": "choice",
            "label": "民族",
            "prefill": "nation",
            "options": [{"value": "han", "label": "汉族"}, {"value": "yao", "label": "瑶"}],
        }
    )
    template = parse_template(doc)
    assert prefill(template, SAMPLES["elder"])["nation"] == "han"
    assert prefill(template, SAMPLES["long-term"])["nation"] == "yao"


# --- the filled form -----------------------------------------------------------------------------------------


def filled_sbk(**answers: Any) -> FilledForm:
    template = parse_template(demo("sbk-bhk"))
    form = FilledForm.start(template, CREATED, SAMPLES["elder"])
    defaults = {"phone": "13812345678", "apply_type": "reissue", "reissue_reason": "lost", "bank": "gdrcu"}
    defaults["collect"] = "counter"
    for key, value in {**defaults, **answers}.items():
        form = form.with_value(key, value)
    return form.with_signature([[(0, 0), (4, 8), (9, 1)]]).with_receipt(RECEIPT)


def test_problems_block_submission_until_every_visible_field_passes() -> None:
    template = parse_template(demo("sbk-bhk"))
    form = FilledForm.start(template, CREATED, SAMPLES["elder"])
    problems = form.problems(today=TODAY)
    assert [p.key for p in problems] == ["phone", "apply_type", "bank", "collect", "signature"]
    assert problems[0] == FieldProblem("phone", "联系电话", 0, "请填写手机号码（11位数字）")
    assert problems[-1].step == 2 and problems[-1].message == "请在签名框内签名"
    with pytest.raises(FormIncompleteError) as caught:
        form.with_receipt(RECEIPT).to_submission(today=TODAY)
    assert caught.value.problems == problems

    form = filled_sbk(phone="1381234567")
    assert [(p.key, p.message) for p in form.problems(today=TODAY)] == [
        ("phone", "请填写手机号码（11位数字）")
    ]
    with pytest.raises(FormIncompleteError):
        form.to_submission(today=TODAY)
    assert filled_sbk().problems(today=TODAY) == ()
    with pytest.raises(FormIncompleteError, match="no receipt number"):
        filled_sbk().with_receipt("").to_submission(today=TODAY)


def test_show_if_hides_fields_and_their_answers() -> None:
    form = filled_sbk(apply_type="replace")
    keys = [f.key for f in form.visible_fields(today=TODAY)]
    assert "replace_reason" in keys and "reissue_reason" not in keys and "mail_address" not in keys
    assert [p.key for p in form.problems(today=TODAY)] == ["replace_reason"]
    form = form.with_value("replace_reason", "chip")
    submission = form.to_submission(today=TODAY)
    assert "reissue_reason" not in submission["values"]  # answered before switching to 换卡: not sent
    assert submission["values"]["replace_reason"] == "chip"

    mail = filled_sbk(collect="mail")
    assert [p.key for p in mail.problems(today=TODAY)] == ["mail_address"]
    assert [p.message for p in filled_sbk(collect="mail", mail_address="村口").problems(today=TODAY)] == [
        "请至少填写8个字"
    ]


def test_the_submission_body() -> None:
    form = filled_sbk(
        lost_date="2026/11/1", collect="mail", mail_address="广东省清远市清新区太平镇禾丰村12号"
    )
    body = form.to_submission(today=TODAY)
    assert body == {
        "format": "kiosk-submission/1",
        "template": {"code": "QY-RS-SBKBHK", "version": 1},
        "item_code": "441800-RS-00002",
        "receipt": RECEIPT,
        "created_at": "2026-11-22T09:05:00+08:00",
        "values": {
            "name": "陈秀英",
            "id_number": SAMPLES["elder"].id_number,
            "sex": "female",
            "nation": "汉族",
            "phone": "13812345678",
            "apply_type": "reissue",
            "reissue_reason": "lost",
            "lost_date": "2026-11-01",
            "bank": "gdrcu",
            "collect": "mail",
            "mail_address": "广东省清远市清新区太平镇禾丰村12号",
        },
        "signature": {"format": "strokes", "strokes": [[[0.0, 0.0], [4.0, 8.0], [9.0, 1.0]]]},
    }
    # it is a valid outbox record body, and canonical JSON takes it as it is
    record = OutboxRecord.model_validate(
        {
            "idempotency_key": "T-7f3a9c21:01JDX9AAAA",
            "kind": "submission",
            "created_at": body["created_at"],
            "body": body,
        }
    )
    assert record.body == body
    assert record_fingerprint("submission", body) == record_fingerprint(
        "submission", json.loads(json.dumps(body))
    )


def test_numbers_multi_choices_and_a_png_signature_in_the_submission() -> None:
    template = parse_template(demo("lsjz"))
    form = FilledForm.start(template, CREATED, SAMPLES["long-term"])
    answers = {
        "phone": "0763-3388000",
        "household_size": "4",
        "monthly_income": "1,250.5",
        "family_type": ["disabled", "low_income"],
        "relief_type": "urgent",
        "causes": ["illness", "fire"],
        "hardship_date": "2026-11-03",
        "description": "家中厨房失火，房屋大部分烧毁，一家四口暂住亲戚家。",
        "payee_bank": "gdrcu",
        "payee_account": "6228480012345678901",
    }
    for key, value in answers.items():
        form = form.with_value(key, value)
    body = form.with_signature(PNG).with_receipt(RECEIPT).to_submission(today=TODAY)
    values = body["values"]
    assert values["household_size"] == 4 and isinstance(values["household_size"], int)
    assert values["monthly_income"] == 1250.5
    assert values["family_type"] == ["low_income", "disabled"]
    assert values["causes"] == ["fire", "illness"]
    assert "amount" not in values and "live_address" not in values  # optional and empty: left out
    assert body["signature"]["format"] == "png"
    import base64

    assert base64.b64decode(body["signature"]["data"]) == PNG


def test_a_filled_form_is_immutable_and_its_repr_shows_no_personal_data() -> None:
    form = filled_sbk()
    text = repr(form) + str(form)
    elder = SAMPLES["elder"]
    assert elder.name not in text and elder.id_number not in text and "13812345678" not in text
    assert "QY-RS-SBKBHK" in text and RECEIPT in text
    with pytest.raises(TypeError):
        form.values["phone"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        form.receipt = "x"  # type: ignore[misc]
    changed = form.with_value("phone", "13900000000")
    assert form.values["phone"] == "13812345678" and changed.values["phone"] == "13900000000"
    assert "phone" not in form.with_value("phone", "").values
    assert form.template_code == "QY-RS-SBKBHK" and form.template_version == 1


def test_a_filled_form_refuses_what_does_not_belong_to_it() -> None:
    template = parse_template(demo("sbk-bhk"))
    with pytest.raises(ValueError, match="no field 'ghost'"):
        FilledForm(template, CREATED, {"ghost": 1})
    with pytest.raises(ValueError, match="is the signature"):
        FilledForm(template, CREATED, {"signature": PNG})
    with pytest.raises(ValueError, match="UTC offset"):
        FilledForm(template, datetime(2026, 11, 22, 9, 5))
    with pytest.raises(ValueError, match="receipt"):
        FilledForm(template, CREATED, receipt=RECEIPT[:-1] + ("0" if RECEIPT[-1] != "0" else "1"))
    assert FilledForm(template, datetime(2026, 11, 22, 1, 5, tzinfo=UTC)).created_at.tzinfo is UTC


def test_the_domain_modules_load_pydantic_only_when_a_template_is_read() -> None:
    import subprocess
    import sys

    code = (
        "import sys, kiosk.domain.forms, kiosk.domain.receipt; "
        "assert 'pydantic' not in sys.modules, 'pydantic imported'; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_the_documented_error_paths_and_messages_are_the_real_ones() -> None:
    docs = (ROOT / "docs" / "forms.md").read_text(encoding="utf-8")
    doc = copy.deepcopy(demo("sbk-bhk"))
    del doc["steps"][1]["fields"][0]["options"]
    with pytest.raises(FormFormatError) as caught:
        parse_template(doc)
    assert str(caught.value) in docs
    for message in (
        "请填写手机号码（11位数字）",
        "身份证号码校验不正确，请核对",
        "请选择一项",
        "日期格式应为 年-月-日，例如 2024-05-01",
        "请在签名框内签名",
    ):
        assert message in docs


def test_the_template_example_in_the_docs_is_a_valid_template() -> None:
    docs = (ROOT / "docs" / "forms.md").read_text(encoding="utf-8")
    example = json.loads(docs.split("```json\n", 1)[1].split("```", 1)[0])
    template = parse_template(example)
    assert template.code == "QY-RS-SBKBHK" and template.signature_field is not None
